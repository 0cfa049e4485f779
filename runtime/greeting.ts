/**
 * The server's greeting, `{"QMP": {"version": …, "capabilities": […]}}`. QEMU 0.13 on sends
 * `version.qemu` as `{major, minor, micro}`; the 0.12-era form is a string (`"0.12.50"`).
 * Both are read into numbers; the greeting as received is kept in `raw`.
 */
import { EXCERPT_LENGTH } from './framing.js';
import { QmpProtocolError } from './errors.js';

export interface QemuVersion {
  major: number;
  minor: number;
  micro: number;
}

export interface QmpGreeting {
  /** Absent when the server's greeting carried none (early 0.12-era monitors sent only `capabilities`). */
  version?: {
    qemu: QemuVersion;
    /** The build's package string (`"Debian 1:7.2+dfsg-7+deb12u18+b3"`; often empty). */
    package: string;
  };
  /** Capabilities the server offers (`"oob"` from QEMU 2.12 on). */
  capabilities: string[];
  /** True when `version.qemu` was the 0.12-era string form. */
  legacyVersionString: boolean;
  /** The greeting's `QMP` member as received. */
  raw: Record<string, unknown>;
}

export function parseGreeting(message: Record<string, unknown>, offset: number): QmpGreeting {
  const fail = (what: string): never => {
    throw new QmpProtocolError(`malformed greeting: ${what}`, { offset, excerpt: excerptOf(message) });
  };
  const qmp = message.QMP;
  if (typeof qmp !== 'object' || qmp === null || Array.isArray(qmp)) return fail('"QMP" is not an object');
  const raw = qmp as Record<string, unknown>;
  const capabilities = raw.capabilities ?? [];
  if (!Array.isArray(capabilities) || !capabilities.every((c): c is string => typeof c === 'string')) {
    return fail('"capabilities" is not an array of strings');
  }
  const version = raw.version;
  if (version === undefined) return { capabilities, legacyVersionString: false, raw };
  if (typeof version !== 'object' || version === null) return fail('"version" is not an object');
  const { qemu, package: pkg } = version as Record<string, unknown>;
  let parsed: QemuVersion;
  let legacyVersionString = false;
  if (typeof qemu === 'string') {
    const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(qemu);
    if (match === null) return fail(`"version.qemu" ${JSON.stringify(qemu)} is not a version`);
    parsed = { major: Number(match[1]), minor: Number(match[2]), micro: Number(match[3] ?? 0) };
    legacyVersionString = true;
  } else if (typeof qemu === 'object' && qemu !== null) {
    const { major, minor, micro } = qemu as Record<string, unknown>;
    if (typeof major !== 'number' || typeof minor !== 'number' || typeof micro !== 'number') {
      return fail('"version.qemu" lacks numeric major, minor, micro');
    }
    parsed = { major, minor, micro };
  } else {
    return fail('"version.qemu" is neither an object nor a string');
  }
  return {
    version: { qemu: parsed, package: typeof pkg === 'string' ? pkg : '' },
    capabilities,
    legacyVersionString,
    raw,
  };
}

/** The start of the greeting as JSON; a hostile one may nest too deep for `JSON.stringify`. */
function excerptOf(message: Record<string, unknown>): string {
  try {
    return JSON.stringify(message).slice(0, EXCERPT_LENGTH);
  } catch {
    return '(not representable)';
  }
}
