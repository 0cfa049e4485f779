/**
 * The runtime's side of passing descriptors, where a scripted peer shows more than QEMU would:
 * which transports refuse an `fd` (and that nothing is sent then), the order of the bytes around
 * a command that carries one (a full socket included), and `launchQemu`'s `-add-fd` arguments.
 * The descriptors themselves are checked against real QEMUs in fd-passing-qemu.test.ts.
 */
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createTcpServer, connect as netConnect, type AddressInfo, type NetConnectOpts, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { QgaClient, QmpClient } from '../../runtime/index.js';
import { addFdArguments } from '../../runtime/launch.js';
import { fakeServer, FakePeer, type FakeServer } from './helpers/fake-server.js';
import { haveOpenssl, makeCertificates } from './helpers/tls.js';

const nativeMissing = await import('qmp-sdk-scm-rights').then(
  () => false,
  () => true,
);

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A descriptor of this process to send (a file nobody reads: the peer's kernel discards it). */
function someFd(): number {
  const fd = openSync('/dev/null', 'r');
  onTestFinished(() => closeSync(fd));
  return fd;
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('launchQemu fds: the -add-fd arguments', () => {
  it('numbers the child descriptors from 3, takes the sets given and gives the others the lowest free ones', () => {
    expect(addFdArguments([{ fd: 9 }, { fd: 12, set: 0 }, { fd: 4, set: 2, opaque: 'a' }, { fd: 30 }])).toEqual({
      args: ['-add-fd', 'fd=3,set=1', '-add-fd', 'fd=4,set=0', '-add-fd', 'fd=5,set=2,opaque=a', '-add-fd', 'fd=6,set=3'],
      sets: [1, 0, 2, 3],
    });
  });

  it("doubles a comma in opaque, as QEMU's option syntax reads it", () => {
    expect(addFdArguments([{ fd: 5, set: 7, opaque: 'disk,0,,x' }]).args).toEqual(['-add-fd', 'fd=3,set=7,opaque=disk,,0,,,,x']);
  });

  it('names the entry whose fd or set is not a non-negative integer', () => {
    expect(() => addFdArguments([{ fd: 3 }, { fd: -1 }])).toThrow(
      new TypeError('launchQemu: fds[1].fd must be a file descriptor (a non-negative integer), not -1'),
    );
    expect(() => addFdArguments([{ fd: 3, set: 1.5 }])).toThrow(new TypeError('launchQemu: fds[0].set must be a non-negative integer, not 1.5'));
  });
});

describe('an fd on a transport that cannot carry one', () => {
  it('over TCP: a TypeError naming the command and the connection; nothing is sent', async () => {
    const peers: FakePeer[] = [];
    const port = await listening(
      createTcpServer((socket) => {
        const peer = new FakePeer(socket);
        peers.push(peer);
        void peer.negotiate();
      }),
    );
    await using client = await QmpClient.connect({ host: '127.0.0.1', port });
    const error = await client.execute('getfd', { fdname: 'x' }, { fd: someFd() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      `getfd: a file descriptor can be passed only over a unix socket (SCM_RIGHTS), and this connection is a TCP connection (127.0.0.1:${port})`,
    );
    expect(peers[0]!.received).not.toContain('getfd');
  });

  it.skipIf(!haveOpenssl)('over TLS: the same TypeError, saying TLS', async () => {
    const certs = makeCertificates();
    onTestFinished(() => rmSync(certs.dir, { recursive: true, force: true }));
    const peers: FakePeer[] = [];
    const port = await listening(
      createTlsServer({ key: readFileSync(join(certs.dir, 'server-key.pem')), cert: readFileSync(join(certs.dir, 'server-cert.pem')) }, (socket) => {
        const peer = new FakePeer(socket);
        peers.push(peer);
        void peer.negotiate();
      }),
    );
    await using client = await QmpClient.connect({ host: '127.0.0.1', port, tls: { ca: certs.ca, nudge: false } });
    await expect(client.execute('add-fd', {}, { fd: someFd() })).rejects.toThrow(
      new TypeError(
        `add-fd: a file descriptor can be passed only over a unix socket (SCM_RIGHTS), and this connection is a TLS connection (127.0.0.1:${port})`,
      ),
    );
    expect(peers[0]!.received).not.toContain('add-fd');
  });

  it('over a stream given as a readable/writable pair (even one on a unix socket): a TypeError', async () => {
    server = await fakeServer((peer) => peer.negotiate());
    const socket = netConnect(server.path);
    await using client = await QmpClient.connect({ readable: socket, writable: socket });
    await expect(client.execute('getfd', { fdname: 'x' }, { fd: someFd() })).rejects.toThrow(
      /^getfd: a file descriptor can be passed only over a unix socket \(SCM_RIGHTS\), and this connection is a stream that is not a unix socket$/,
    );
  });

  it('a value that is no descriptor: a TypeError, nothing sent; the connection goes on', async () => {
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      peer.reply(await peer.request(), 'ok');
    });
    await using client = await QmpClient.connect(server.path);
    for (const fd of [-1, 1.5, Number.NaN]) {
      await expect(client.execute('getfd', { fdname: 'x' }, { fd })).rejects.toThrow(
        new TypeError(`getfd: fd must be a file descriptor (a non-negative integer), not ${String(fd)}`),
      );
    }
    expect(await client.execute('query-status')).toBe('ok');
    expect(server.peers[0]!.received).not.toContain('getfd');
  });

  it('to the guest agent: a TypeError (it takes no descriptors)', async () => {
    server = await fakeServer(async (peer) => {
      const sync = await peer.request();
      peer.send(`\xff{"return": ${JSON.stringify((sync.arguments as { id: number }).id)}, "id": ${JSON.stringify(sync.id)}}\n`);
    });
    await using agent = await QgaClient.connect(server.path);
    await expect(agent.execute('guest-ping', {}, { fd: someFd() })).rejects.toThrow(
      new TypeError("guest-ping: the guest agent takes no file descriptors (fd is for QEMU's monitor: getfd, add-fd)"),
    );
  });
});

describe.skipIf(nativeMissing && !process.env.CI)('the bytes around a command that carries a descriptor (over a unix socket)', () => {
  it("a second descriptor waits for the first one's reply, and everything after it waits too; what came before goes at once", async () => {
    let peer!: FakePeer;
    server = await fakeServer(async (p) => {
      peer = p;
      await p.negotiate();
    });
    await using client = await QmpClient.connect(server.path);
    const fd = someFd();
    const before = client.execute('query-status');
    const first = client.execute('add-fd', { 'fdset-id': 1 }, { fd });
    const second = client.execute('add-fd', { 'fdset-id': 2 }, { fd });
    const after = client.execute('query-name');
    const seen = [await peer.request(), await peer.request()];
    expect(seen.map((r) => [r.execute, r.arguments])).toEqual([
      ['query-status', undefined],
      ['add-fd', { 'fdset-id': 1 }],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(peer.received).not.toContain('"fdset-id":2'); // the first has no reply yet
    expect(peer.received).not.toContain('query-name');
    peer.reply(seen[0]!, 'status');
    peer.reply(seen[1]!, { 'fdset-id': 1, fd: 20 });
    const rest = [await peer.request(), await peer.request()];
    expect(rest.map((r) => r.execute)).toEqual(['add-fd', 'query-name']);
    for (const r of rest) peer.reply(r, r.execute);
    expect(await Promise.all([before, first, second, after])).toEqual(['status', { 'fdset-id': 1, fd: 20 }, 'add-fd', 'query-name']);
  });

  it.each([
    ['the socket says it is full (writes wait for drain)', undefined],
    ['Node still holds bytes it took without saying full (a high-water mark above them)', 64 * 1024 * 1024],
  ])(
    'into a full socket, %s: the bytes before go first, the command with the descriptor waits for room, the rest follow in order',
    async (_, writableHighWaterMark) => {
      let peer!: FakePeer;
      server = await fakeServer(async (p) => {
        peer = p;
        await p.negotiate();
      });
      const path = server.path;
      // Node hands a socket's stream options (the high-water mark) to its Writable; Node's typings leave them out
      await using client = await QmpClient.connect(() => netConnect({ path, writableHighWaterMark } as NetConnectOpts));
      peer.socket.pause(); // the peer stops reading: the kernel's buffers fill, then Node's
      const big = 'x'.repeat(256 * 1024);
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) calls.push(client.execute('echo', { i, big }));
      calls.push(client.execute('getfd', { fdname: 'late' }, { fd: someFd() }));
      for (let i = 20; i < 25; i++) calls.push(client.execute('echo', { i }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      peer.socket.resume();
      const order: string[] = [];
      for (let n = 0; n < 26; n++) {
        const request = await peer.request();
        const args = request.arguments as { i?: number; fdname?: string };
        order.push(args.fdname ?? String(args.i));
        peer.reply(request, order.at(-1));
      }
      expect(order).toEqual([...Array.from({ length: 20 }, (_, i) => String(i)), 'late', ...Array.from({ length: 5 }, (_, i) => String(20 + i))]);
      expect(await Promise.all(calls)).toEqual(order);
    },
  );
});
