/** Where the tests find real documents: `spec/` always, `../shared/qmp-docs/` when present. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QmpModel } from '../../../codegen/ir/types.js';
import { parseTextDocuments, type TextDocument } from '../../../codegen/frontends/textdoc/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const specDir = join(repoRoot, 'spec');
export const sharedDocsDir = resolve(repoRoot, '../shared/qmp-docs');
export const hasSharedDocs = existsSync(sharedDocsDir);
export const fixturesDir = join(repoRoot, 'test/fixtures/textdoc');

export interface Release {
  /** `2.8.0`, `1.0`, ... */
  release: string;
  commands?: string;
  events?: string;
  /** `qapi-schema/qapi-schema.json`, from 1.0 on. */
  schema?: string;
}

/** The releases under `base` that have text documents, oldest first. */
export function releasesIn(base: string): Release[] {
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((d) => d.startsWith('qemu-'))
    .map((d): Release => {
      const file = (name: string): string | undefined => (existsSync(join(base, d, name)) ? join(base, d, name) : undefined);
      const release: Release = { release: d.slice('qemu-'.length) };
      const commands = file('qmp-commands.txt');
      const events = file('qmp-events.txt');
      const schema = file('qapi-schema/qapi-schema.json');
      if (commands) release.commands = commands;
      if (events) release.events = events;
      if (schema) release.schema = schema;
      return release;
    })
    .filter((r) => r.commands !== undefined || r.events !== undefined)
    .sort((a, b) => compareVersions(a.release, b.release));
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Reads files as the CLI would name them, telling their kind by name (`.hx`, `events`). */
export function textDocument(path: string): TextDocument {
  const kind = path.endsWith('.hx') ? 'hx' : /events/.test(path) ? 'qmp-events' : 'qmp-commands';
  return { file: path, text: readFileSync(path, 'utf8'), kind };
}

export function parseFiles(...paths: string[]): QmpModel {
  return parseTextDocuments(paths.map(textDocument));
}

const cache = new Map<string, QmpModel>();

/** One release's model (commands and events), parsed once per test file. */
export function releaseModel(release: Release): QmpModel {
  const key = `${release.commands}|${release.events}`;
  let model = cache.get(key);
  if (!model) {
    model = parseFiles(...[release.commands, release.events].filter((f): f is string => f !== undefined));
    cache.set(key, model);
  }
  return model;
}

export function specRelease(name: string): Release {
  const release = releasesIn(specDir).find((r) => r.release === name);
  if (!release) throw new Error(`spec/qemu-${name} has no text documents`);
  return release;
}
