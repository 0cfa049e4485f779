/**
 * Accuracy against two oracles that share no code with the front end:
 * (a) completeness: every command of the release's own `qapi-schema/` that the text document
 *     documents (under its own heading, a prose heading, or only in an example) is in the IR;
 * (b) faithfulness: every argument an `Arguments:` section lists is in the IR with the optional
 *     flag the document gives (read by `line-scanner.ts`, line by line).
 * Where the document and the schema disagree the IR follows the document; the disagreements are
 * counted too, as documentation errors, not failures.
 * Walks `../shared/qmp-docs` when present, else the releases in `spec/`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../codegen/ir/types.js';
import { hasSharedDocs, releaseModel, releasesIn, sharedDocsDir, specDir, compareVersions, type Release } from './documents.js';
import { documents, scanCommands } from './line-scanner.js';
import { readSchemaCommands } from './schema-oracle.js';

const releases = (hasSharedDocs ? releasesIn(sharedDocsDir) : releasesIn(specDir)).filter((r) => r.commands !== undefined);
const withSchema = releases.filter((r) => r.schema !== undefined && compareVersions(r.release, '1.0') >= 0);

interface Figure {
  found: number;
  total: number;
  misses: string[];
}

function completeness(release: Release): Figure {
  const text = readFileSync(release.commands!, 'utf8');
  const names = new Set(releaseModel(release).commands.map((c) => c.name));
  const documented = readSchemaCommands(release.schema!).filter((c) => documents(text, c.name));
  const misses = documented.filter((c) => !names.has(c.name)).map((c) => c.name);
  return { found: documented.length - misses.length, total: documented.length, misses };
}

function faithfulness(release: Release): Figure {
  const byName = new Map(releaseModel(release).commands.map((c) => [c.name, c]));
  const figure: Figure = { found: 0, total: 0, misses: [] };
  for (const definition of scanCommands(readFileSync(release.commands!, 'utf8'))) {
    if (definition.args === null) continue;
    // a heading renamed by its example (`dump`) or a prose heading is found by what it executes
    const command: Command | undefined =
      (definition.heading !== null ? byName.get(definition.heading) : undefined) ?? definition.executes.map((e) => byName.get(e)).find((c) => c !== undefined);
    for (const arg of definition.args) {
      figure.total++;
      const read = command?.arguments.find((a) => a.name === arg.name);
      if (read !== undefined && read.optional === arg.optional) figure.found++;
      else
        figure.misses.push(
          `${definition.heading ?? '?'}.${arg.name} (line ${arg.line}: document says ${arg.optional ? 'optional' : 'required'}, IR ${read === undefined ? 'lacks it' : read.optional ? 'optional' : 'required'})`,
        );
    }
  }
  return figure;
}

/** Schema and document disagreeing on an argument's optional flag, where both name it. */
function disagreements(release: Release): string[] {
  const byName = new Map(releaseModel(release).commands.map((c) => [c.name, c]));
  const out: string[] = [];
  for (const schemaCommand of readSchemaCommands(release.schema!)) {
    const command = byName.get(schemaCommand.name);
    for (const arg of schemaCommand.args ?? []) {
      const read = command?.arguments.find((a) => a.name === arg.name);
      if (read && read.optional !== arg.optional) out.push(`${schemaCommand.name}.${arg.name}`);
    }
  }
  return out;
}

const percent = (f: Figure): string => `${f.found}/${f.total} (${((100 * f.found) / Math.max(f.total, 1)).toFixed(1)} %)`;

describe("(a) completeness against the release's qapi-schema", () => {
  it.each(withSchema.map((r) => [r.release, r] as const))('qemu-%s: at least 99 % of the documented schema commands are in the IR', (name, release) => {
    const figure = completeness(release);
    console.log(`completeness qemu-${name}: ${percent(figure)}${figure.misses.length ? ` missing ${figure.misses.join(', ')}` : ''}`);
    const differ = disagreements(release);
    console.log(`  schema and document disagree on optional (${differ.length}): ${differ.join(', ')}`);
    expect(figure.total).toBeGreaterThan(15);
    expect(figure.found / figure.total).toBeGreaterThanOrEqual(0.99);
  });

  it('over all releases: 100 %', () => {
    const all = withSchema.map(completeness);
    expect(all.flatMap((f) => f.misses)).toEqual([]);
  });
});

describe('(b) faithfulness to the arguments the document lists', () => {
  it.each(releases.map((r) => [r.release, r] as const))("qemu-%s: at least 99 % of listed arguments, with the document's optional flag", (name, release) => {
    const figure = faithfulness(release);
    console.log(`faithfulness qemu-${name}: ${percent(figure)}${figure.misses.length ? ` misses ${figure.misses.join('; ')}` : ''}`);
    expect(figure.total).toBeGreaterThan(25);
    expect(figure.found / figure.total).toBeGreaterThanOrEqual(0.99);
  });

  it('over all releases: 100 %', () => {
    expect(releases.flatMap((r) => faithfulness(r).misses)).toEqual([]);
  });
});

describe('the oracles read what the documents say', () => {
  const spec28 = releasesIn(specDir).find((r) => r.release === '2.8.0')!;

  it('the line scanner reads 2.8 `eject`, its type on the next line, and `dump`, whose prose says optional', () => {
    const definitions = scanCommands(readFileSync(spec28.commands!, 'utf8'));
    expect(definitions.find((d) => d.heading === 'eject')?.args).toEqual([
      { name: 'force', optional: true, line: 75 },
      { name: 'device', optional: true, line: 76 },
      { name: 'id', optional: true, line: 78 },
    ]);
    expect(definitions.find((d) => d.heading === 'dump')?.args?.map((a) => [a.name, a.optional])).toEqual([
      ['paging', false],
      ['protocol', false],
      ['detach', false],
      ['begin', true],
      ['length', true],
      ['format', true],
    ]);
    expect(definitions.find((d) => d.heading === 'quit')?.args).toEqual([]);
    expect(definitions.find((d) => d.heading === 'query-dump-guest-memory-capability')?.args).toBeNull();
  });

  it("the schema reader reads 2.8 `block_resize` with the schema's optional flags", () => {
    const schema = readSchemaCommands(spec28.schema!);
    expect(schema.find((c) => c.name === 'block_resize')?.args).toEqual([
      { name: 'device', optional: true },
      { name: 'node-name', optional: true },
      { name: 'size', optional: false },
    ]);
    expect(schema.find((c) => c.name === 'blockdev-add')?.args).toBeNull();
  });
});

describe('document and schema disagreements are kept as the document says', () => {
  it('2.8 `block_resize`: the document makes `device` required, the schema optional; the IR says required', () => {
    const release = withSchema.find((r) => r.release === '2.8.0')!;
    expect(disagreements(release)).toContain('block_resize.device');
  });
});
