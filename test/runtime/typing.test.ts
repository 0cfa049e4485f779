/**
 * The typed surface, proven by `tsc` (this file is in tsconfig.json's `include`): every
 * `@ts-expect-error` below must be an error, or `tsc` fails. The maps are hand-written in the
 * generated code's shape (`generated/<target>/index.ts`), as a type alias and as interfaces.
 * The calls also run, against each peer (QEMU 7.2, 10.0.2, 11.1.3), so the types describe what
 * really happens.
 */
import { afterEach, expect, expectTypeOf, it } from 'vitest';
import { QmpClient, type CallOptions, type QmpCaller, type QmpEventMessage, type QmpEventSource } from '../../runtime/index.js';
import { describeWithPeers, killAll, startQemu } from './helpers/qemu.js';

interface StatusInfo {
  running: boolean;
  /** 7.2 sends it (its run-state.json:116); 10.0.2 and 11.1.3 do not (10.0.2's run-state.json:113-115). */
  singlestep?: boolean;
  status: 'running' | 'paused' | 'prelaunch';
}

type Commands = {
  'query-status': { args: Record<string, never>; returns: StatusInfo };
  eject: { args: { device?: string; id?: string; force?: boolean }; returns: Record<string, never> };
  'block-resize': { args: { device?: string; 'node-name'?: string; size: number }; returns: Record<string, never> };
  stop: { args: Record<string, never>; returns: Record<string, never> };
};

type Events = {
  STOP: Record<string, never>;
  BLOCK_IO_ERROR: { device: string; 'node-name'?: string; operation: 'read' | 'write'; action: 'ignore' | 'report' | 'stop' };
};

// The same maps as interfaces: the constraints must accept both.
interface CommandsInterface {
  'query-status': { args: Record<string, never>; returns: StatusInfo };
}
interface EventsInterface {
  STOP: Record<string, never>;
}

// What a generated function looks like; it must accept a QmpClient of any target.
function queryStatus(client: QmpCaller, args?: Record<string, never>, options?: CallOptions): Promise<StatusInfo> {
  return client.request('query-status', args, options) as Promise<StatusInfo>;
}
function onStop(source: QmpEventSource, handler: (message: QmpEventMessage<'STOP', Record<string, never>>) => void): () => void {
  return source.subscribe('STOP', handler as (message: QmpEventMessage) => void);
}

// A map entry of another shape (no `args`): its command cannot be called, rather than taking anything.
interface Misshapen {
  'query-status': { returns: StatusInfo };
}

/** Compile-time checks only; never called. */
function typeChecks(
  client: QmpClient<Commands, Events>,
  untyped: QmpClient,
  viaInterface: QmpClient<CommandsInterface, EventsInterface>,
  misshapen: QmpClient<Misshapen>,
): void {
  // @ts-expect-error -- the entry has no `args`, so no call is well typed
  void misshapen.execute('query-status');
  // @ts-expect-error -- not even with an object
  void misshapen.execute('query-status', {});

  expectTypeOf(client.execute('query-status')).toEqualTypeOf<Promise<StatusInfo>>();
  expectTypeOf(client.execute('eject')).toEqualTypeOf<Promise<Record<string, never>>>();
  expectTypeOf(client.execute('eject', { device: 'cd0' }, { timeout: 5 })).toEqualTypeOf<Promise<Record<string, never>>>();
  expectTypeOf(viaInterface.execute('query-status')).toEqualTypeOf<Promise<StatusInfo>>();
  void client.execute('block-resize', { device: 'd', size: 1 });

  // @ts-expect-error -- a misspelt argument
  void client.execute('eject', { devise: 'x' });
  // @ts-expect-error -- a required argument left out
  void client.execute('block-resize');
  // @ts-expect-error -- a required argument missing from the object
  void client.execute('block-resize', { device: 'd' });
  // @ts-expect-error -- an argument of the wrong type
  void client.execute('eject', { force: 'yes' });
  // @ts-expect-error -- no such command in the map
  void client.execute('no-such-command');
  // @ts-expect-error -- query-status takes no argument
  void client.execute('query-status', { verbose: true });

  client.on('BLOCK_IO_ERROR', (m) => {
    expectTypeOf(m.event).toEqualTypeOf<'BLOCK_IO_ERROR'>();
    expectTypeOf(m.data.operation).toEqualTypeOf<'read' | 'write'>();
    expectTypeOf(m.timestamp.seconds).toEqualTypeOf<number>();
  });
  // @ts-expect-error -- no such event in the map
  client.on('NO_SUCH_EVENT', () => {});
  client.once('STOP', (m) => expectTypeOf(m.data).toEqualTypeOf<Record<string, never>>());
  const both = client.events(['STOP', 'BLOCK_IO_ERROR'], { filter: (m) => m.event === 'STOP' || m.data.device === 'd' });
  void (async () => {
    for await (const m of both) {
      if (m.event === 'BLOCK_IO_ERROR') expectTypeOf(m.data.device).toEqualTypeOf<string>();
    }
    const next = await client.waitForEvent('BLOCK_IO_ERROR');
    expectTypeOf(next.data.action).toEqualTypeOf<'ignore' | 'report' | 'stop'>();
  });

  // untyped: any name, unknown result
  expectTypeOf(untyped.execute('anything', { a: 1 })).toEqualTypeOf<Promise<unknown>>();
  untyped.on('ANY', (m) => expectTypeOf(m.data).toEqualTypeOf<Record<string, unknown>>());

  // the generated code's view
  void queryStatus(client);
  void queryStatus(untyped);
  onStop(client, () => {});
}
void typeChecks;

afterEach(killAll);

describeWithPeers(
  (peer) => `the typed surface at run time, against ${peer.label}`,
  (peer) => {
    it('sends what the typed calls say and returns what QEMU replies', async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect<Commands, Events>(qemu.socket);
      // StatusInfo lost singlestep between 7.2 and 10.0.2: the optional member is there only on 7.2
      expect(await queryStatus(client)).toEqual(
        peer.name === '7.2' ? { running: true, singlestep: false, status: 'running' } : { running: true, status: 'running' },
      );
      expect((await client.execute('query-status')).status).toBe('running');
      await expect(client.execute('eject', { device: 'cd0' })).rejects.toMatchObject({ errorClass: 'DeviceNotFound', desc: "Device 'cd0' not found" });
      const stop = client.waitForEvent('STOP');
      expect(await client.execute('stop')).toEqual({});
      const message = await stop;
      expect(message).toMatchObject({ event: 'STOP', data: {} });
      expectTypeOf(message.event).toEqualTypeOf<'STOP'>();
    });
  },
);
