// Type tests of the committed QEMU 11.1.3 bindings (from its live query-qmp-schema reply, named
// and documented from 10.2.0) against 10.2's: code written against 10.2 compiles against them
// wherever the shapes agree, and the differences the upgrade report
// (generated/upgrades/qemu-10.2.0-to-11.1.3.md) lists are type errors. Checked by
// test/types/types.test.ts (tsc, strict). Each @ts-expect-error must be an error, or tsc fails the test.
import * as qmp102 from '../../generated/qemu-10.2.0/index.js';
import * as qmp111 from '../../generated/qemu-11.1.3/index.js';
import type { QmpCaller } from '../../runtime/index.js';

/** Written against 10.2's bindings: the names are QEMU's, so 11.1's values fit where the shapes agree. */
function describe102(status: qmp102.StatusInfo, version: qmp102.VersionInfo, block: qmp102.BlockInfo[]): string {
  return `${status.status} ${version.qemu.major}.${version.qemu.minor} ${block.map((b) => b.device).join(',')}`;
}

export async function qemu111(client: QmpCaller): Promise<void> {
  // QEMU's names (StatusInfo, not the reply's query-status result), interchangeable both ways with 10.2's.
  const status: qmp111.StatusInfo = await qmp111.queryStatus(client);
  const version: qmp111.VersionInfo = await qmp111.queryVersion(client);
  const blocks: qmp111.BlockInfo[] = await qmp111.queryBlock(client);
  void describe102(status, version, blocks);
  const back: qmp111.StatusInfo = await qmp102.queryStatus(client);
  void back;
  // Integer widths come from 10.2 where the shapes agree (the reply says int for all).
  const balloon: qmp111.BalloonInfo = await qmp111.queryBalloon(client);
  const actual: qmp102.BalloonInfo['actual'] = balloon.actual;
  void actual;
  // A command with the same shape takes 10.2's arguments as they are.
  const args: qmp102.Commands['blockdev-snapshot-sync']['args'] = { 'snapshot-file': '/tmp/s.qcow2', device: 'd0' };
  await qmp111.blockdevSnapshotSync(client, args);

  // query-migrationthreads is gone in 11.1 (10.2 had it deprecated, with no replacement).
  await qmp102.queryMigrationthreads(client);
  // @ts-expect-error no such function in 11.1.3
  await qmp111.queryMigrationthreads(client);

  // migrate's detach argument was removed (breaking).
  await qmp102.migrate(client, { uri: 'tcp:0:4444', detach: true });
  await qmp111.migrate(client, { uri: 'tcp:0:4444' });
  // @ts-expect-error detach is not an argument of 11.1.3's migrate
  await qmp111.migrate(client, { uri: 'tcp:0:4444', detach: true });

  // IOThreadInfo gained a required poll-weight: QEMU's name, another shape; a 10.2 value is not an 11.1 one.
  const threads: qmp111.IOThreadInfo[] = await qmp111.queryIothreads(client);
  const weight: number = threads[0]!['poll-weight'];
  void weight;
  const old: qmp102.IOThreadInfo = (await qmp102.queryIothreads(client))[0]!;
  // @ts-expect-error poll-weight is missing from 10.2's IOThreadInfo
  const converted: qmp111.IOThreadInfo = old;
  void converted;

  // This build has no gluster block driver (10.2's Linux preset has one).
  const driver: qmp102.BlockdevDriver = 'gluster';
  void driver;
  // @ts-expect-error 'gluster' is not a BlockdevDriver of 11.1.3
  const gone: qmp111.BlockdevDriver = 'gluster';
  void gone;

  // New in 11.1, named after where it is used: block-export-add's iothread takes a list too,
  // and a dbus chardev has an encoding.
  await qmp111.blockExportAdd(client, { type: 'nbd', id: 'e0', 'node-name': 'n0', iothread: ['io0', 'io1'] });
  // @ts-expect-error 10.2's iothread is one name
  await qmp102.blockExportAdd(client, { type: 'nbd', id: 'e0', 'node-name': 'n0', iothread: ['io0', 'io1'] });
  const encoding: qmp111.ChardevDBusEncoding = 'utf8';
  void encoding;
}
