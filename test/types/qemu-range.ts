// Type tests of the committed range target (bindings true for QEMU 7.2.0, 10.0.2, 10.2.0 and 11.1.3):
// checked by test/types/types.test.ts (tsc, strict). Each @ts-expect-error must be an error, or
// tsc fails the test. Code that compiles here works against every release of the range.
import * as qmp from '../../generated/qemu-7.2-to-11.1/index.js';
import * as qmp102 from '../../generated/qemu-10.2.0/index.js';
import type { QmpCaller } from '../../runtime/index.js';

export async function qemuRange(client: QmpCaller): Promise<void> {
  // What every release takes compiles.
  await qmp.migrate(client, { uri: 'tcp:0:4446' });
  await qmp.migrateSetCapabilities(client, { capabilities: [{ capability: 'xbzrle', state: true }] });
  await qmp.blockdevAdd(client, { driver: 'file', 'node-name': 'f0', filename: '/tmp/disk.img' });
  await qmp.blockdevMirror(client, { device: 'f0', target: 't0', sync: 'full' });

  // A 10.2-only argument does not: blockdev-mirror's target-is-zero is new in 10.1.
  await qmp102.blockdevMirror(client, { device: 'f0', target: 't0', sync: 'full', 'target-is-zero': true });
  // @ts-expect-error target-is-zero is not accepted by 7.2.0 or 10.0.2
  await qmp.blockdevMirror(client, { device: 'f0', target: 't0', sync: 'full', 'target-is-zero': true });
  // 8.2's channels replaced uri in later releases, but 7.2 requires uri.
  // @ts-expect-error channels is not accepted by 7.2.0
  await qmp.migrate(client, { channels: [{ 'channel-type': 'main', addr: { transport: 'socket', type: 'inet', host: 'h', port: '1' } }] });
  // @ts-expect-error uri is required: 7.2.0 requires it
  await qmp.migrate(client, {});
  // @ts-expect-error blk was removed in 9.1
  await qmp.migrate(client, { uri: 'tcp:0:4446', blk: true });
  // @ts-expect-error the 'block' capability was removed in 9.1
  await qmp.migrateSetCapabilities(client, { capabilities: [{ capability: 'block', state: true }] });
  // @ts-expect-error blockdev-add's `active` is new in 10.0
  await qmp.blockdevAdd(client, { driver: 'file', 'node-name': 'f0', filename: '/tmp/disk.img', active: false });
  // A command not in every release is not there.
  // @ts-expect-error qom-list-get is new in 10.1
  await qmp.qomListGet(client, { paths: ['/machine'] });
  // @ts-expect-error x-query-rdma was removed in 9.1
  type Rdma = qmp.Commands['x-query-rdma'];

  // What any release may send is admitted: 7.2's 'block' capability may come back from a 7.2 QEMU.
  for (const c of await qmp.queryMigrateCapabilities(client)) {
    if (c.capability === 'block' || c.capability === 'switchover-ack') void c.state;
  }
  // A member only 10.0 on sends (BlockDeviceInfo's active) is optional.
  for (const node of await qmp.queryNamedBlockNodes(client)) {
    const active: boolean | undefined = node.active;
    // @ts-expect-error active is optional: 7.2.0 does not send it
    const always: boolean = node.active;
    void [active, always];
  }
  // Received before 8.2 as a struct, after as a union on `type`: either may come.
  for (const job of await qmp.queryBlockJobs(client)) void [job.device, job.type];
  // 11.1 removed migrate's detach (deprecated in 10.2) and query-migrationthreads; a member only it sends is optional.
  // @ts-expect-error detach is not accepted by 11.1.3
  await qmp.migrate(client, { uri: 'tcp:0:4446', detach: true });
  // @ts-expect-error query-migrationthreads was removed in 11.1
  type Threads = qmp.Commands['query-migrationthreads'];
  for (const thread of await qmp.queryIothreads(client)) {
    const weight: number | undefined = thread['poll-weight'];
    // @ts-expect-error poll-weight is optional: only 11.1.3 sends it
    const always: number = thread['poll-weight'];
    void [weight, always];
  }
}
