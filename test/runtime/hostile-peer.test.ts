/**
 * QmpClient and QgaClient against a scripted peer that means harm or is broken in ways a real
 * QEMU is not: huge nested replies, floods, malformed events, a peer that stops reading. Each
 * test pins that the client stays up, says what happened, and leaves no call waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  QgaClient,
  QmpClient,
  QmpPendingLimitError,
  QmpPrecisionWarning,
  QmpProtocolError,
  type ConnectOptions,
  type QmpEventMessage,
} from '../../runtime/index.js';
import { fakeServer, type FakePeer, type FakeServer } from './helpers/fake-server.js';
import { greeting72 } from './helpers/fixtures.js';

let server: FakeServer | undefined;
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

/** A client connected to a fresh fake server whose peer has negotiated; `errors` collects `onError`. */
async function connected(options: ConnectOptions = {}, greeting = greeting72): Promise<{ client: QmpClient; peer: FakePeer; errors: Error[] }> {
  server = await fakeServer();
  const peerReady = server.nextPeer().then(async (peer) => (await peer.negotiate(greeting), peer));
  const errors: Error[] = [];
  const client = await QmpClient.connect(server.path, { onError: (e) => errors.push(e), ...options });
  clients.push(client);
  return { client, peer: await peerReady, errors };
}

const WIDE = '18446744073709551615';
/** `[W,[W,[W,…[1]…]]]`: `depth` wide integers, each one level deeper than the last. */
function nestedWide(depth: number): string {
  return `${`[${WIDE},`.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('integers beyond 2^53 in a huge nested reply', () => {
  it('delivers a 2 MB reply of 100 000 nested wide integers, with one bounded warning naming the first and the count', async () => {
    const { client, peer, errors } = await connected();
    const call = client.execute('guest-evil');
    const request = await peer.request();
    peer.send(`{"return": ${nestedWide(100_000)}, "id": ${JSON.stringify(request.id)}}\r\n`);
    const value = (await call) as unknown[];
    expect(value[0]).toBe(18446744073709552000);
    const warnings = errors.filter((e) => e instanceof QmpPrecisionWarning);
    expect(warnings).toHaveLength(1);
    const warning = warnings[0] as QmpPrecisionWarning;
    expect(warning.count).toBe(100_000);
    expect(warning.integers).toHaveLength(10);
    expect(warning.integers[0]).toEqual({ path: 'return[0]', literal: WIDE });
    expect(warning.integers[2]!.path).toBe('return[1][1][0]');
    expect(warning.message).toContain('and 99990 more');
    expect(warning.message.length).toBeLessThan(4000);
    expect(client.state).toBe('open');
  });

  it('delivers them exactly with integers: bigint, however deep', async () => {
    const { client, peer } = await connected({ integers: 'bigint' });
    const call = client.execute('guest-evil');
    const request = await peer.request();
    peer.send(`{"return": ${nestedWide(100_000)}, "id": ${JSON.stringify(request.id)}}\r\n`);
    let node = (await call) as unknown[];
    for (let level = 0; level < 99_999; level++) node = node[1] as unknown[];
    expect(node).toEqual([BigInt(WIDE), 1]);
  });
});

describe('nothing thrown while reading escapes', () => {
  it('reports a throw in the reading path through onError and settles the pending calls', async () => {
    const seen: Error[] = [];
    const { client, peer } = await connected({
      onError: (error) => {
        seen.push(error);
        if (error instanceof QmpPrecisionWarning) throw new Error('an onError that throws');
      },
    });
    const call = client.execute('query-status');
    await peer.request();
    peer.send(`{"event": "X", "data": {"n": ${WIDE}}, "timestamp": {"seconds": 1, "microseconds": 2}}\r\n`);
    const error = (await call.catch((e: unknown) => e)) as ConnectionClosedError;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.message).toContain("reading the server's messages failed: an onError that throws");
    expect(seen.map((e) => e.constructor.name)).toEqual(['QmpPrecisionWarning', 'ConnectionClosedError']);
    expect((await client.closed).message).toContain('an onError that throws');
  });
});

describe('a bounded client', () => {
  it('refuses a call beyond maxPending at once, unsent, and takes calls again when replies come', async () => {
    const { client, peer } = await connected({ maxPending: 2 });
    const first = client.execute('query-status');
    const second = client.execute('query-status');
    const third = await client.execute('query-status').catch((e: unknown) => e);
    expect(third).toBeInstanceOf(QmpPendingLimitError);
    expect(third).toMatchObject({ command: 'query-status', limit: 2 });
    expect((third as Error).message).toContain('2 calls already await their replies (maxPending)');
    const a = await peer.request();
    peer.reply(a, { status: 'running' });
    await first;
    const fourth = client.execute('query-name');
    const b = await peer.request();
    const c = await peer.request();
    expect([b.execute, c.execute]).toEqual(['query-status', 'query-name']);
    peer.reply(b);
    peer.reply(c);
    await Promise.all([second, fourth]);
  });

  it('waits for the socket to drain when the peer stops reading, and never sends a call aborted meanwhile', async () => {
    const { client, peer } = await connected();
    peer.socket.pause();
    const big = client.execute('big', { blob: 'x'.repeat(1024 * 1024) });
    const abort = new AbortController();
    const dropped = client.execute('dropped', {}, { signal: abort.signal });
    const kept = client.execute('kept');
    abort.abort(new Error('not wanted any more'));
    await expect(dropped).rejects.toThrow('not wanted any more');
    peer.socket.resume();
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      const request = await peer.request();
      seen.push(request.execute!);
      peer.reply(request);
    }
    await Promise.all([big, kept]);
    expect(seen).toEqual(['big', 'kept']);
    expect(peer.received).not.toContain('"dropped"');
  });
});

describe('malformed messages', () => {
  it('reports an event whose data is not an object, with the raw message, and delivers the next one', async () => {
    const { client, peer, errors } = await connected();
    const delivered: QmpEventMessage[] = [];
    client.subscribe(undefined, (m) => delivered.push(m));
    const next = client.waitForEvent('RESUME');
    peer.send('{"event": "STOP", "data": [1, 2], "timestamp": {"seconds": 1, "microseconds": 2}}\r\n');
    peer.send('{"event": "RESUME", "timestamp": {"seconds": 1, "microseconds": 3}}\r\n');
    await next;
    expect(delivered.map((m) => m.event)).toEqual(['RESUME']);
    const error = errors.find((e) => e instanceof QmpProtocolError) as QmpProtocolError;
    expect(error.message).toContain('event STOP: "data" is an array, not an object; not delivered');
    expect(error.excerpt).toBe('{"event": "STOP", "data": [1, 2], "timestamp": {"seconds": 1, "microseconds": 2}}');
    expect(error.offset).toBeGreaterThan(0);
    expect(client.state).toBe('open');
  });

  it('locates a fault deep inside nested invalid JSON at its byte, not at the message start', async () => {
    const { client, peer } = await connected();
    const call = client.execute('query-status');
    await peer.request();
    const depth = 100_000;
    const head = `{"return": ${'['.repeat(depth)}`;
    peer.send(`${head}x${']'.repeat(depth)}, "id": 1}\r\n`);
    const error = (await call.catch((e: unknown) => e)) as QmpProtocolError;
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect(error.position - error.offset).toBe(head.length);
  });

  it('accepts a greeting without version (the early 0.12-era form): version unknown', async () => {
    const { client } = await connected({}, '{"QMP": {"capabilities": []}}\r\n');
    expect(client.greeting.version).toBeUndefined();
    expect(client.greeting.capabilities).toEqual([]);
    expect(client.state).toBe('open');
  });
});

describe('the wrong kind of peer', () => {
  it('QgaClient given a QMP monitor says so at once, not after its timeout', async () => {
    server = await fakeServer((peer) => peer.send(greeting72));
    const error = await QgaClient.connect(server.path, { connectTimeout: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toContain('this is a QEMU monitor, not a guest agent (connect with QmpClient)');
    expect((error as QmpProtocolError).offset).toBe(0);
  });
});
