/**
 * QEMU 2.8.0's QAPI schema against 7.2.0's, both in spec/ (copied from ../shared/qmp-docs, see
 * spec/README.md). Between them, in 2.10, QEMU renamed `SocketAddress` (a simple union:
 * `{ "type": "inet", "data": { "host": …, "port": … } }`) to `SocketAddressLegacy`, keeping every
 * command's JSON, and gave the name `SocketAddress` to the flat union 2.9 had added as
 * `SocketAddressFlat`; and 2.9 made migrate-set-parameters take `StrOrNull` for tls-creds.
 * Each expectation checked by hand in the schemas (2.8's qapi-schema.json and qapi/block.json,
 * 7.2's qapi/sockets.json, char.json, block-export.json, migration.json, common.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diffModels, type ModelDiff } from '../../codegen/diff/compare.js';
import { readModel } from '../../codegen/frontends/index.js';

const config = { conditions: ['linux-x86_64-7.2'] };
const schema28 = 'spec/qemu-2.8.0/qapi-schema/qapi-schema.json';
const schema72 = 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json';

let forward: ModelDiff;
let backward: ModelDiff;
beforeAll(() => {
  const [old, now] = [readModel([schema28], config), readModel([schema72], config)];
  forward = diffModels(old, now);
  backward = diffModels(now, old);
});

const reaching = (d: ModelDiff, command: string) => d.changes.filter((c) => c.reaches?.some((r) => r.name === command)).map((c) => c.message);

describe('2.8.0 → 7.2.0: the SocketAddress → SocketAddressLegacy rename of 2.10', () => {
  it('is one rename note for the places that use it (nbd-server-start addr; chardev-add socket addr, udp remote and local)', () => {
    const notes = forward.changes.filter((c) => c.kind === 'renamed' && c.oldName === 'SocketAddress');
    expect(notes).toEqual([
      expect.objectContaining({
        severity: 'note',
        breaking: false,
        name: 'SocketAddressLegacy',
        // 7.2 still has a SocketAddress, 2.9's flat union under its new name: the note says so.
        message:
          'type SocketAddressLegacy is used where SocketAddress was (SocketAddress is still defined): the same on the wire but for the types it holds (InetSocketAddress, UnixSocketAddress); TypeScript code that names SocketAddress there must change',
        reaches: [
          { subject: 'command', name: 'chardev-add', via: 'arguments' },
          { subject: 'command', name: 'nbd-server-start', via: 'arguments' },
        ],
      }),
    ]);
  });

  it('is no removed and added member: what nbd-server-start meets is only what really changed', () => {
    expect(reaching(forward, 'nbd-server-start').sort()).toEqual([
      // 7.2's InetSocketAddress (sockets.json:64) adds numeric, keep-alive and mptcp to 2.8's host, port, to, ipv4, ipv6.
      'command nbd-server-start: argument max-connections added',
      'command nbd-server-start: argument tls-authz added', // block-export.json:67
      'type InetSocketAddress: member keep-alive added',
      'type InetSocketAddress: member mptcp added',
      'type InetSocketAddress: member numeric added',
      // The implicit enum of 2.8's simple union (SocketAddressKind) is 7.2's SocketAddressType: same values.
      'type SocketAddressKind is now SocketAddressType: the same on the wire; TypeScript code that names SocketAddressKind there must change',
      'type SocketAddressLegacy is used where SocketAddress was (SocketAddress is still defined): the same on the wire but for the types it holds (InetSocketAddress, UnixSocketAddress); TypeScript code that names SocketAddress there must change',
      // 7.2's UnixSocketAddress (sockets.json:89) adds abstract and tight (CONFIG_LINUX).
      'type UnixSocketAddress: member abstract added',
      'type UnixSocketAddress: member tight added',
    ]);
    expect(forward.changes.filter((c) => c.reaches?.some((r) => r.name === 'nbd-server-start') && c.breaking)).toEqual([]);
  });

  it('reports the flat union that took the name SocketAddress where 2.8 used the simple one: blockdev-add nbd server, breaking', () => {
    // 2.8's BlockdevOptionsNbd server was the simple union; 7.2's is the flat SocketAddress: host moves out of data.
    const changes = forward.changes.filter((c) => c.name === 'SocketAddress' && c.oldName === undefined && c.when?.includes('type=inet'));
    expect(changes.map((c) => c.message)).toEqual(
      expect.arrayContaining([
        'type SocketAddress: member data (when type=inet) removed (was required)',
        'type SocketAddress: required member host (when type=inet) added',
      ]),
    );
    expect(changes.every((c) => c.reaches?.map((r) => r.name).join() === 'blockdev-add')).toBe(true);
  });
});

describe("2.8.0 → 7.2.0: migrate-set-parameters' tls-creds, str → StrOrNull", () => {
  it('is compatible: every client that sent a string still works', () => {
    const change = forward.changes.find((c) => c.name === 'migrate-set-parameters' && c.member === 'arguments.tls-creds');
    expect(change).toMatchObject({
      kind: 'type-changed',
      severity: 'compatible',
      breaking: false,
      directions: ['input'],
      old: 'string',
      new: 'string | null (StrOrNull)',
      message: 'command migrate-set-parameters: the type of arguments.tls-creds changed from string to string | null (StrOrNull)',
    });
  });

  it('breaks the other way (StrOrNull → str): a client sending null is refused', () => {
    const change = backward.changes.find((c) => c.name === 'migrate-set-parameters' && c.member === 'arguments.tls-creds');
    expect(change).toMatchObject({ kind: 'type-changed', breaking: true, breakingFor: ['input'] });
  });

  it('is reported under the command once: MigrateSetParameters, its own argument type, is not listed again', () => {
    expect(
      forward.changes.filter((c) => c.subject === 'type' && (c.name === 'MigrateSetParameters' || c.name === 'MigrationParameters') && c.kind !== 'renamed'),
    ).toEqual([]);
    // 2.8 boxed MigrationParameters for both commands; 7.2 gives migrate-set-parameters its own type.
    expect(forward.changes.filter((c) => c.kind === 'renamed' && c.oldName === 'MigrationParameters').map((c) => c.name)).toEqual(['MigrateSetParameters']);
  });
});
