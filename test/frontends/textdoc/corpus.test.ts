import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Member, QmpModel, TypeRef } from '../../../codegen/ir/types.js';
import { modelToJson } from '../../../codegen/ir/json.js';
import { formatDiagnostic } from '../../../codegen/ir/diagnostics.js';
import { parseFiles, releaseModel, releasesIn, specDir, type Release } from './documents.js';

function* typesOf(type: TypeRef): Generator<TypeRef> {
  yield type;
  if (type.kind === 'array') yield* typesOf(type.of);
  if (type.kind === 'union') for (const t of type.of) yield* typesOf(t);
  if (type.kind === 'object') for (const m of type.members) yield* typesOf(m.type);
}

function* membersOf(members: readonly Member[]): Generator<Member> {
  for (const m of members) {
    yield m;
    for (const t of typesOf(m.type)) if (t.kind === 'object') yield* membersOf(t.members);
  }
}

function checkRelease(release: Release): void {
  const model = releaseModel(release);
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map(formatDiagnostic)).toEqual([]);
  if (release.commands) expect(model.commands.length).toBeGreaterThan(30);
  if (release.events) expect(model.events.length).toBeGreaterThan(5);
  checkModelShape(model);
}

/** Every location is inside its file, every named type resolves, and names are unique. */
function checkModelShape(model: QmpModel): void {
  const lineCounts = new Map(model.source.files.map((f) => [f, readFileSync(f, 'utf8').split('\n').length]));
  const inFile = (loc: { file: string; line: number; column: number }): boolean =>
    lineCounts.has(loc.file) && loc.line >= 1 && loc.line <= lineCounts.get(loc.file)! && loc.column >= 1;
  const types = new Set(model.types.map((t) => t.name));
  for (const d of model.diagnostics) expect(inFile(d), formatDiagnostic(d)).toBe(true);
  for (const entity of [...model.commands, ...model.events]) {
    expect(inFile(entity.loc), entity.name).toBe(true);
    const members = [...membersOf('arguments' in entity ? entity.arguments : entity.data)];
    for (const m of members) expect(inFile(m.loc), `${entity.name}.${m.name}`).toBe(true);
    const refs = [...members.flatMap((m) => [...typesOf(m.type)]), ...('returns' in entity && entity.returns ? [...typesOf(entity.returns)] : [])];
    for (const ref of refs) if (ref.kind === 'named') expect(types.has(ref.name), ref.name).toBe(true);
    for (const example of entity.examples) for (const message of example.messages) expect(inFile(message.loc)).toBe(true);
  }
  expect(new Set(model.commands.map((c) => c.name)).size).toBe(model.commands.length);
  expect(new Set(model.events.map((e) => e.name)).size).toBe(model.events.length);
}

describe('spec/: every release with text documents parses with no error', () => {
  const releases = releasesIn(specDir);
  it('spec/ holds the releases the suite stands on', () => {
    expect(releases.map((r) => r.release)).toEqual(expect.arrayContaining(['0.13.0', '1.0', '2.0.0', '2.1.0', '2.7.0', '2.8.0']));
  });
  it.each(releases.map((r) => [r.release, r] as const))('qemu-%s', (_, release) => checkRelease(release));
});

describe('output is deterministic', () => {
  it('the same documents give the same IR bytes, read twice', () => {
    const [release] = releasesIn(specDir).filter((r) => r.release === '2.8.0');
    const files = [release!.commands!, release!.events!];
    expect(modelToJson(parseFiles(...files))).toBe(modelToJson(parseFiles(...files)));
  });

  it('diagnostics come sorted by file, line and column', () => {
    const model = releaseModel(releasesIn(specDir).find((r) => r.release === '2.8.0')!);
    const keys = model.diagnostics.map((d) => [d.file, d.line, d.column] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || a[1] - b[1] || a[2] - b[2]);
    expect(keys).toEqual(sorted);
  });
});
