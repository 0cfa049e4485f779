/**
 * nextEvent(source, name, options): what the generated `waitForEvent` helpers call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, QmpClient, QmpTimeoutError, type QmpEventMessage, type QmpEventSource } from '../../runtime/index.js';
import { fakeServer, type FakeServer } from './helpers/fake-server.js';

const event = (name: string, seconds: number) => `{"timestamp": {"seconds": ${seconds}, "microseconds": 0}, "event": "${name}"}\r\n`;

describe('nextEvent', () => {
  let server: FakeServer | undefined;
  afterEach(async () => server?.close());

  it('on a QmpClient takes one buffered event that passes the filter and leaves the rest', async () => {
    server = await fakeServer();
    const peerReady = server.nextPeer().then(async (peer) => (await peer.negotiate(), peer));
    await using client = await QmpClient.connect(server.path);
    const peer = await peerReady;
    peer.send(event('STOP', 1) + event('STOP', 2) + event('STOP', 3));
    const sync = client.execute('query-status');
    peer.reply(await peer.request());
    await sync;
    const second = await nextEvent(client, 'STOP', { filter: (m) => m.timestamp.seconds === 2 });
    expect(second.timestamp.seconds).toBe(2);
    expect((await nextEvent(client, 'STOP')).timestamp.seconds).toBe(1);
    expect((await nextEvent(client, undefined)).timestamp.seconds).toBe(3);
    await expect(nextEvent(client, 'STOP', { timeout: 20 })).rejects.toBeInstanceOf(QmpTimeoutError);
  });

  it('on any other source, uses subscribe alone: filter, timeout, abort, unsubscribe', async () => {
    const handlers = new Set<(m: QmpEventMessage) => void>();
    const source: QmpEventSource = {
      subscribe: (_name, handler) => {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
    };
    const emit = (m: QmpEventMessage) => [...handlers].forEach((h) => h(m));
    const waiting = nextEvent(source, 'X', { filter: (m) => (m.data as { n: number }).n > 1 });
    emit({ event: 'X', data: { n: 1 }, timestamp: { seconds: 0, microseconds: 0 } });
    emit({ event: 'X', data: { n: 2 }, timestamp: { seconds: 0, microseconds: 0 } });
    expect((await waiting).data).toEqual({ n: 2 });
    expect(handlers.size).toBe(0);
    await expect(nextEvent(source, 'X', { timeout: 10 })).rejects.toBeInstanceOf(QmpTimeoutError);
    const controller = new AbortController();
    const aborted = nextEvent(source, 'X', { signal: controller.signal });
    controller.abort(new Error('off'));
    await expect(aborted).rejects.toThrow('off');
    expect(handlers.size).toBe(0);
  });
});
