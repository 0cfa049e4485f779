/**
 * QmpClient against a scripted peer, for the faults a real QEMU will not produce. Each test
 * pins the documented error and that nothing hangs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  QmpClient,
  QmpError,
  QmpMessageTooLargeError,
  QmpProtocolError,
  QmpTimeoutError,
  type ConnectOptions,
} from '../../runtime/index.js';
import { fakeServer, type FakePeer, type FakeServer } from './helpers/fake-server.js';
import { greeting72, lines, qmpReplyTo } from './helpers/fixtures.js';

let server: FakeServer | undefined;
const clients: QmpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

/** A client connected to a fresh fake server whose peer has negotiated. */
async function connected(options: ConnectOptions = {}): Promise<{ client: QmpClient; peer: FakePeer }> {
  server = await fakeServer();
  const peerReady = server.nextPeer().then(async (peer) => (await peer.negotiate(), peer));
  const client = await QmpClient.connect(server.path, { onError: () => {}, ...options });
  clients.push(client);
  return { client, peer: await peerReady };
}

const CAPABILITIES_REPLY = '{"return": {}, "id": 1}\r\n';
const STOP_EVENT = lines(qmpReplyTo('"stop"'))[0]!;

describe('protocol violations end the connection, and say where', () => {
  it('rejects the pending call with QmpProtocolError locating invalid JSON, then is closed', async () => {
    const { client, peer } = await connected();
    const call = client.execute('query-status');
    await peer.request();
    peer.send('{"return": }\r\n');
    const error = (await call.catch((e: unknown) => e)) as QmpProtocolError;
    expect(error).toBeInstanceOf(QmpProtocolError);
    const messageStart = greeting72.length + CAPABILITIES_REPLY.length;
    expect(error.offset).toBe(messageStart);
    expect(error.position).toBe(messageStart + '{"return": '.length);
    expect(error.excerpt).toBe('{"return": }');
    expect(error.message).toContain(`at byte ${messageStart + 11}`);
    const reason = await client.closed;
    expect(reason).toBeInstanceOf(ConnectionClosedError);
    expect(reason.cause).toBe(error);
    expect(client.state).toBe('closed');
    await expect(client.execute('query-status')).rejects.toBeInstanceOf(ConnectionClosedError);
    await peer.closed; // the client hung up
  });

  it('rejects a message that is not a JSON object, or of no known kind', async () => {
    for (const bad of ['[1, 2]', '"QMP"', '{"hello": "world"}']) {
      const { client, peer } = await connected();
      const call = client.execute('query-status');
      await peer.request();
      peer.send(`${bad}\r\n`);
      await expect(call).rejects.toMatchObject({ name: 'QmpProtocolError', offset: greeting72.length + CAPABILITIES_REPLY.length, excerpt: bad });
      await client.closed;
      await server!.close();
      server = undefined;
    }
  });

  it('rejects a message longer than maxMessageSize with QmpMessageTooLargeError, even unterminated', async () => {
    const { client, peer } = await connected({ maxMessageSize: 1024 });
    const call = client.execute('query-status');
    const request = await peer.request();
    // 4 000 bytes of a reply with no line end yet: the client must not wait for the end
    peer.send(`{"return": "${'x'.repeat(4000)}`);
    const error = (await call.catch((e: unknown) => e)) as QmpMessageTooLargeError;
    expect(error).toBeInstanceOf(QmpMessageTooLargeError);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect(error.limit).toBe(1024);
    expect(error.offset).toBe(greeting72.length + CAPABILITIES_REPLY.length);
    expect(error.excerpt.startsWith('{"return": "xxx')).toBe(true);
    expect(error.excerpt.length).toBe(200);
    expect(request.execute).toBe('query-status');
    expect((await client.closed).cause).toBe(error);
  });

  it('accepts a message exactly maxMessageSize long', async () => {
    const { client, peer } = await connected({ maxMessageSize: 1024 });
    const call = client.execute('query-status');
    const request = await peer.request();
    const head = `{"id": ${JSON.stringify(request.id)}, "return": "`;
    const value = 'y'.repeat(1024 - head.length - 2);
    peer.send(`${head}${value}"}\r\n`);
    expect(await call).toBe(value);
  });

  it('rejects a malformed greeting', async () => {
    server = await fakeServer((peer) => peer.send('{"QMP": {"version": "seven", "capabilities": []}}\r\n'));
    await expect(QmpClient.connect(server.path)).rejects.toMatchObject({ name: 'QmpProtocolError', message: expect.stringContaining('malformed greeting') });
  });

  it('rejects one call whose error reply lacks class/desc, and keeps the connection', async () => {
    const { client, peer } = await connected();
    const call = client.execute('query-status');
    const request = await peer.request();
    peer.send(`{"error": {"message": "no"}, "id": ${JSON.stringify(request.id)}}\r\n`);
    await expect(call).rejects.toMatchObject({ name: 'QmpProtocolError', message: expect.stringContaining('without string "class" and "desc"') });
    const next = client.execute('query-status');
    peer.reply(await peer.request(), { status: 'running' });
    expect(await next).toEqual({ status: 'running' });
  });
});

describe('framing', () => {
  it('reassembles greeting and replies that arrive one byte at a time', async () => {
    server = await fakeServer();
    const peerReady = server.nextPeer();
    const connecting = QmpClient.connect(server.path);
    const peer = await peerReady;
    const drip = async (text: string) => {
      for (const byte of Buffer.from(text, 'latin1')) {
        peer.send(Buffer.of(byte));
        await new Promise((r) => setImmediate(r));
      }
    };
    await drip(greeting72);
    await drip(`{"return": {}, "id": ${JSON.stringify((await peer.request()).id)}}\r\n`);
    const client = await connecting;
    clients.push(client);
    const call = client.execute('query-status');
    const request = await peer.request();
    await drip(qmpReplyTo('"query-status","id":4').replace('"id": 4', `"id": ${JSON.stringify(request.id)}`));
    expect(await call).toEqual({ status: 'running', singlestep: false, running: true });
  });

  it('reads several messages from one chunk, an event among replies', async () => {
    const { client, peer } = await connected();
    const stops = client.events('STOP');
    const a = client.execute('stop');
    const b = client.execute('query-status');
    const [ra, rb] = [await peer.request(), await peer.request()];
    peer.send(`${STOP_EVENT}{"return": {}, "id": ${JSON.stringify(ra.id)}}\r\n{"return": 7, "id": ${JSON.stringify(rb.id)}}\r\n`);
    expect(await a).toEqual({});
    expect(await b).toBe(7);
    expect((await stops.next()).value).toMatchObject({ event: 'STOP', data: {} });
  });
});

describe('matching replies to calls', () => {
  it('matches replies that come out of order', async () => {
    const { client, peer } = await connected();
    const calls = [0, 1, 2, 3].map((i) => client.execute('human-monitor-command', { 'command-line': `print ${i}` }));
    const requests = await Promise.all([0, 1, 2, 3].map(() => peer.request()));
    for (const request of [...requests].reverse()) peer.reply(request, `answer to ${String(request.arguments?.['command-line'])}`);
    expect(await Promise.all(calls)).toEqual(['answer to print 0', 'answer to print 1', 'answer to print 2', 'answer to print 3']);
  });

  it('sends unique ids, each as the request\'s "id"', async () => {
    const { client, peer } = await connected();
    const calls = Array.from({ length: 20 }, () => client.execute('query-status'));
    const requests = await Promise.all(calls.map(() => peer.request()));
    expect(new Set(requests.map((r) => r.id)).size).toBe(20);
    for (const r of requests) peer.reply(r);
    await Promise.all(calls);
  });

  it('gives an error reply without id (QEMU could not read the request) to the oldest in-band call', async () => {
    const { client, peer } = await connected();
    const first = client.execute('query-status');
    const second = client.execute('query-version');
    const [, r2] = [await peer.request(), await peer.request()];
    peer.send(qmpReplyTo('{"execute": }')); // QEMU's own id-less JSON parse error
    await expect(first).rejects.toMatchObject({
      name: 'QmpError',
      errorClass: 'GenericError',
      desc: 'JSON parse error, expecting value',
      command: 'query-status',
    });
    peer.reply(r2, { qemu: {} });
    expect(await second).toEqual({ qemu: {} });
  });

  it('drops a reply whose id matches no call (counted in lateReplies), as the spec says', async () => {
    const { client, peer } = await connected();
    const timedOut = client.execute('query-status', {}, { timeout: 30 });
    const request = await peer.request();
    await expect(timedOut).rejects.toBeInstanceOf(QmpTimeoutError);
    peer.reply(request, { late: true });
    const next = client.execute('query-status');
    peer.reply(await peer.request(), { late: false });
    expect(await next).toEqual({ late: false });
    expect(client.lateReplies).toBe(1);
  });

  it("carries the pre-1.2 error form's data in QmpError.data", async () => {
    const { client, peer } = await connected();
    const call = client.execute('query-status');
    const request = await peer.request();
    // QEMU 0.13's error reply (qmp-spec.txt 3.4), with an id
    peer.send(`{"error": {"class": "JSONParsing", "desc": "Invalid JSON syntax", "data": {}}, "id": ${JSON.stringify(request.id)}}\r\n`);
    const error = (await call.catch((e: unknown) => e)) as QmpError;
    expect(error).toBeInstanceOf(QmpError);
    expect([error.errorClass, error.desc, error.data, error.id]).toEqual(['JSONParsing', 'Invalid JSON syntax', {}, request.id]);
  });
});

describe('stalls, timeouts, aborts, disconnects', () => {
  it('times out a call the server never answers, and the connection stays usable', async () => {
    const { client, peer } = await connected();
    const error = await client.execute('query-status', {}, { timeout: 40 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect(error).toMatchObject({ command: 'query-status', timeout: 40 });
    await peer.request();
    const next = client.execute('query-version');
    peer.reply(await peer.request(), 'ok');
    expect(await next).toBe('ok');
    expect(client.pendingCalls).toBe(0);
  });

  it('applies callTimeout to calls that give no timeout', async () => {
    const { client } = await connected({ callTimeout: 30 });
    await expect(client.execute('query-status')).rejects.toMatchObject({ name: 'QmpTimeoutError', timeout: 30 });
  });

  it('gives up connecting to a server that never greets, after connectTimeout, and says what that may mean', async () => {
    server = await fakeServer(() => {});
    const error = await QmpClient.connect(server.path, { connectTimeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toMatch(/^connect to unix:.*qmp\.sock: no reply within 50 ms: the socket accepted the connection but sent no greeting/);
    expect((error as Error).message).toContain('QEMU serves one client per monitor at a time: is another client connected?');
    expect((error as Error).message).toContain('guest-agent socket');
    await server.peers[0]!.closed; // and hung up
  });

  it('gives up connecting when qmp_capabilities is never answered (no greeting hint: it greeted)', async () => {
    server = await fakeServer((peer) => peer.send(greeting72));
    const error = await QmpClient.connect(server.path, { connectTimeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toMatch(/no reply within 50 ms$/);
  });

  it('fails to connect when the server hangs up before greeting, or nothing listens', async () => {
    server = await fakeServer((peer) => peer.destroy());
    await expect(QmpClient.connect(server.path)).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(QmpClient.connect(`${server.path}.absent`)).rejects.toMatchObject({
      name: 'ConnectionClosedError',
      message: expect.stringMatching(/^cannot connect to unix:.*\.absent: connect ENOENT/),
    });
  });

  it('abandons connecting when the signal aborts', async () => {
    server = await fakeServer(() => {});
    const controller = new AbortController();
    const connecting = QmpClient.connect(server.path, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 20);
    await expect(connecting).rejects.toThrow('user gave up');
  });

  it("rejects a call with the signal's reason when aborted, before or after sending", async () => {
    const { client, peer } = await connected();
    const early = new AbortController();
    early.abort(new Error('never mind'));
    await expect(client.execute('query-status', {}, { signal: early.signal })).rejects.toThrow('never mind');
    const late = new AbortController();
    const call = client.execute('stop', {}, { signal: late.signal });
    const request = await peer.request();
    expect(request.execute).toBe('stop'); // the aborted-early call was never sent
    late.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    peer.reply(request);
    const next = client.execute('query-status');
    peer.reply(await peer.request(), 1);
    expect(await next).toBe(1);
    expect(client.lateReplies).toBe(1);
  });

  it('rejects pending calls with ConnectionClosedError when the server disconnects mid-reply', async () => {
    const { client, peer } = await connected();
    const calls = [client.execute('query-status'), client.execute('query-status')];
    await peer.request();
    peer.send('{"return": {"status": "runn');
    await new Promise((r) => setTimeout(r, 10));
    peer.destroy();
    for (const result of await Promise.allSettled(calls)) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionClosedError);
      expect(((result as PromiseRejectedResult).reason as ConnectionClosedError).command).toBe('query-status');
    }
    expect(client.state).toBe('closed');
  });

  it('rejects a call whose arguments cannot be sent as JSON, sending nothing', async () => {
    const { client } = await connected();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(client.request('x', circular)).rejects.toThrow(/^x: arguments cannot be sent as JSON/);
    await expect(client.request('x', { n: 1n, f: () => 1, circular })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('JSON safety', () => {
  it('keeps "__proto__" and "constructor" keys as plain data: no prototype pollution', async () => {
    const { client, peer } = await connected();
    const events = client.events();
    const call = client.execute('qom-get', { path: '/', property: 'x' });
    const request = await peer.request();
    peer.send(`{"return": {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}, "id": ${JSON.stringify(request.id)}}\r\n`);
    peer.send('{"event": "X", "data": {"__proto__": {"polluted": "yes"}}, "timestamp": {"seconds": 1, "microseconds": 2}}\r\n');
    const result = (await call) as Record<string, unknown>;
    const event = (await events.next()).value!;
    for (const value of [result, event.data]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, '__proto__')).toBe(true);
      expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('greetings of other QEMU releases', () => {
  it('reads the 0.12-era string version, and tolerates its lack of qmp_capabilities', async () => {
    // qmp-spec.txt of QEMU 0.13, section 3.1
    const legacy = '{"QMP": {"version": {"qemu": "0.12.50", "package": ""}, "capabilities": []}}\r\n';
    server = await fakeServer(async (peer) => {
      peer.send(legacy);
      const request = await peer.request();
      peer.send(
        `{"error": {"class": "CommandNotFound", "desc": "The command qmp_capabilities has not been found", "data": {"name": "qmp_capabilities"}}, "id": ${JSON.stringify(request.id)}}\r\n`,
      );
    });
    const client = await QmpClient.connect(server.path);
    clients.push(client);
    expect(client.greeting.version).toEqual({ qemu: { major: 0, minor: 12, micro: 50 }, package: '' });
    expect(client.greeting.legacyVersionString).toBe(true);
    expect(client.greeting.capabilities).toEqual([]);
  });

  it('does not ask for oob when the server does not offer it', async () => {
    server = await fakeServer();
    const peerReady = server.nextPeer().then((peer) => peer.negotiate(greeting72.replace('["oob"]', '[]')));
    const client = await QmpClient.connect(server.path, { oob: true });
    clients.push(client);
    expect((await peerReady).arguments).toBeUndefined();
    expect(client.capabilities).toEqual([]);
  });

  it('asks for oob with qmp_capabilities {"enable": ["oob"]} when offered and asked for', async () => {
    server = await fakeServer();
    const peerReady = server.nextPeer().then((peer) => peer.negotiate());
    const client = await QmpClient.connect(server.path, { oob: true });
    clients.push(client);
    expect((await peerReady).arguments).toEqual({ enable: ['oob'] });
    expect(client.capabilities).toEqual(['oob']);
  });
});
