/**
 * A scripted QMP peer over a unix socket, for what a real QEMU will not do: garbage, partial
 * frames, huge lines, stalls, disconnects mid-reply. Its well-formed lines are QEMU 7.2's own
 * (see fixtures.ts); the faults are the point of each test.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { greeting72 } from './fixtures.js';
import { tempDir } from './qemu.js';

export interface Request {
  execute?: string;
  'exec-oob'?: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

export class FakePeer {
  private text = '';
  private readonly requests: Request[] = [];
  private readonly waiters: ((request: Request) => void)[] = [];
  /** Every byte received, as latin-1. */
  received = '';
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      this.text += chunk;
      let end: number;
      while ((end = this.text.indexOf('\n')) !== -1) {
        const line = this.text.slice(0, end).replace(/^\xff/, '');
        this.text = this.text.slice(end + 1);
        if (line.trim() === '') continue;
        const request = JSON.parse(line) as Request;
        const waiter = this.waiters.shift();
        if (waiter !== undefined) waiter(request);
        else this.requests.push(request);
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Writes `text` byte for byte (latin-1: 0xFF stays one byte). */
  send(text: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  }

  /** The next request the client sent. */
  request(): Promise<Request> {
    const queued = this.requests.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Answers `request` with `{"return": value, "id": …}` as QEMU words it. */
  reply(request: Request, value: unknown = {}): void {
    this.send(`{"return": ${JSON.stringify(value)}, "id": ${JSON.stringify(request.id)}}\r\n`);
  }

  /** Greets (QEMU 7.2's greeting unless told) and answers `qmp_capabilities`. */
  async negotiate(greeting: string = greeting72): Promise<Request> {
    this.send(greeting);
    const request = await this.request();
    if (request.execute !== 'qmp_capabilities') throw new Error(`expected qmp_capabilities, got ${JSON.stringify(request)}`);
    this.reply(request);
    return request;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface FakeServer {
  path: string;
  /** Peers in the order they connected. */
  peers: FakePeer[];
  /** Resolves with the next peer to connect (or one that connected and was not yet taken). */
  nextPeer(): Promise<FakePeer>;
  close(): Promise<void>;
}

/** Listens on a fresh unix socket; runs `script` for each connection, if given. */
export async function fakeServer(script?: (peer: FakePeer) => unknown): Promise<FakeServer> {
  const dir = tempDir('qmp-fake-');
  const path = join(dir, 'qmp.sock');
  const peers: FakePeer[] = [];
  const untaken: FakePeer[] = [];
  const waiting: ((peer: FakePeer) => void)[] = [];
  const server: Server = createServer((socket) => {
    const peer = new FakePeer(socket);
    peers.push(peer);
    const waiter = waiting.shift();
    if (waiter !== undefined) waiter(peer);
    else untaken.push(peer);
    if (script !== undefined)
      Promise.resolve()
        .then(() => script(peer))
        .catch(() => peer.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    peers,
    nextPeer: () => {
      const peer = untaken.shift();
      return peer !== undefined ? Promise.resolve(peer) : new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      for (const peer of peers) peer.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
