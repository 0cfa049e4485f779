// Type tests of the committed QEMU 10.2 bindings: checked by test/types/types.test.ts (tsc, strict).
// Each @ts-expect-error must be an error, or tsc fails the test.
import * as qmp from '../../generated/qemu-10.2.0/index.js';
import type { QmpCaller } from '../../runtime/index.js';

export async function qemu102(client: QmpCaller): Promise<void> {
  // qom-list-get is new in 10.1, and typed.
  const objects: qmp.Commands['qom-list-get']['returns'] = await qmp.qomListGet(client, { paths: ['/machine'] });
  for (const o of objects) for (const p of o.properties) void [p.name, p.type, p.value];

  // migrate lost `blk` (and `inc`) in 9.1.
  await qmp.migrate(client, { uri: 'tcp:0:4446' });
  // @ts-expect-error blk was removed
  await qmp.migrate(client, { uri: 'tcp:0:4446', blk: true });

  // x-query-rdma was removed in 9.1.
  // @ts-expect-error no such function
  await qmp.xQueryRdma(client);
  // @ts-expect-error no such command
  type Rdma = qmp.Commands['x-query-rdma'];

  // A discriminated union: driver 'file' needs filename.
  await qmp.blockdevAdd(client, { driver: 'file', 'node-name': 'f0', filename: '/tmp/disk.img' });
  // @ts-expect-error filename is required for driver 'file'
  await qmp.blockdevAdd(client, { driver: 'file', 'node-name': 'f0' });
  // An alternate: a node name or inline options.
  await qmp.blockdevAdd(client, { driver: 'qcow2', 'node-name': 'q0', file: 'f0' });
  await qmp.blockdevAdd(client, { driver: 'qcow2', 'node-name': 'q0', file: { driver: 'file', filename: '/tmp/disk.qcow2' } });
  // @ts-expect-error an enum value that does not exist
  await qmp.blockdevAdd(client, { driver: 'floppy-disk', 'node-name': 'x' });
}
