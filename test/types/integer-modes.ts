// Type tests of the client's integer mode reaching the generated types: checked by
// test/types/types.test.ts (tsc, strict). Each @ts-expect-error must be an error, or tsc fails.
// Nothing here runs: the functions are only compiled (no agent or QEMU is contacted).
import * as qga from '../../generated/qga-10.2.0/index.js';
import * as qmp from '../../generated/qemu-10.2.0/index.js';
import { QgaClient, QmpClient, type ConnectOptions, type InMode, type QmpCaller } from '../../runtime/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const holds = <T extends true>(): T | undefined => undefined;

export async function numberMode(socket: string): Promise<void> {
  const agent = await QgaClient.connect<qga.Commands>(socket);
  // guest-get-time's nanoseconds since 1970 are an int64: a number, as ever, by default.
  const time = await qga.guestGetTime(agent);
  const ns: number = time;
  // @ts-expect-error a number-mode client never delivers a bigint here
  const exact: bigint = time;
  void [ns + 1, exact];
  holds<Equal<Awaited<ReturnType<typeof agent.execute<'guest-get-time'>>>, qga.Commands['guest-get-time']['returns']>>();
  // @ts-expect-error a bigint argument needs a bigint-mode client
  await qga.guestSetTime(agent, { time: 1n });
}

export async function bigintMode(socket: string): Promise<void> {
  const agent = await QgaClient.connect<qga.Commands>(socket, { integers: 'bigint' });
  // In bigint mode an int64 reply reads as what the runtime may deliver: a bigint when beyond
  // 2^53, a number when small.
  const time = await qga.guestGetTime(agent);
  holds<Equal<typeof time, number | bigint>>();
  // @ts-expect-error it may be a bigint
  const ns: number = time;
  void ns;
  const viaExecute = await agent.execute('guest-get-time');
  holds<Equal<typeof viaExecute, number | bigint>>();
  // Wide arguments accept either.
  await qga.guestSetTime(agent, { time: 1_700_000_000_000_000_000n });
  await qga.guestSetTime(agent, { time: 5 });
  // A reply without wide integers is as in number mode; a uint64 deep in one is widened.
  const stats = await qga.guestGetDiskstats(agent);
  for (const disk of stats) {
    holds<Equal<NonNullable<NonNullable<typeof disk.stats>['read-sectors']>, number | bigint>>();
    holds<Equal<typeof disk.name, string>>();
  }
}

export async function monitorModes(socket: string, options: ConnectOptions): Promise<void> {
  const monitor = await QmpClient.connect<qmp.Commands, qmp.Events>(socket, { integers: 'bigint' });
  // int32 and narrower stay number; int64, uint64 and size widen.
  type Dirty = InMode<qmp.BlockDirtyInfo, { integers: 'bigint' }>;
  holds<Equal<Dirty['granularity'], number>>();
  holds<Equal<Dirty['count'], number | bigint>>();
  const blocks = await qmp.queryBlock(monitor);
  for (const b of blocks) for (const d of b.inserted?.['dirty-bitmaps'] ?? []) holds<Equal<typeof d.granularity, number>>();
  // Events carry the mode too, through the client's own methods and the target's helpers.
  monitor.on('BLOCK_JOB_COMPLETED', (m) => holds<Equal<typeof m.data.len, number | bigint>>());
  qmp.onEvent(monitor, 'BLOCK_JOB_COMPLETED', (m) => holds<Equal<typeof m.data.len, number | bigint>>());
  const done = await qmp.waitForEvent(monitor, 'BLOCK_JOB_COMPLETED');
  holds<Equal<typeof done.data.len, number | bigint>>();
  for await (const m of monitor.events('BLOCK_JOB_COMPLETED')) holds<Equal<typeof m.data.len, number | bigint>>();

  // Options whose `integers` is not known to be 'bigint' give the number-mode types.
  const unknownMode = await QmpClient.connect<qmp.Commands, qmp.Events>(socket, options);
  unknownMode.on('BLOCK_JOB_COMPLETED', (m) => holds<Equal<typeof m.data.len, qmp.BlockJobCompletedData['len']>>());
  const n: number = (await qmp.queryBalloon(unknownMode)).actual;
  void n;
}

// A helper of one's own that keeps a caller's mode takes `QmpCaller<M>`; a plain `QmpCaller`
// gets the number-mode types.
export async function balloonSize(client: QmpCaller): Promise<number> {
  return (await qmp.queryBalloon(client)).actual;
}
