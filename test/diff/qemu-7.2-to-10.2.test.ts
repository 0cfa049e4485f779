import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readModel } from '../../codegen/frontends/index.js';
import { diffModels, type ModelDiff } from '../../codegen/diff/compare.js';
import { main } from '../../codegen/cli.js';
import { defaultDiffConfiguration } from '../../codegen/targets.js';

const old72 = 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json';
const new102 = 'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json';

let diff: ModelDiff;
beforeAll(() => {
  diff = diffModels(readModel([old72], { conditions: defaultDiffConfiguration }), readModel([new102], { conditions: defaultDiffConfiguration }));
});

const names = (kind: string, subject: string) =>
  diff.changes
    .filter((c) => c.kind === kind && c.subject === subject)
    .map((c) => c.name)
    .sort();

describe('the QEMU 7.2 → 10.2 diff (Linux x86_64)', () => {
  it('finds the three removed commands and the two removed events, as breaking', () => {
    expect(names('removed', 'command')).toEqual(['x-query-opcount', 'x-query-profile', 'x-query-rdma']);
    expect(names('removed', 'event')).toEqual(['MEM_UNPLUG_ERROR', 'RDMA_GID_STATUS_CHANGED']);
    expect(diff.changes.filter((c) => c.kind === 'removed' && c.subject !== 'type').every((c) => c.breaking)).toBe(true);
  });

  it('finds the nine removed arguments', () => {
    const removed = diff.changes
      .filter((c) => c.subject === 'command' && c.kind === 'member-removed' && /^arguments\.[^.[]+$/.test(c.member ?? ''))
      .map((c) => `${c.name} ${c.member!.slice('arguments.'.length)}`)
      .sort();
    expect(removed).toEqual([
      'migrate blk',
      'migrate inc',
      'migrate-set-parameters block-incremental',
      'migrate-set-parameters compress-level',
      'migrate-set-parameters compress-threads',
      'migrate-set-parameters compress-wait-thread',
      'migrate-set-parameters decompress-threads',
      'trace-event-get-state vcpu',
      'trace-event-set-state vcpu',
    ]);
  });

  it('finds added commands and events, including those 10.1 freed from TARGET_ conditions', () => {
    const added = names('added', 'command');
    for (const c of ['qom-list-get', 'query-accelerators', 'blockdev-set-active', 'query-cpu-model-comparison']) expect(added).toContain(c);
    expect(names('added', 'event')).toContain('VFIO_MIGRATION');
    expect(added).not.toContain('get-win32-socket'); // CONFIG_WIN32: not on a Linux host
  });

  it('finds removed enum values, breaking where clients send them', () => {
    const removed = diff.changes.filter((c) => c.kind === 'enum-value-removed').map((c) => `${c.name} ${/'(.*)'/.exec(c.message)![1]} ${c.breaking}`);
    expect(removed).toEqual(expect.arrayContaining(['MigrationCapability compress true', 'MigrationCapability block true', 'ChardevBackendKind console true']));
  });

  it('lists newly deprecated commands and arguments', () => {
    const deprecated = diff.changes.filter((c) => c.kind === 'deprecated').map((c) => `${c.name}${c.member ? ` ${c.member}` : ''}`);
    expect(deprecated).toEqual(expect.arrayContaining(['block-job-pause', 'migrate arguments.detach']));
  });

  it('no longer repeats a command-level change at type level', () => {
    // Before, 'MigrateSetParameters: member compress-level removed' stood beside
    // 'migrate-set-parameters: argument compress-level removed'. MigrateSetParameters is the
    // command's own (boxed) argument type, MigrationParameters query-migrate-parameters' reply.
    expect(
      diff.changes.filter((c) => c.subject === 'type' && ['MigrateSetParameters', 'MigrationParameters', 'MigrationInfo', 'StatusInfo'].includes(c.name)),
    ).toEqual([]);
    expect(diff.changes.find((c) => c.member === 'arguments.compress-level')).toMatchObject({
      name: 'migrate-set-parameters',
      type: 'MigrateSetParameters',
      breaking: true,
    });
    expect(diff.changes.find((c) => c.member === 'returns.compress-level')).toMatchObject({
      name: 'query-migrate-parameters',
      type: 'MigrationParameters',
      breaking: false,
    });
    // 9.1 dropped StatusInfo's singlestep (required in 7.2's run-state.json): query-status' readers break.
    expect(diff.changes.find((c) => c.member === 'returns.singlestep')).toMatchObject({ name: 'query-status', kind: 'member-removed', breaking: true });
    const messages = diff.changes.map((c) => c.message);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('lists the renamed types as TypeScript notes, each checked in the two schemas', () => {
    const renames = diff.changes
      .filter((c) => c.kind === 'renamed')
      .map((c) => `${c.oldName} → ${c.name}`)
      .sort();
    expect(renames).toEqual([
      'ChardevCommon → ChardevPty', // the pty branch of ChardevBackend (char.json:593 → 714)
      'ChardevCommonWrapper → ChardevPtyWrapper',
      'CpuS390State → S390CpuState', // query-cpus-fast's s390 branch
      'ImageInfo → VmdkExtentInfo', // ImageInfoSpecificVmdk extents (block-core.json:127 → 130)
      'QCryptoCipherAlgorithm → QCryptoCipherAlgo', // crypto.json, renamed in 9.1
      'QCryptoHashAlgorithm → QCryptoHashAlgo',
      'QCryptoIVGenAlgorithm → QCryptoIVGenAlgo',
      'SGXEPCSection → SgxEpcSection',
      'SGXInfo → SgxInfo',
      'String → FdSocketAddress', // SocketAddress's fd branch (sockets.json:202 → 254)
      'StringWrapper → FdSocketAddressWrapper', // SocketAddressLegacy's fd branch (sockets.json:163 → 215)
      'TargetInfo → QemuTargetInfo',
    ]);
    expect(diff.changes.filter((c) => c.kind === 'renamed').every((c) => c.severity === 'note' && !c.breaking)).toBe(true);
    // Removed or added type names are no wire change: they are not listed.
    expect(diff.changes.filter((c) => c.subject === 'type' && (c.kind === 'removed' || c.kind === 'added'))).toEqual([]);
  });

  it('compares integer widths: memsave and pmemsave take uint64 and size where 7.2 took int, so a negative value is refused', () => {
    // 7.2 machine.json:785 {'val': 'int', 'size': 'int'}; 10.2 machine.json:821 {'val': 'uint64', 'size': 'size'}.
    const widths = diff.changes
      .filter((c) => c.kind === 'type-changed' && /^p?memsave$/.test(c.name))
      .map((c) => `${c.name} ${c.member} ${c.old} → ${c.new} ${c.breaking}`);
    expect(widths.sort()).toEqual([
      'memsave arguments.size integer (int) → integer (size) true',
      'memsave arguments.val integer (int) → integer (uint64) true',
      'pmemsave arguments.size integer (int) → integer (size) true',
      'pmemsave arguments.val integer (int) → integer (uint64) true',
    ]);
  });

  it('counts 32 breaking, 190 compatible and 12 notes (before the wire-level comparison: 34 and 322)', () => {
    expect([diff.breaking, diff.compatible, diff.notes]).toEqual([32, 190, 12]);
  });

  it('exits 1 from the CLI, since something breaks a client', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['diff', old72, new102, '--json'])).toBe(1);
      const printed = JSON.parse(String(out.mock.calls.map((c) => c[0]).join(''))) as ModelDiff;
      expect(printed.breaking).toBe(diff.breaking);
    } finally {
      out.mockRestore();
    }
  });
});
