/**
 * Bindings true for a range of releases (codegen/range/), pinned on the bundled QEMU 7.2.0,
 * 10.0.2 and 10.2.0 schemas. Each fact below was checked in QEMU's own schema files
 * (spec/qemu-*\/qapi-schema/qapi/*.json).
 */
import { describe, expect, it } from 'vitest';
import { readModel } from '../../codegen/frontends/index.js';
import { relocateModel } from '../../codegen/ir/relocate.js';
import { factsOf } from '../../codegen/ir/facts.js';
import { readTarget } from '../../codegen/generate/read-target.js';
import { mergeReleases, RangeMergeError } from '../../codegen/range/merge.js';
import { renderRangeReport } from '../../codegen/range/report.js';
import { diffModels } from '../../codegen/diff/compare.js';
import { targets } from '../../codegen/targets.js';
import type { EnumValue, Member, NamedType, QmpModel, TypeRef } from '../../codegen/ir/types.js';
import { projectRoot } from '../support/typecheck.js';

const target = (name: string) => targets.find((t) => t.name === name)!;
const [q72, q1002, q102] = ['qemu-7.2.0', 'qemu-10.0.2', 'qemu-10.2.0'].map((n) => readTarget(target(n), projectRoot)) as [QmpModel, QmpModel, QmpModel];
const range = mergeReleases([
  { label: '7.2.0', model: q72 },
  { label: '10.0.2', model: q1002 },
  { label: '10.2.0', model: q102 },
]);

const command = (model: QmpModel, name: string) => model.commands.find((c) => c.name === name);
const type = (model: QmpModel, name: string): NamedType => {
  const found = model.types.find((t) => t.name === name);
  if (!found) throw new Error(`no type ${name}`);
  return found;
};
const named = (ref: TypeRef | undefined): string => (ref?.kind === 'named' ? ref.name : ref?.kind === 'array' ? named(ref.of) : `(${ref?.kind ?? 'none'})`);
const members = (model: QmpModel, name: string): readonly Member[] => {
  const t = type(model, name);
  return t.kind === 'union' ? t.baseMembers : factsOf(model).structMembers(name);
};
const member = (model: QmpModel, owner: string, name: string): Member | undefined => members(model, owner).find((m) => m.name === name);
const values = (model: QmpModel, name: string): string[] => (type(model, name) as { values: EnumValue[] }).values.map((v) => v.name);
const findings = (code: string) => range.diagnostics.filter((d) => d.code === code).map((d) => d.message);

describe('a range target over QEMU 7.2.0, 10.0.2 and 10.2.0', () => {
  it('has the commands and events every release has, and reports the others as left out with the releases that have them', () => {
    expect(range.source).toMatchObject({ frontend: 'range', releases: ['7.2.0', '10.0.2', '10.2.0'] });
    expect([range.commands.length, range.events.length]).toEqual([213, 50]);
    // x-query-rdma: removed with RDMA migration in 9.1; query-migrationthreads: added in 9.2, so
    // in 10.0.2 and 10.2.0 only; qom-list-get: added in 10.1.
    for (const name of ['x-query-rdma', 'query-migrationthreads', 'qom-list-get']) expect(command(range, name), name).toBeUndefined();
    expect(findings('range-absent')).toEqual(
      expect.arrayContaining([
        'command x-query-rdma: left out, only QEMU 7.2.0 has it',
        'command query-migrationthreads: left out, only QEMU 10.0.2 and 10.2.0 have it',
        'command qom-list-get: left out, only QEMU 10.2.0 has it',
        'event RDMA_GID_STATUS_CHANGED: left out, only QEMU 7.2.0 has it',
      ]),
    );
    expect(command(range, 'query-status')).toBeDefined();
  });

  it("sends only what every release accepts: migrate has neither 7.2's blk nor 8.2's channels, and uri stays required as 7.2 requires it", () => {
    const migrate = command(range, 'migrate')!;
    expect(command(q72, 'migrate')!.arguments.map((m) => m.name)).toEqual(expect.arrayContaining(['uri', 'blk', 'inc']));
    expect(command(q102, 'migrate')!.arguments.map((m) => m.name)).toEqual(expect.arrayContaining(['uri', 'channels']));
    expect(migrate.arguments.map((m) => m.name)).toEqual(['uri', 'detach', 'resume']);
    const uri = migrate.arguments.find((m) => m.name === 'uri')!;
    expect([command(q72, 'migrate')!.arguments[0]!.optional, command(q102, 'migrate')!.arguments[0]!.optional]).toEqual([false, true]);
    expect(uri.optional).toBe(false);
    expect(uri.notes).toEqual(['Required: QEMU 7.2.0 requires it, though QEMU 10.0.2 and 10.2.0 do not.']);
    expect(findings('range-left-out')).toEqual(
      expect.arrayContaining([
        'command migrate: member blk left out, only QEMU 7.2.0 accepts it',
        'command migrate: member channels left out, only QEMU 10.0.2 and 10.2.0 accept it',
      ]),
    );
  });

  it("a member added in 10.0 (`active`, block-core.json) is not among blockdev-add's arguments, and is optional with remarks in query-named-block-nodes' replies", () => {
    expect(member(q1002, 'BlockdevOptions', 'active')).toMatchObject({ optional: true });
    expect(member(q72, 'BlockdevOptions', 'active')).toBeUndefined();
    expect(named(command(range, 'blockdev-add')!.argumentsType)).toBe('BlockdevOptions');
    expect(member(range, 'BlockdevOptions', 'active')).toBeUndefined();
    expect(type(range, 'BlockdevOptions').doc.notes).toContain('Left out, as not every release of this range accepts them: `active` (QEMU 10.0.2 and 10.2.0).');

    expect(member(q102, 'BlockDeviceInfo', 'active')).toMatchObject({ optional: false });
    expect(named(command(range, 'query-named-block-nodes')!.returns)).toBe('BlockDeviceInfo');
    expect(member(range, 'BlockDeviceInfo', 'active')).toMatchObject({ optional: true, notes: ['Only QEMU 10.0.2 and 10.2.0 send it; QEMU 7.2.0 does not.'] });
    // An event's data likewise: BLOCK_IO_ERROR gained qom-path in 8.2.
    const qomPath = range.events.find((e) => e.name === 'BLOCK_IO_ERROR')!.data.find((m) => m.name === 'qom-path');
    expect(qomPath).toMatchObject({ optional: true, notes: ['Only QEMU 10.0.2 and 10.2.0 send it; QEMU 7.2.0 does not.'] });
  });

  it("an enum value removed (MigrationCapability 'block', gone in 9.1) is absent from what is sent and present, marked, in what is received", () => {
    expect(values(q72, 'MigrationCapability')).toContain('block');
    expect(values(q1002, 'MigrationCapability')).not.toContain('block');
    const sent = command(range, 'migrate-set-capabilities')!.arguments[0]!;
    expect(named(sent.type)).toBe('MigrationCapabilityStatus');
    expect(named(member(range, 'MigrationCapabilityStatus', 'capability')!.type)).toBe('MigrationCapability');
    expect(values(range, 'MigrationCapability')).not.toContain('block');
    // 8.1's switchover-ack is sent by 10.0.2 and 10.2.0 only: not offered either.
    expect(values(range, 'MigrationCapability')).not.toContain('switchover-ack');
    expect(values(range, 'MigrationCapability')).toContain('xbzrle');

    expect(named(command(range, 'query-migrate-capabilities')!.returns)).toBe('MigrationCapabilityStatusReceived');
    expect(named(member(range, 'MigrationCapabilityStatusReceived', 'capability')!.type)).toBe('MigrationCapabilityReceived');
    const received = (type(range, 'MigrationCapabilityReceived') as { values: EnumValue[] }).values;
    expect(received.find((v) => v.name === 'block')?.doc).toMatch(/\(only QEMU 7\.2\.0 sends it\)$/);
    expect(received.find((v) => v.name === 'switchover-ack')?.doc).toMatch(/\(only QEMU 10\.0\.2 and 10\.2\.0 send it\)$/);
    expect(type(range, 'MigrationCapability').doc.notes).toContain(
      'As every QEMU of this range accepts it; `MigrationCapabilityReceived` is what any of them may send.',
    );
  });

  it('a type reached both ways is two types where the ways differ (InetSocketAddress: 10.1 added keep-alive-count), one where they do not', () => {
    expect(member(range, 'InetSocketAddress', 'keep-alive-count')).toBeUndefined();
    expect(member(range, 'InetSocketAddressReceived', 'keep-alive-count')).toMatchObject({
      optional: true,
      notes: ['Only QEMU 10.2.0 sends it; QEMU 7.2.0 and 10.0.2 do not.'],
    });
    // Unchanged in every release, and sent (blockdev-add) and received (query-named-block-nodes).
    expect(range.types.filter((t) => t.name.startsWith('BlockdevDetectZeroesOptions')).map((t) => t.name)).toEqual(['BlockdevDetectZeroesOptions']);
  });

  it('matches types by where they are used: a type QEMU renamed is one type under its newest name, saying its older one', () => {
    // 9.1 renamed QCryptoHashAlgorithm to QCryptoHashAlgo (crypto.json); the wire is unchanged.
    expect(q72.types.some((t) => t.name === 'QCryptoHashAlgorithm')).toBe(true);
    expect(q1002.types.some((t) => t.name === 'QCryptoHashAlgorithm')).toBe(false);
    expect(range.types.some((t) => t.name.startsWith('QCryptoHashAlgorithm'))).toBe(false);
    expect(type(range, 'QCryptoHashAlgo').doc.notes).toContain('Called `QCryptoHashAlgorithm` in QEMU 7.2.0, at the same places.');
    // 8.0's FdSocketAddress is the type 7.2 called String in SocketAddress's fd branch.
    expect(type(range, 'FdSocketAddress').doc.notes).toContain('Called `String` in QEMU 7.2.0, at the same places.');
  });

  it('locates and reports what cannot be merged faithfully: BlockJobInfo, a struct in 7.2 and a union from 8.2, is received as either', () => {
    expect(type(q72, 'BlockJobInfo').kind).toBe('struct');
    expect(type(q102, 'BlockJobInfo').kind).toBe('union');
    const conflict = range.diagnostics.find((d) => d.code === 'range-conflict' && d.message.startsWith('command query-block-jobs'));
    expect(conflict).toMatchObject({
      severity: 'warning',
      message: 'command query-block-jobs returns (its elements) is a struct in QEMU 7.2.0, a union in QEMU 10.0.2 and 10.2.0: typed as either',
      file: 'spec/qemu-10.2.0/qapi-schema/qapi/block-core.json',
    });
    expect(command(range, 'query-block-jobs')!.returns).toEqual({
      kind: 'array',
      of: {
        kind: 'union',
        of: [
          { kind: 'named', name: 'BlockJobInfoQemu72' },
          { kind: 'named', name: 'BlockJobInfo' },
        ],
      },
    });
    expect(type(range, 'BlockJobInfoQemu72').doc.notes).toContain('The form of QEMU 7.2.0; `BlockJobInfo` is that of QEMU 10.0.2 and 10.2.0.');
    expect(renderRangeReport(range)).toContain(`- ${conflict!.message} (\`spec/qemu-10.2.0/qapi-schema/qapi/block-core.json:${conflict!.line}\`)`);
  });

  it("reports integers whose ranges overlap without one holding the other: memsave's val, int in 7.2, uint64 from 8.1 (machine.json)", () => {
    expect(command(q72, 'memsave')!.arguments.find((m) => m.name === 'val')!.type).toEqual({ kind: 'builtin', name: 'int' });
    expect(command(q102, 'memsave')!.arguments.find((m) => m.name === 'val')!.type).toEqual({ kind: 'builtin', name: 'uint64' });
    expect(range.diagnostics.find((d) => d.message.startsWith('command memsave: member val'))).toMatchObject({
      severity: 'warning',
      message:
        'command memsave: member val is int in QEMU 7.2.0, uint64 in QEMU 10.0.2 and 10.2.0: typed as uint64; every release accepts integers from 0 to 9223372036854775807 only',
      file: 'spec/qemu-10.2.0/qapi-schema/qapi/machine.json',
    });
    // Six in all: BlockJobInfo and SevInfo received as either, memsave's and pmemsave's val and size.
    expect(findings('range-conflict').map((m) => m.split(':')[0])).toEqual([
      'command query-block-jobs returns (its elements) is a struct in QEMU 7.2.0, a union in QEMU 10.0.2 and 10.2.0',
      'command memsave',
      'command memsave',
      'command pmemsave',
      'command pmemsave',
      'command query-sev returns is a struct in QEMU 7.2.0, a union in QEMU 10.0.2 and 10.2.0',
    ]);
  });

  it('a client of the range meets nothing breaking in any of its releases (the wire diff) but where a conflict is reported; one of 10.2 does in 7.2', () => {
    const conflicted = new Set(findings('range-conflict').map((m) => /^command ([^\s:]+)/.exec(m)?.[1]));
    const breaking = (from: QmpModel, to: QmpModel) =>
      diffModels(from, to)
        .changes.filter((c) => c.breaking && !conflicted.has(c.name))
        .map((c) => c.message);
    for (const release of [q72, q1002, q102]) expect(breaking(range, release), release.source.release).toEqual([]);
    expect(breaking(q102, q72).length).toBeGreaterThan(20);
  });

  it("keeps the documents' examples true for every release and leaves out those true for their own only", () => {
    // 10.2's migrate examples send `channels` (8.2), which 7.2 does not take; the `uri` one holds.
    expect(findings('range-left-out').filter((m) => m.startsWith('command migrate: example'))).toEqual([
      ...Array<string>(3).fill('command migrate: example request left out (with its replies): true for QEMU 10.2.0, not for every release'),
      // its `offset` is a string where the documents say uint64, which 10.2's own target marks
      'command migrate: example request left out (with its replies): contradicts the documents of QEMU 10.2.0 too',
    ]);
    const sent = command(range, 'migrate')!.examples.flatMap((e) => e.messages.filter((m) => m.direction === '->').map((m) => m.json));
    expect(sent).toEqual([{ execute: 'migrate', arguments: { uri: 'tcp:0:4446' } }]);
    expect(command(range, 'query-status')!.examples).toEqual(command(q102, 'query-status')!.examples);
  });
});

describe('matching by use, not by name', () => {
  it("merges a release's schema with its own query-qmp-schema reply (numbers for names) into the schema's interface, with no findings", () => {
    const live = relocateModel(readModel([`${projectRoot}/spec/qemu-10.0.2/query-qmp-schema.json`]), projectRoot);
    expect(live.source.frontend).toBe('introspection');
    const merged = mergeReleases([
      { label: 'live', model: live },
      { label: 'schema', model: q1002 },
    ]);
    // Nothing left out or in conflict; only examples that contradict 10.0.2's own documents go.
    expect(merged.diagnostics.filter((d) => !d.message.includes('contradicts the documents of QEMU schema too'))).toEqual([]);
    expect(merged.diagnostics.length).toBeGreaterThan(0);
    expect([merged.commands.length, merged.events.length]).toEqual([q1002.commands.length, q1002.events.length]);
    // Named as the schema names them, though the reply's names come first in the range.
    expect(named(command(merged, 'blockdev-add')!.argumentsType)).toBe('BlockdevOptions');
    const changes = diffModels(q1002, merged).changes.filter((c) => c.subject !== 'type');
    expect(changes).toEqual([]);
  });
});

describe('bad ranges', () => {
  it('says what is wrong', () => {
    expect(() => mergeReleases([{ label: '7.2.0', model: q72 }])).toThrow(new RangeMergeError('a range needs at least two releases, got 1'));
    expect(() =>
      mergeReleases([
        { label: 'x', model: q72 },
        { label: 'x', model: q1002 },
      ]),
    ).toThrow('release x is named twice in the range');
  });
});
