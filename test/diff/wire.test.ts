/**
 * The diff judges the wire, not the names: real schemas (QEMU 10.2's, the 7.2 guest agent's)
 * edited the way a release might edit them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffModels } from '../../codegen/diff/compare.js';
import { renderMarkdown } from '../../codegen/diff/render.js';
import { readModel } from '../../codegen/frontends/index.js';
import type { Member, QmpModel, TypeRef } from '../../codegen/ir/types.js';

const qga = readModel(['spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json'], { conditions: ['linux-x86_64-7.2'] });
const qemu = readModel(['spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json'], { conditions: ['linux-x86_64-10.2'] });
const loc = { file: 'edit', line: 1, column: 1 };

const edit = (base: QmpModel, change: (m: QmpModel) => void): QmpModel => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};
const struct = (m: QmpModel, name: string): Member[] => {
  const t = m.types.find((x) => x.name === name);
  if (t?.kind !== 'struct') throw new Error(`no struct ${name}`);
  return t.members;
};
const member = (m: QmpModel, type: string, name: string): Member => struct(m, type).find((x) => x.name === name)!;

/** Every type renamed by `rename`, and every reference to it: the same JSON on the wire. */
function renameTypes(model: QmpModel, rename: (name: string) => string): QmpModel {
  const copy = structuredClone(model);
  // The IR shares objects (a union's base members are its base's): rename each one once.
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    const record = value as Record<string, unknown>;
    if (record.kind === 'named' && typeof record.name === 'string') record.name = rename(record.name);
    for (const [key, inner] of Object.entries(record)) if (key !== 'doc' && key !== 'loc') visit(inner);
  };
  for (const type of copy.types) {
    type.name = rename(type.name);
    if ((type.kind === 'struct' || type.kind === 'union') && type.base !== undefined) type.base = rename(type.base);
  }
  visit(copy.types);
  visit(copy.commands);
  visit(copy.events);
  return copy;
}

/** A permutation of the names from a seed: names swap with one another, as well as change. */
function shuffled(names: string[], seed: number): Map<string, string> {
  const out = [...names];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return new Map(names.map((n, i) => [n, out[i]!]));
}

describe('a release with every type renamed consistently', () => {
  const property = (base: QmpModel, runs: number) =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom('', 'Qmp', 'X_'), (seed, prefix) => {
        const map = shuffled(
          base.types.map((t) => t.name),
          seed,
        );
        const renamed = renameTypes(base, (n) => `${prefix}${map.get(n) ?? n}`);
        // Every reference still names a type of the model: a name lost would read as `any` and hide a change.
        const known = new Set(renamed.types.map((t) => t.name));
        const refs = JSON.stringify([renamed.types, renamed.commands, renamed.events]).match(/"kind":"named","name":"[^"]+"/g) ?? [];
        expect(refs.length).toBeGreaterThan(0);
        expect(refs.filter((r) => !known.has(r.slice(r.lastIndexOf(':"') + 2, -1)))).toEqual([]);
        const d = diffModels(base, renamed);
        // No change on the wire; only notes, each naming the renaming it saw.
        expect([d.breaking, d.compatible]).toEqual([0, 0]);
        for (const c of d.changes) {
          expect(c).toMatchObject({ kind: 'renamed', severity: 'note', breaking: false });
          expect(c.new).toBe(`${prefix}${map.get(c.old!)}`);
        }
        const renamedTypes = base.types.filter((t) => `${prefix}${map.get(t.name)}` !== t.name).length;
        if (renamedTypes > 0) expect(d.notes).toBeGreaterThan(0);
      }),
      { numRuns: runs },
    );

  it('diffs as no wire change: the guest agent', () => property(qga, 25));
  it('diffs as no wire change: QEMU 10.2, names swapped among its own types', () => property(qemu, 3));

  it('reports each renamed type once, with the commands that reach it', () => {
    const d = diffModels(
      qga,
      renameTypes(qga, (n) => (n === 'GuestAgentInfo' ? 'GuestAgentInformation' : n)),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'renamed',
        name: 'GuestAgentInformation',
        oldName: 'GuestAgentInfo',
        message: 'type GuestAgentInfo is now GuestAgentInformation: the same on the wire; TypeScript code that names GuestAgentInfo there must change',
        reaches: [{ subject: 'command', name: 'guest-info', via: 'returns' }],
      }),
    ]);
    expect(renderMarkdown(d)).toContain('## Types renamed (TypeScript only) (1)');
  });
});

describe('a type used as argument and as reply, widened', () => {
  // GuestLogicalProcessor: guest-get-vcpus returns it, guest-set-vcpus takes it.
  const both = [
    { subject: 'command', name: 'guest-get-vcpus', via: 'returns' },
    { subject: 'command', name: 'guest-set-vcpus', via: 'arguments' },
  ];

  it('a required member made optional breaks what clients receive, not what they send', () => {
    const d = diffModels(
      qga,
      edit(qga, (m) => (member(m, 'GuestLogicalProcessor', 'online').optional = true)),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'required-to-optional',
        subject: 'type',
        name: 'GuestLogicalProcessor',
        member: 'online',
        breaking: true,
        directions: ['input', 'output'],
        breakingFor: ['output'],
        reaches: both,
        message: 'type GuestLogicalProcessor: member online changed from required to optional (breaks what clients receive, not what they send)',
      }),
    ]);
  });

  it('an integer widened to a number breaks what clients receive, not what they send', () => {
    const d = diffModels(
      qga,
      edit(qga, (m) => (member(m, 'GuestLogicalProcessor', 'logical-id').type = { kind: 'builtin', name: 'number' })),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'type-changed',
        member: 'logical-id',
        old: 'integer (int)',
        new: 'number',
        breakingFor: ['output'],
        directions: ['input', 'output'],
      }),
    ]);
  });

  it('narrowed the other way (an optional member made required), it breaks what clients send only', () => {
    const d = diffModels(
      qga,
      edit(qga, (m) => (member(m, 'GuestLogicalProcessor', 'can-offline').optional = false)),
    );
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'optional-to-required', breaking: true, breakingFor: ['input'] })]);
  });

  it('str → StrOrNull in a member sent and received (BitmapMigrationNodeAlias) breaks receiving only', () => {
    // migrate-set-parameters sends block-bitmap-mapping; query-migrate-parameters returns it.
    const strOrNull: TypeRef = { kind: 'named', name: 'StrOrNull' };
    const d = diffModels(
      qemu,
      edit(qemu, (m) => (member(m, 'BitmapMigrationNodeAlias', 'alias').type = strOrNull)),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'type-changed',
        name: 'BitmapMigrationNodeAlias',
        member: 'alias',
        old: 'string',
        new: 'string | null (StrOrNull)',
        breakingFor: ['output'],
        reaches: [
          { subject: 'command', name: 'migrate-set-parameters', via: 'arguments' },
          { subject: 'command', name: 'query-migrate-parameters', via: 'returns' },
        ],
      }),
    ]);
  });

  it('an enum value added to an enum sent and received is compatible, with a note for readers', () => {
    const d = diffModels(
      qemu,
      edit(qemu, (m) => {
        const t = m.types.find((x) => x.name === 'MigrationCapability')!;
        if (t.kind === 'enum') t.values.push({ name: 'x-new' });
      }),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'enum-value-added',
        name: 'MigrationCapability',
        severity: 'compatible',
        directions: ['input', 'output'],
        note: 'a switch over received values may not expect it',
      }),
    ]);
  });
});

describe('each change once, where a client meets it', () => {
  it('a member added to a base is listed once, under the base, with every command that inherits it', () => {
    // BackupCommon is the base of DriveBackup and BlockdevBackup.
    const d = diffModels(
      qemu,
      edit(qemu, (m) => struct(m, 'BackupCommon').push({ name: 'x-new', optional: true, type: { kind: 'builtin', name: 'bool' }, loc })),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'member-added',
        name: 'BackupCommon',
        member: 'x-new',
        reaches: [
          { subject: 'command', name: 'blockdev-backup', via: 'arguments' },
          { subject: 'command', name: 'drive-backup', via: 'arguments' },
          { subject: 'command', name: 'transaction', via: 'arguments' },
        ],
      }),
    ]);
  });

  it("a boxed command's own argument type is reported as its arguments, once", () => {
    // migrate-set-parameters takes MigrateSetParameters (boxed), used nowhere else.
    const d = diffModels(
      qemu,
      edit(qemu, (m) => (struct(m, 'MigrateSetParameters').find((x) => x.name === 'tls-creds')!.optional = false)),
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        subject: 'command',
        name: 'migrate-set-parameters',
        member: 'arguments.tls-creds',
        type: 'MigrateSetParameters',
        kind: 'optional-to-required',
        breaking: true,
      }),
    ]);
  });

  it('a branch of a boxed union (blockdev-add) is compared too, named by its discriminator value', () => {
    const d = diffModels(
      qemu,
      edit(qemu, (m) => {
        const nbd = struct(m, 'BlockdevOptionsNbd');
        nbd.splice(
          nbd.findIndex((x) => x.name === 'export'),
          1,
        );
      }),
    );
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'member-removed', name: 'BlockdevOptionsNbd', member: 'export', breaking: true })]);
    const union = diffModels(
      qemu,
      edit(qemu, (m) => {
        const t = m.types.find((x) => x.name === 'BlockdevOptions');
        if (t?.kind === 'union') t.variants.find((v) => v.value === 'nbd')!.type = { kind: 'object', open: false, members: [] };
      }),
    );
    const removed = union.changes.filter((c) => c.kind === 'member-removed').map((c) => `${c.name} ${c.member} ${c.when?.join(',')}`);
    expect(removed).toContain('BlockdevOptions server driver=nbd');
  });
});
