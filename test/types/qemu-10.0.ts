// Type tests of the committed QEMU 10.0.2 bindings against 10.2's, pinning differences the
// upgrade report (generated/upgrades/qemu-10.0.2-to-10.2.0.md) lists: checked by
// test/types/types.test.ts (tsc, strict). Each @ts-expect-error must be an error, or tsc fails the test.
import * as qmp100 from '../../generated/qemu-10.0.2/index.js';
import * as qmp102 from '../../generated/qemu-10.2.0/index.js';
import type { QmpCaller } from '../../runtime/index.js';

export async function qemu100(client: QmpCaller): Promise<void> {
  // qom-list-get is new in 10.1: 10.2 has it, 10.0.2 does not.
  const objects: qmp102.Commands['qom-list-get']['returns'] = await qmp102.qomListGet(client, { paths: ['/machine'] });
  void objects;
  // @ts-expect-error no such function in 10.0.2
  await qmp100.qomListGet(client, { paths: ['/machine'] });
  // @ts-expect-error no such command in 10.0.2
  const missing: qmp100.Commands['qom-list-get'] | undefined = undefined;
  void missing;

  // query-accelerators is new in 10.2.
  const accelerators: qmp102.Commands['query-accelerators']['returns'] = await qmp102.queryAccelerators(client);
  void accelerators.enabled;
  // @ts-expect-error no such function in 10.0.2
  await qmp100.queryAccelerators(client);

  // blockdev-mirror's target-is-zero is new in 10.1.
  await qmp102.blockdevMirror(client, { device: 'd0', target: 't0', sync: 'full', 'target-is-zero': true });
  await qmp100.blockdevMirror(client, { device: 'd0', target: 't0', sync: 'full' });
  // @ts-expect-error target-is-zero is not an argument of 10.0.2's blockdev-mirror
  await qmp100.blockdevMirror(client, { device: 'd0', target: 't0', sync: 'full', 'target-is-zero': true });

  // x-query-opcount was removed in 10.1 (breaking).
  await qmp100.xQueryOpcount(client);
  // @ts-expect-error no such function in 10.2
  await qmp102.xQueryOpcount(client);

  // A socket chardev's reconnect (seconds, deprecated in 9.2) was removed in 10.1 (breaking);
  // reconnect-ms is in both.
  const addr = { type: 'unix', data: { path: '/tmp/c0.sock' } } as const;
  await qmp100.chardevAdd(client, { id: 'c0', backend: { type: 'socket', data: { addr, server: false, reconnect: 1 } } });
  await qmp102.chardevAdd(client, { id: 'c0', backend: { type: 'socket', data: { addr, server: false, 'reconnect-ms': 1000 } } });
  await qmp100.chardevAdd(client, { id: 'c0', backend: { type: 'socket', data: { addr, server: false, 'reconnect-ms': 1000 } } });
  // @ts-expect-error reconnect is not a member of 10.2's ChardevSocket
  await qmp102.chardevAdd(client, { id: 'c0', backend: { type: 'socket', data: { addr, server: false, reconnect: 1 } } });

  // 10.0 still has target conditions; the x86_64 build has query-cpu-model-expansion but not
  // s390x's query-cpu-model-comparison, which 10.2 (no target conditions since 10.1) has everywhere.
  await qmp100.queryCpuModelExpansion(client, { type: 'static', model: { name: 'qemu64' } });
  // @ts-expect-error s390x-only in 10.0.2's x86_64 build
  await qmp100.queryCpuModelComparison(client, { modela: { name: 'a' }, modelb: { name: 'b' } });
  await qmp102.queryCpuModelComparison(client, { modela: { name: 'a' }, modelb: { name: 'b' } });
}
