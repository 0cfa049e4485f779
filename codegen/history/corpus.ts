/**
 * The corpus a history is computed from: every release folder under a `spec/` directory
 * (`qemu-<version>`), found when asked, never listed here, ordered by version, each read once.
 *
 * A release is known by the documents its folder holds, read in this order of preference:
 * - `qmp-commands.txt` / `qmp-events.txt` (QEMU 0.13–2.8), with the release's QAPI schema
 *   beside them when there is one (1.0–2.8): the text says which commands and events exist, the
 *   schema (where it has them) what their members are and what the types are called;
 * - a QAPI schema, `qapi-schema/qapi/qapi-schema.json` or `qapi-schema/qapi-schema.json`: read
 *   as written, every build's definitions kept with their `if`;
 * - else a `query-qmp-schema.json` reply: one build's interface, with no type names.
 * The guest agent (`family: 'qga'`) is read from `qapi-schema/qga/qapi-schema.json`, or, for an
 * agent known only by its binary, from its `guest-info.json` reply: which commands it has, not
 * what their arguments are.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../frontends/index.js';
import { parseSchema } from '../frontends/qapi/index.js';
import { readAgentInfo } from '../frontends/agent-info.js';
import type { QmpModel } from '../ir/types.js';

/** Which interface: the system emulator's QMP, or the guest agent's. */
export type Family = 'qemu' | 'qga';

/** What a release's folder gave: see the module comment. */
export type DocumentKind = 'text' | 'text+schema' | 'schema' | 'introspection' | 'guest-info';

export interface CorpusRelease {
  /** The version as the folder names it: `0.13.0`, `1.0`, `11.1.3`. */
  label: string;
  /** Its numeric parts, for ordering (`1.0` is `[1, 0]`, equal to `1.0.0`). */
  version: readonly number[];
  /** The release's folder. */
  dir: string;
  documents: DocumentKind;
  /** The documents read, as paths under the corpus directory. */
  files: string[];
}

/** The models of one release's documents, as read. */
export interface ReleaseModels {
  /** The text documents' model (`text`, `text+schema`). */
  text?: QmpModel;
  /** The QAPI schema's model, every build's definitions kept (`text+schema`, `schema`). */
  schema?: QmpModel;
  /** The `query-qmp-schema` reply's model (`introspection`). */
  introspection?: QmpModel;
  /** The commands a guest agent's `guest-info` lists (`guest-info`), enabled or not. */
  agentCommands?: string[];
}

export interface Corpus {
  family: Family;
  /** The directory the releases were found in. */
  dir: string;
  /** Every release found, oldest first. */
  releases: readonly CorpusRelease[];
  /** Folders under `dir` that look like releases but hold no document of a kind read here. */
  skipped: readonly string[];
  /** The release's models, read on first use and kept. */
  models(release: CorpusRelease): ReleaseModels;
}

export class CorpusError extends Error {
  override name = 'CorpusError';
}

/** Orders versions numerically, a missing part counting as 0 (`1.0` = `1.0.0` < `1.1`). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `2.12` → `[2, 12]`; the first version-like run of a text such as `Since: 2.12.0 (x86)`. */
export function parseVersion(text: string): number[] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match
    ? match
        .slice(1)
        .filter((p) => p !== undefined)
        .map(Number)
    : undefined;
}

/** The releases under `dir`, oldest first, and the release-like folders that hold nothing readable. */
export function discoverReleases(dir: string, family: Family = 'qemu'): { releases: CorpusRelease[]; skipped: string[] } {
  if (!existsSync(dir)) throw new CorpusError(`${dir}: no such directory (the corpus is a spec/ folder of qemu-<version> release folders)`);
  const releases: CorpusRelease[] = [];
  const skipped: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const match = /^qemu-(\d+(?:\.\d+)+)$/.exec(entry.name);
    if (!entry.isDirectory() || !match) continue;
    const folder = join(dir, entry.name);
    const found = (path: string): string | undefined => (existsSync(join(folder, path)) ? join(folder, path) : undefined);
    const release = (documents: DocumentKind, files: (string | undefined)[]): CorpusRelease => ({
      label: match[1]!,
      version: match[1]!.split('.').map(Number),
      dir: folder,
      documents,
      files: files.filter((f): f is string => f !== undefined),
    });
    if (family === 'qga') {
      const schema = found('qapi-schema/qga/qapi-schema.json');
      const info = found('guest-info.json');
      if (schema) releases.push(release('schema', [schema]));
      else if (info) releases.push(release('guest-info', [info]));
      continue;
    }
    const text = [found('qmp-commands.txt'), found('qmp-events.txt')].filter((f): f is string => f !== undefined);
    const schema = found('qapi-schema/qapi/qapi-schema.json') ?? found('qapi-schema/qapi-schema.json');
    const introspection = found('query-qmp-schema.json');
    if (text.length > 0) releases.push(release(schema ? 'text+schema' : 'text', [...text, schema]));
    else if (schema) releases.push(release('schema', [schema]));
    else if (introspection) releases.push(release('introspection', [introspection]));
    else skipped.push(folder);
  }
  releases.sort((a, b) => compareVersions(a.version, b.version));
  return { releases, skipped };
}

/** The corpus under `dir`; each release's documents are read when first asked for, once. */
export function openCorpus(dir: string, options: { family?: Family } = {}): Corpus {
  const family = options.family ?? 'qemu';
  const { releases, skipped } = discoverReleases(dir, family);
  const cache = new Map<CorpusRelease, ReleaseModels>();
  return {
    family,
    dir,
    releases,
    skipped,
    models(release) {
      let models = cache.get(release);
      if (!models) {
        models = readRelease(release);
        cache.set(release, models);
      }
      return models;
    },
  };
}

function readRelease(release: CorpusRelease): ReleaseModels {
  const read = <T>(files: string[], how: () => T): T => {
    try {
      return how();
    } catch (error) {
      throw new CorpusError(`release ${release.label}: ${files.join(', ')}: cannot be read: ${(error as Error).message}`);
    }
  };
  const text = release.files.filter((f) => f.endsWith('.txt'));
  const schema = release.files.find((f) => f.endsWith('qapi-schema.json'));
  const models: ReleaseModels = {};
  if (text.length > 0) models.text = read(text, () => readModel(text));
  // The schema as written: a history says what the documents have, for every build.
  if (schema !== undefined) models.schema = read([schema], () => parseSchema(schema));
  if (release.documents === 'introspection') models.introspection = read(release.files, () => readModel(release.files));
  if (release.documents === 'guest-info') {
    const file = release.files[0]!;
    models.agentCommands = read([file], () => {
      const reply: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return readAgentInfo(reply, { file, line: 1, column: 1 });
    }).commands.map((c) => c.name);
  }
  return models;
}
