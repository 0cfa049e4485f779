/**
 * `QmpServer`: the client listens and QEMU connects, as with
 *   -chardev socket,id=mon0,path=P,server=off[,reconnect=N] -mon chardev=mon0,mode=control
 * Each connection is greeted and negotiated like any `QmpClient` (QEMU still speaks first)
 * and then handed out by `accept()` or `for await (const client of server)`; a QEMU that
 * reconnects (`reconnect=N`) simply arrives again as a new client.
 *
 * Connections that fail negotiation are reported through `onError` and dropped. Negotiated
 * clients nobody has accepted yet are held, at most `maxPending` of them (further ones are
 * closed and reported), and closed by `close()`; accepted clients belong to their taker.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { withDeadline, type Settle } from './deadline.js';
import { ConnectionClosedError } from './errors.js';
import { QmpClient, type ConnectOptions } from './client.js';
import { Queue } from './queue.js';
import type { UntypedCommands, UntypedEvents } from './types.js';

export type ListenAddress = string | { path: string } | { host: string; port: number };

export interface ServerOptions extends Omit<ConnectOptions, 'reconnect' | 'signal'> {
  /** Negotiated clients held until accepted (default 64). */
  maxPending?: number;
}

export interface AcceptOptions {
  signal?: AbortSignal;
  /** Milliseconds before `accept` rejects with `QmpTimeoutError`. */
  timeout?: number;
}

export class QmpServer<C = UntypedCommands, E = UntypedEvents> implements AsyncIterable<QmpClient<C, E>>, AsyncDisposable {
  /** Listens on a unix socket path or a TCP address (`port: 0` picks a free port; see `address`). */
  static async listen<C = UntypedCommands, E = UntypedEvents>(address: ListenAddress, options: ServerOptions = {}): Promise<QmpServer<C, E>> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        resolve();
      };
      if (typeof address === 'string') server.listen(address, done);
      else if ('path' in address) server.listen(address.path, done);
      else server.listen(address.port, address.host, done);
    });
    return new QmpServer<C, E>(server, options);
  }

  private readonly ready = new Queue<QmpClient<C, E>>();
  private readonly takers = new Set<Settle<QmpClient<C, E>>>();
  private readonly negotiating = new Set<Socket>();
  private closed = false;
  private readonly report: (error: Error) => void;

  private constructor(
    private readonly server: Server,
    private readonly options: ServerOptions,
  ) {
    this.report = options.onError ?? ((error) => process.emitWarning(error));
    server.on('connection', (socket) => this.arrive(socket));
    server.on('error', (error) => this.report(error));
  }

  /** Where it listens: the unix path, or the bound TCP address (with the real port). */
  get address(): string | AddressInfo {
    return this.server.address() as string | AddressInfo;
  }

  /** Resolves with the next negotiated client (one already waiting first). */
  accept(options: AcceptOptions = {}): Promise<QmpClient<C, E>> {
    const waiting = this.ready.shift();
    if (waiting !== undefined) return Promise.resolve(waiting);
    if (this.closed) return Promise.reject(new ConnectionClosedError('the server is closed'));
    return withDeadline({ what: 'accept', timeout: options.timeout, signal: options.signal }, (taker) => {
      this.takers.add(taker);
      return () => this.takers.delete(taker);
    });
  }

  /** Yields each client as it is negotiated; ends when the server is closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<QmpClient<C, E>> {
    for (;;) {
      let client: QmpClient<C, E>;
      try {
        client = await this.accept();
      } catch (error) {
        if (this.closed && error instanceof ConnectionClosedError) return;
        throw error;
      }
      yield client;
    }
  }

  /**
   * Stops listening (a unix socket's file is removed), closes clients not yet accepted and
   * connections still negotiating; pending `accept`s reject with `ConnectionClosedError`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Stops listening now; net.Server's callback would wait for accepted connections too,
    // which belong to their takers.
    this.server.close();
    const reason = new ConnectionClosedError('the server is closed');
    for (const taker of this.takers) taker.reject(reason);
    for (const socket of this.negotiating) socket.destroy();
    const unaccepted: QmpClient<C, E>[] = [];
    for (let c = this.ready.shift(); c !== undefined; c = this.ready.shift()) unaccepted.push(c);
    await Promise.all(unaccepted.map((c) => c.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private arrive(socket: Socket): void {
    if (this.closed) return void socket.destroy();
    this.negotiating.add(socket);
    const { maxPending, ...connect } = this.options;
    QmpClient.connect<C, E>(socket, connect).then(
      (client) => {
        this.negotiating.delete(socket);
        if (this.closed) return void client.close();
        const [taker] = this.takers;
        if (taker !== undefined) return void taker.resolve(client);
        if (this.ready.length >= (this.options.maxPending ?? 64)) {
          this.report(new Error(`QmpServer: ${this.ready.length} negotiated clients are waiting for accept(); closing a new one`));
          return void client.close();
        }
        this.ready.push(client);
      },
      (error: unknown) => {
        this.negotiating.delete(socket);
        if (!this.closed) this.report(new Error(`QmpServer: a connection failed negotiation: ${(error as Error).message}`, { cause: error }));
      },
    );
  }
}
