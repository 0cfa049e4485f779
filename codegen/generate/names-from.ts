/**
 * `--names-from`: which documented release a `query-qmp-schema` reply (a file, or a running
 * QEMU) takes its types' names and documentation from (`frontends/introspect/documented.ts`;
 * applied in `introspected.ts`). By default the newest bundled one. Light: resolving reads no
 * document, so that an up-to-date `generate` stays cheap.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { targets, type TargetConfig } from '../targets.js';
import { releaseLabel, type NamesFrom } from './job.js';

export type { NamesFrom };

export class NamesFromError extends Error {
  override name = 'NamesFromError';
}

/** The configured targets that can name types: QEMU's (not the agent's) from a schema, oldest first. */
export function bundledNamingTargets(): TargetConfig[] {
  return targets
    .filter((t) => !t.range && t.name.startsWith('qemu-') && t.inputs.some((i) => i.endsWith('qapi-schema.json')) && !t.namesFrom)
    .sort((a, b) => compareVersions(releaseLabel(a), releaseLabel(b)));
}

/** A configured target as a naming release: its documents, or the model the package ships for it. */
export function targetNamesFrom(target: TargetConfig): NamesFrom {
  const inputs = target.inputs.map((i) => join(packageRoot, i));
  if (inputs.every((i) => existsSync(i))) return { label: releaseLabel(target), inputs, conditions: target.configuration };
  // An installed package has no spec/: its build ships each target's configured model.
  const shipped = join(packageRoot, 'dist', 'generated', target.name, 'model.json');
  if (existsSync(shipped)) return { label: releaseLabel(target), inputs: [shipped] };
  throw new NamesFromError(`target ${target.name}: neither its documents (${inputs.join(', ')}) nor ${shipped} are here`);
}

/**
 * What `--names-from VALUE` names: `none` (names derived from where types are used); a bundled
 * target (`qemu-10.0.2`, or its version `10.0.2`); else a schema, release folder or IR JSON of
 * one's own, read under `conditions`. Undefined VALUE: the newest bundled target.
 */
export function resolveNamesFrom(value: string | undefined, conditions: string[] | undefined): NamesFrom | undefined {
  if (value === 'none') return undefined;
  const bundled = bundledNamingTargets();
  if (value === undefined) {
    const newest = bundled.at(-1);
    if (newest === undefined) throw new NamesFromError('no bundled QEMU release to take names from');
    return targetNamesFrom(newest);
  }
  const target = bundled.find((t) => t.name === value || releaseLabel(t) === value);
  if (target) return targetNamesFrom(target);
  if (existsSync(value)) return { label: value, inputs: [value], conditions };
  throw new NamesFromError(
    `--names-from ${value}: no bundled release of that name (${bundled.map((t) => t.name).join(', ')}), nor a file or folder; or give 'none'`,
  );
}

/**
 * The command the first line of a configured target's files names, for those made from what a
 * QEMU says of itself (a reply, a guest-info); the others keep the generic one.
 */
export function configuredRegenerate(target: TargetConfig): string | undefined {
  return target.namesFrom || target.agentInfo ? `qmp-codegen generate --target ${target.name}` : undefined;
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
