/**
 * Opt-in reconnection: against each QEMU peer (7.2, 10.0.2, 11.1.3) restarted on the same socket, and a scripted peer
 * for what must not happen (replaying a call).
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, QmpClient, QmpTimeoutError, type StateChange } from '../../runtime/index.js';
import { describeWithPeers, killAll, MINIMAL_ARGS, startQemu, tempDir, type Peer } from './helpers/qemu.js';
import { fakeServer, type FakeServer } from './helpers/fake-server.js';

const dirs: string[] = [];
afterEach(async () => {
  await killAll();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A socket path that outlives one QEMU, where the peer can reach it. */
function stablePath(peer: Peer): string {
  const dir = tempDir('qmp-reconnect-', peer);
  dirs.push(dir);
  return join(dir, 'qmp.sock');
}

const fast = { initialDelay: 10, maxDelay: 100 };

describeWithPeers(
  (peer) => `reconnect against ${peer.label}`,
  (peer) => {
    it('rejects calls pending at the loss, reconnects to a new QEMU, keeps subscriptions, and says so', async () => {
      const path = stablePath(peer);
      const first = await startQemu(peer, MINIMAL_ARGS, [], path);
      const client = await QmpClient.connect(path, { reconnect: fast });
      const states: StateChange[] = [];
      client.onStateChange((change) => states.push(change));
      const stops: number[] = [];
      client.on('STOP', (m) => stops.push(m.timestamp.seconds));
      const stream = client.events('RESUME');

      const pending = Array.from({ length: 50 }, () => client.execute('query-status'));
      first.kill('SIGKILL');
      for (const r of await Promise.allSettled(pending)) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConnectionClosedError);
      }
      await first.exited;
      expect(client.state).toBe('reconnecting');
      // a call made now waits for the connection
      const waiting = client.execute('query-status');
      await new Promise((r) => setTimeout(r, 100));
      await startQemu(peer, MINIMAL_ARGS, [], path);
      expect(await waiting).toMatchObject({ running: true });
      expect(client.state).toBe('open');
      expect(states.map((s) => s.state)).toContain('reconnecting');
      expect(states.at(-1)).toEqual({ state: 'open' });
      const reconnecting = states.find((s) => s.state === 'reconnecting')!;
      expect(reconnecting.reason).toBeInstanceOf(ConnectionClosedError);
      expect(reconnecting.attempt).toBe(1);

      // the handler and the iterator made before the loss still work
      await client.execute('stop');
      await client.execute('cont');
      expect((await stream.next()).value?.event).toBe('RESUME');
      expect(stops).toHaveLength(1);
      await client.close();
      expect(client.state).toBe('closed');
    });

    it('a call made while reconnecting fails after its timeout when QEMU does not come back', async () => {
      const path = stablePath(peer);
      const qemu = await startQemu(peer, MINIMAL_ARGS, [], path);
      const client = await QmpClient.connect(path, { reconnect: fast });
      qemu.kill('SIGKILL');
      await client.execute('query-status').catch(() => {});
      await new Promise((r) => setTimeout(r, 20));
      await expect(client.execute('query-status', {}, { timeout: 100 })).rejects.toBeInstanceOf(QmpTimeoutError);
      await client.close();
    });

    it('gives up after maxAttempts: closed for good, waiting calls rejected', async () => {
      const path = stablePath(peer);
      const qemu = await startQemu(peer, MINIMAL_ARGS, [], path);
      const client = await QmpClient.connect(path, { reconnect: { ...fast, maxAttempts: 3 } });
      const states: string[] = [];
      client.onStateChange((s) => states.push(`${s.state}${s.attempt ?? ''}`));
      qemu.kill('SIGKILL');
      const waiting = client.execute('query-status').catch((e: unknown) => e);
      const reason = await client.closed;
      expect(reason.message).toMatch(/^gave up reconnecting to unix:.* after 3 attempts$/);
      expect(states).toEqual(['reconnecting1', 'reconnecting2', 'reconnecting3', 'closed']);
      expect(await waiting).toBeInstanceOf(ConnectionClosedError);
    });
  },
);

describe('reconnect against a scripted peer', () => {
  let server: FakeServer | undefined;
  afterEach(async () => server?.close());

  it('never replays a call that was pending at the disconnect', async () => {
    const seen: string[][] = [];
    server = await fakeServer(async (peer) => {
      const mine: string[] = [];
      seen.push(mine);
      await peer.negotiate();
      for (;;) {
        const request = await peer.request();
        mine.push(String(request.execute));
        if (request.execute === 'stop')
          peer.destroy(); // lost mid-command
        else peer.reply(request, 'ok');
      }
    });
    const client = await QmpClient.connect(server.path, { reconnect: fast });
    await expect(client.execute('stop')).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(await client.execute('query-status')).toBe('ok');
    expect(seen).toEqual([['stop'], ['query-status']]);
    await client.close();
  });

  it('close() while reconnecting stops trying and rejects waiting calls', async () => {
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      peer.destroy();
    });
    const client = await QmpClient.connect(server.path, { reconnect: { initialDelay: 10_000 } });
    await new Promise((r) => setTimeout(r, 20));
    expect(client.state).toBe('reconnecting');
    const waiting = client.execute('query-status');
    await client.close();
    await expect(waiting).rejects.toMatchObject({ name: 'ConnectionClosedError', message: 'query-status: closed by the client' });
    expect(server.peers).toHaveLength(1);
  });

  it('refuses reconnect for a stream given as such', async () => {
    const { PassThrough } = await import('node:stream');
    await expect(QmpClient.connect(new PassThrough(), { reconnect: true })).rejects.toThrow(/cannot reconnect to a stream/);
  });
});
