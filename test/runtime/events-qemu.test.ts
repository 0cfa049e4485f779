/**
 * Event delivery against each real QEMU peer (7.2, 10.0.2, 11.1.3): `stop` and `cont` give STOP and RESUME (QEMU sends
 * each before the command's reply, and without `data`).
 */
import { afterEach, expect, it } from 'vitest';
import { ConnectionClosedError, QmpClient, QmpEventOverflowError, QmpTimeoutError, type ConnectOptions } from '../../runtime/index.js';
import { describeWithPeers, killAll, startQemu, type Peer, type RunningQemu } from './helpers/qemu.js';

afterEach(killAll);

async function connected(peer: Peer, options: ConnectOptions = {}): Promise<{ client: QmpClient; qemu: RunningQemu }> {
  const qemu = await startQemu(peer);
  return { client: await QmpClient.connect(qemu.socket, options), qemu };
}

/** stop, cont, stop, …: `count` events, alternating STOP and RESUME, all read once this resolves. */
async function toggle(client: QmpClient, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await client.execute(i % 2 === 0 ? 'stop' : 'cont');
}

describeWithPeers(
  (peer) => `events from ${peer.label}`,
  (peer) => {
    it('keeps events that arrived before anyone listened, for the first subscriber that matches', async () => {
      const { client } = await connected(peer);
      await toggle(client, 2); // STOP and RESUME are read and buffered: nobody listens yet
      const got: string[] = [];
      client.on('STOP', (m) => got.push(m.event));
      expect(got).toEqual([]); // not inside on()
      await Promise.resolve();
      expect(got).toEqual(['STOP']);
      expect((await client.waitForEvent('RESUME', { timeout: 1000 })).event).toBe('RESUME');
      // taken once only
      await expect(client.waitForEvent('RESUME', { timeout: 50 })).rejects.toBeInstanceOf(QmpTimeoutError);
      await client.close();
    });

    it('reports overflow of the unclaimed-event buffer once per run of drops, and counts them', async () => {
      const reported: Error[] = [];
      const { client } = await connected(peer, { eventBufferSize: 3, onError: (e) => reported.push(e) });
      await toggle(client, 5); // STOP RESUME STOP RESUME STOP
      expect(client.droppedEvents).toBe(2);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(QmpEventOverflowError);
      expect(reported[0]).toMatchObject({ limit: 3 });
      const all = client.events();
      const kept = [];
      for (let i = 0; i < 3; i++) kept.push((await all.next()).value!.event);
      expect(kept).toEqual(['STOP', 'RESUME', 'STOP']); // the two oldest were dropped
      await client.close();
    });

    it('ends an iterator whose consumer fell behind with QmpEventOverflowError, after what it kept', async () => {
      const { client } = await connected(peer, { eventStreamLimit: 2 });
      const stream = client.events(['STOP', 'RESUME']);
      await toggle(client, 4);
      expect((await stream.next()).value?.event).toBe('STOP');
      expect((await stream.next()).value?.event).toBe('RESUME');
      await expect(stream.next()).rejects.toBeInstanceOf(QmpEventOverflowError);
      expect((await stream.next()).done).toBe(true);
      await client.close();
    });

    it("filters, and ends the iterator with the signal's reason on abort; what the filter refused stays buffered", async () => {
      const { client } = await connected(peer);
      const controller = new AbortController();
      const resumes = client.events(['STOP', 'RESUME'], { filter: (m) => m.event === 'RESUME', signal: controller.signal });
      await toggle(client, 2);
      expect((await resumes.next()).value?.event).toBe('RESUME');
      const pending = resumes.next();
      controller.abort(new Error('enough'));
      await expect(pending).rejects.toThrow('enough');
      expect((await resumes.next()).done).toBe(true);
      expect((await client.waitForEvent('STOP', { timeout: 1000 })).event).toBe('STOP');
      await client.close();
    });

    it('once() fires once, off() removes, and a throwing handler is reported without stopping others', async () => {
      const reported: Error[] = [];
      const { client } = await connected(peer, { onError: (e) => reported.push(e) });
      const calls: string[] = [];
      const removed = () => calls.push('removed');
      client.once('STOP', () => calls.push('once'));
      client.on('STOP', () => {
        throw new Error('handler bug');
      });
      client.on('STOP', removed).off('STOP', removed);
      client.on('STOP', () => calls.push('on'));
      await toggle(client, 3); // STOP RESUME STOP
      expect(calls).toEqual(['once', 'on', 'on']);
      expect(reported.map((e) => e.message)).toEqual(['an event handler for STOP threw: handler bug', 'an event handler for STOP threw: handler bug']);
      await client.close();
    });

    it('waitForEvent times out, aborts, and rejects when QEMU goes away', async () => {
      const { client, qemu } = await connected(peer);
      await expect(client.waitForEvent('STOP', { timeout: 20 })).rejects.toMatchObject({ name: 'QmpTimeoutError', command: 'event STOP' });
      const controller = new AbortController();
      const aborted = client.waitForEvent('STOP', { signal: controller.signal });
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      const lost = client.waitForEvent(['STOP', 'RESUME']);
      qemu.kill('SIGKILL');
      await expect(lost).rejects.toBeInstanceOf(ConnectionClosedError);
    });
  },
);
