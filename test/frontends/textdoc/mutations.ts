/**
 * Mutations of real documents, shared by the fuzz test and `bench/textdoc.bench.ts`: a window of
 * a real document (commands, events or .hx), then truncation, deleted and duplicated lines, random
 * bytes, swapped sections.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextDocument } from '../../../codegen/frontends/textdoc/index.js';
import { fixturesDir, releasesIn, specDir } from './documents.js';

export interface Source {
  file: string;
  kind: TextDocument['kind'];
  lines: string[];
}

/** The real documents mutations start from: every text document in spec/, and the .hx fixtures. */
export function mutationSources(): Source[] {
  const sources: Source[] = [];
  const add = (file: string, kind: TextDocument['kind']): void => {
    sources.push({ file, kind, lines: readFileSync(file, 'utf8').split('\n') });
  };
  for (const release of releasesIn(specDir)) {
    if (release.commands) add(release.commands, 'qmp-commands');
    if (release.events) add(release.events, 'qmp-events');
  }
  add(join(fixturesDir, 'rhel7-qmp-commands.hx'), 'hx');
  add(join(fixturesDir, 'rhel6-qemu-monitor.hx'), 'hx');
  return sources;
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; line: number; count: number }
  | { kind: 'duplicate'; line: number; count: number }
  | { kind: 'bytes'; at: number; text: string }
  | { kind: 'swap'; a: number; b: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('{', '}', '[', '"', '(', ')', '\r', '\t', '-', '->', '<-', ':', '\n\n', '----\n', '\u0000', '\uFEFF', 'SQMP\n', 'EQMP\n'),
    ),
  }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
);

function apply(lines: string[], m: Mutation): string[] {
  const n = Math.max(lines.length, 1);
  switch (m.kind) {
    case 'truncate': {
      const text = lines.join('\n');
      return text.slice(0, m.at % (text.length + 1)).split('\n');
    }
    case 'delete': {
      const at = m.line % n;
      return [...lines.slice(0, at), ...lines.slice(at + m.count)];
    }
    case 'duplicate': {
      const at = m.line % n;
      const copy = lines.slice(at, at + m.count);
      return [...lines.slice(0, at), ...copy, ...copy, ...lines.slice(at + m.count)];
    }
    case 'bytes': {
      const text = lines.join('\n');
      const at = m.at % (text.length + 1);
      return (text.slice(0, at) + m.text + text.slice(at)).split('\n');
    }
    case 'swap': {
      const a = m.a % n;
      const b = m.b % n;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const length = Math.min(m.length, hi - lo);
      if (length === 0) return lines;
      const first = lines.slice(lo, lo + length);
      const second = lines.slice(hi, hi + length);
      return [...lines.slice(0, lo), ...second, ...lines.slice(lo + length, hi), ...first, ...lines.slice(hi + length)];
    }
  }
}

/** A window of `maxLines` lines at most of one real document, mutated one to four times. */
export function mutatedDocument(sources: readonly Source[], maxLines: number): fc.Arbitrary<TextDocument> {
  return fc
    .record({
      source: fc.constantFrom(...sources),
      start: fc.nat(),
      length: fc.integer({ min: 1, max: maxLines }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    })
    .map(({ source, start, length, mutations }) => {
      const from = start % source.lines.length;
      const lines = mutations.reduce(apply, source.lines.slice(from, from + length));
      return { file: `${source.file}~mutated`, kind: source.kind, text: lines.join('\n') };
    });
}
