/**
 * `QgaClient`: the QEMU guest agent (qemu-ga) protocol. It is QMP's command half with three
 * differences, which is why it is a class of its own rather than a mode of `QmpClient`:
 * - no greeting and no `qmp_capabilities`, and no events;
 * - the channel (virtio-serial, or a socket to qemu-ga) may hold stale bytes from an earlier
 *   client, in either direction. Before use, and after any call times out, the client
 *   synchronises (qga/qapi-schema.json, `guest-sync-delimited`): it sends a 0xFF byte (the
 *   agent's parser drops any partial input), then `guest-sync-delimited` with a random id,
 *   and discards everything it receives up to the 0xFF the agent puts before that reply.
 *   A reply with another id (a stale sync) makes it try again with a new id;
 * - some commands (`guest-shutdown`, `guest-suspend-*`: `'success-response': false`) send no
 *   reply when they succeed. The client follows each with `guest-ping`: an error reply before
 *   the ping's reply rejects the call, the ping's reply resolves it (with `undefined`), and
 *   the connection closing first rejects it with `ConnectionClosedError` (for
 *   `guest-shutdown`, closing is what success often looks like).
 *
 * Commands go one at a time (the agent runs them one at a time anyway); this is what lets a
 * resynchronisation never discard another call's reply. With `reconnect`, a lost connection (a
 * guest reboot restarts the agent) is replaced with backoff, as `QmpClient` does: queued calls
 * wait for it, and each new connection is synchronised first. A call's `timeout` counts from the
 * call, time spent queued included; a queued call can be aborted or time out before it is sent.
 */
import { randomInt } from 'node:crypto';
import { runWithDeadline, withDeadline, type Settle } from './deadline.js';
import { ConnectionClosedError, QmpPendingLimitError, QmpProtocolError, QmpTimeoutError } from './errors.js';
import { Queue } from './queue.js';
import { DEFAULT_MAX_PENDING, Session } from './session.js';
import { Lifecycle, type ClientState, type Connection, type StateChange } from './lifecycle.js';
import type { ReconnectOptions } from './reconnect.js';
import type { MessageValidator } from './validation.js';
import { openerFor, type ConnectTarget, type Opener } from './transport.js';
import type { ArgsOf, CallOptions, ClientMode, clientMode, ExecuteParameters, InMode, NameOf, QmpCaller, ReturnsOf, UntypedCommands } from './types.js';

/** Commands the agent answers only on failure (`'success-response': false` in its schema). */
export const NO_REPLY_ON_SUCCESS: ReadonlySet<string> = new Set(['guest-shutdown', 'guest-suspend-disk', 'guest-suspend-ram', 'guest-suspend-hybrid']);

export interface QgaConnectOptions {
  /** Milliseconds for opening and the first synchronisation together (default 10 000; 0: none). */
  connectTimeout?: number;
  /** Longest message accepted from the agent, in bytes (default 64 MiB). */
  maxMessageSize?: number;
  /** Timeout applied to calls that give none (default: none). */
  callTimeout?: number;
  /** Most calls queued or running at once (default 10 000); one more rejects at once with `QmpPendingLimitError`. */
  maxPending?: number;
  /**
   * Integers beyond ±(2^53 − 1), which the agent's `uint64`/`int64` values sometimes are:
   * `'number'` (default) delivers them rounded, as `JSON.parse` does, and reports each through
   * `onError` (`QmpPrecisionWarning`, with the exact digits); `'bigint'` delivers exactly those
   * as `bigint`. Written as `integers: 'bigint'` in the options given to `connect`, it reaches the
   * client's type (`QgaClient<C, { integers: 'bigint' }>`): the wide integer types (`Int64`,
   * `Uint64`, `Size`; `guest-get-time`'s nanoseconds) then read as `number | bigint` (a small one
   * still arrives as a `number`), narrower ones stay `number`, and wide arguments accept either.
   */
  integers?: 'number' | 'bigint';
  /**
   * Reconnect after the connection is lost (the guest rebooted, the agent restarted), with
   * backoff; `true` for the defaults. Queued calls wait for the new connection (their timeouts
   * still run); the call in flight when it was lost rejects with `ConnectionClosedError`, as its
   * outcome is unknown. Each new connection is synchronised before use.
   */
  reconnect?: ReconnectOptions | boolean;
  /** Checks every reply against a schema, as `ConnectOptions.validate` (see `schemaValidator`). */
  validate?: MessageValidator;
  /** Problems that fail no call (an id-less reply nobody asked for). Default: `process.emitWarning`. */
  onError?: (error: Error) => void;
}

/** A call waiting for its turn (one runs at a time); its deadline is the call's timeout and signal. */
interface Turn {
  name: string;
  settle: Settle<void>;
}

const SYNC_ATTEMPTS = 3;
/** Sync ids stay within JSON's exact integers. */
const MAX_SYNC_ID = 2 ** 48;

/** `C` is a target's `Commands` map; `M` the client's `ClientMode`, as for `QmpClient`. */
export class QgaClient<C = UntypedCommands, M extends ClientMode = ClientMode> implements QmpCaller<M>, AsyncDisposable {
  /**
   * Connects and synchronises; resolves when commands can be sent. With `integers: 'bigint'` in
   * `options`, the client is typed in bigint mode.
   */
  static connect<C = UntypedCommands>(
    target: ConnectTarget,
    options: QgaConnectOptions & { integers: 'bigint' },
  ): Promise<QgaClient<C, { integers: 'bigint' }>>;
  static connect<C = UntypedCommands>(target: ConnectTarget, options?: QgaConnectOptions): Promise<QgaClient<C>>;
  static async connect(target: ConnectTarget, options: QgaConnectOptions = {}): Promise<QgaClient> {
    const opener = openerFor(target);
    if (options.reconnect && !opener.reusable)
      throw new TypeError(`connect: cannot reconnect to a ${opener.describe} given as such; pass a function that opens it`);
    const client = new QgaClient(opener, options);
    await client.life.start();
    return client;
  }

  private readonly life: Lifecycle<Connection>;
  /** Calls waiting for their turn, in order (settled ones stay until `grant` passes them). */
  private readonly turns = new Queue<Turn>();
  /** Calls queued or running. */
  private unsettled = 0;
  /** A call has the turn. */
  private busy = false;
  private needsSync = false;
  private readonly report: (error: Error) => void;

  /** Resolves, with the reason, when the client has closed for good. Never rejects. */
  readonly closed: Promise<ConnectionClosedError>;

  /** Type-only (never present): the mode `M`, read by the generated functions. */
  declare readonly [clientMode]?: M;

  private constructor(
    private readonly opener: Opener,
    private readonly options: QgaConnectOptions,
  ) {
    this.report = options.onError ?? ((error) => process.emitWarning(error));
    this.life = new Lifecycle<Connection>(
      {
        describe: opener.describe,
        open: async () => ({ session: await this.open() }),
        adopted: () => {
          this.needsSync = false; // a new connection is synchronised as it opens
          this.grant();
        },
        ended: (reason) => {
          for (let turn = this.turns.shift(); turn !== undefined; turn = this.turns.shift()) turn.settle.reject(reason.forCommand(turn.name));
        },
        report: this.report,
      },
      options.reconnect,
    );
    this.closed = this.life.closed;
  }

  /** `open`; `reconnecting` while a lost connection is replaced (calls wait); `closed` for good. */
  get state(): ClientState {
    const state = this.life.state;
    return state === 'connecting' ? 'reconnecting' : state;
  }

  /** Listens to state changes (`reconnecting`, `open`, `closed`); returns the unsubscribe function. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    return this.life.onStateChange(listener);
  }

  /** Runs a command; `args` may be left out when the command has no required argument. */
  execute<K extends NameOf<C>>(name: K, ...rest: ExecuteParameters<InMode<ArgsOf<C[K]>, M>>): Promise<InMode<ReturnsOf<C[K]>, M>>;
  execute(name: string, args?: object, options?: CallOptions): Promise<unknown> {
    return this.request(name, args, options);
  }

  /** The untyped core (`QmpCaller`). `guest-sync-delimited` runs as a resynchronisation. */
  request(name: string, args?: object, options?: CallOptions): Promise<unknown> {
    if (options?.timeout === undefined && this.options.callTimeout !== undefined) options = { ...options, timeout: this.options.callTimeout };
    const reason = this.life.reason;
    if (reason !== undefined) return Promise.reject(reason.forCommand(name));
    if (options?.oob === true) return Promise.reject(new TypeError(`${name}: the guest agent has no out-of-band execution`));
    if (options?.fd !== undefined)
      return Promise.reject(new TypeError(`${name}: the guest agent takes no file descriptors (fd is for QEMU's monitor: getfd, add-fd)`));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const limit = this.options.maxPending ?? DEFAULT_MAX_PENDING;
    if (this.unsettled >= limit) return Promise.reject(new QmpPendingLimitError(name, limit));
    this.unsettled++;
    return this.inTurn(name, args, options).finally(() => this.unsettled--);
  }

  /** Resynchronises now (as the next queued call); resolves with the id the agent echoed. */
  resync(options?: CallOptions): Promise<number> {
    return this.request('guest-sync-delimited', { id: randomInt(1, MAX_SYNC_ID) }, options) as Promise<number>;
  }

  /** Closes: queued and pending calls reject with `ConnectionClosedError`. */
  async close(): Promise<void> {
    await this.life.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Why the connection ended, once it has. */
  get closedReason(): ConnectionClosedError | undefined {
    return this.life.reason;
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Waits for the call's turn (its timeout counting from now, its signal listened to), then runs
   * it with what is left of its timeout, resynchronising first when a call timed out before.
   */
  private async inTurn(name: string, args: object | undefined, options: CallOptions | undefined): Promise<unknown> {
    const queuedAt = performance.now();
    await withDeadline<void>({ what: name, timeout: options?.timeout, signal: options?.signal }, (settle) => {
      this.turns.push({ name, settle });
      this.grant();
    });
    try {
      const session = this.life.current?.session;
      if (session === undefined) throw (this.life.reason ?? new ConnectionClosedError('the connection was lost')).forCommand(name);
      const timeout = options?.timeout === undefined ? undefined : Math.max(1, options.timeout - (performance.now() - queuedAt));
      try {
        if (this.needsSync && name !== 'guest-sync-delimited') await this.sync(session, undefined, timeout);
        return await this.run(session, name, args, { ...options, timeout });
      } catch (error) {
        if (error instanceof QmpTimeoutError) this.needsSync = true;
        throw error;
      }
    } finally {
      this.busy = false;
      this.grant();
    }
  }

  /** Gives the next waiting call its turn, when none has it and the connection is open. */
  private grant(): void {
    if (this.busy || this.life.current === undefined) return; // once open again, adopted() grants
    for (let next = this.turns.shift(); next !== undefined; next = this.turns.shift()) {
      if (next.settle.resolve()) {
        this.busy = true;
        return;
      }
    }
  }

  private run(session: Session, name: string, args: object | undefined, options: CallOptions): Promise<unknown> {
    if (name === 'guest-sync-delimited') {
      const id = (args as { id?: unknown } | undefined)?.id;
      return this.sync(session, typeof id === 'number' ? id : undefined, options.timeout);
    }
    if (NO_REPLY_ON_SUCCESS.has(name)) return this.runWithoutReply(session, name, args, options);
    return session.call(name, args, options);
  }

  /** Sends the command, then `guest-ping`; the ping's reply means the command was accepted. */
  private async runWithoutReply(session: Session, name: string, args: object | undefined, options: CallOptions): Promise<unknown> {
    let commandId = 0;
    const command = session.call(name, args, options, (id) => (commandId = id));
    const ping = session.call('guest-ping', undefined, { timeout: options.timeout });
    const pinged = ping.then(
      () => void session.resolve(commandId, undefined),
      () => {}, // the command's own promise reports the failure (closed, timed out)
    );
    try {
      return await command;
    } finally {
      await pinged; // one call at a time: the ping too (after an error reply, its reply is next)
    }
  }

  /**
   * `guest-sync-delimited`: 0xFF out, skip input to the agent's 0xFF, expect our id back.
   * Runs with no other call in flight (the queue guarantees it).
   */
  private async sync(session: Session, id: number | undefined, timeout: number | undefined): Promise<number> {
    const deadline = timeout === undefined ? undefined : performance.now() + timeout;
    for (let attempt = 1; attempt <= SYNC_ATTEMPTS; attempt++) {
      const expected = attempt === 1 && id !== undefined ? id : randomInt(1, MAX_SYNC_ID);
      session.skipToDelimiter();
      session.write(Buffer.of(0xff));
      const remaining = deadline === undefined ? undefined : Math.max(1, deadline - performance.now());
      const echoed = await session.call('guest-sync-delimited', { id: expected }, { timeout: remaining });
      if (echoed === expected) {
        this.needsSync = false;
        return expected;
      }
    }
    throw new QmpProtocolError(`the guest agent did not echo the sync id in ${SYNC_ATTEMPTS} attempts`, { offset: session.bytesReceived });
  }

  /** Opens the target and synchronises a new session, within `connectTimeout`. */
  private async open(): Promise<Session> {
    const limit = this.options.connectTimeout ?? 10_000;
    const started = performance.now();
    const opening = this.opener.open();
    const stream = await runWithDeadline({ what: `connect to ${this.opener.describe}`, timeout: limit > 0 ? limit : undefined }, () => opening).catch(
      (error: unknown) => {
        void opening.then(
          (late) => late.destroy(),
          () => {},
        ); // opened after all: not wanted
        throw error;
      },
    );
    const session: Session = new Session(
      stream,
      {
        event: (message) => this.report(new QmpProtocolError(`the guest agent sent an event (${message.event}); ignored`, { offset: 0 })),
        closed: (reason) => this.life.lost(session, reason),
        warning: (error) => this.report(error),
      },
      {
        maxMessageSize: this.options.maxMessageSize ?? 64 * 1024 * 1024,
        firstId: randomInt(1, 2 ** 40),
        nudge: this.opener.nudge,
        integers: this.options.integers,
        validate: this.options.validate,
      },
    );
    try {
      await this.sync(session, undefined, limit > 0 ? Math.max(1, limit - (performance.now() - started)) : undefined);
      return session;
    } catch (error) {
      await session.close(new ConnectionClosedError(`synchronising with the guest agent at ${this.opener.describe} failed`, { cause: error }));
      throw error instanceof QmpTimeoutError ? new QmpTimeoutError(`connect to ${this.opener.describe}`, limit) : error;
    }
  }
}
