/**
 * `QmpClient`: a QMP connection with typed commands and events.
 *
 *   await using client = await QmpClient.connect<Commands, Events>('/run/qemu/qmp.sock');
 *   const status = await client.execute('query-status');
 *
 * Connecting resolves after the greeting and `qmp_capabilities`. Commands carry unique ids and
 * any number may be in flight; replies are matched by id. Events go to `on`/`once` handlers,
 * `events()` iterators and `waitForEvent()`; events nobody was listening for are kept in a
 * bounded buffer for the next subscriber (see `EventHub`).
 *
 * Failure model:
 * - a command's error reply rejects that call with `QmpError`;
 * - `timeout` / `signal` reject that call (`QmpTimeoutError` / `signal.reason`); the command
 *   may still run in QEMU and its late reply is dropped;
 * - the connection ending (`close()`, QEMU `quit`, QEMU killed, a reset) rejects every pending
 *   call at once with `ConnectionClosedError`: the command's outcome is unknown (a reply QEMU
 *   sent just before closing can be lost when a write fails first, EPIPE, and Node ends the
 *   socket before reading the rest);
 * - a protocol violation (bytes that are not JSON, a message over `maxMessageSize`, a message
 *   of no known shape) is fatal to the connection: pending calls reject with the
 *   `QmpProtocolError` (or `QmpMessageTooLargeError`), whose `offset`/`position` locate the
 *   offending bytes; the stream is destroyed; afterwards the client is closed (its `closed`
 *   promise gives a `ConnectionClosedError` with the violation as `cause`) or, with
 *   `reconnect`, reconnects as after any other disconnect. Skipping the bad message instead
 *   would leave the call it answered waiting for ever.
 */
import { runWithDeadline, withDeadline } from './deadline.js';
import { ConnectionClosedError, QmpError, QmpProtocolError } from './errors.js';
import { EventHub, HandlerSubscription } from './events.js';
import { EventStream } from './event-stream.js';
import { parseGreeting, type QmpGreeting } from './greeting.js';
import { Lifecycle, type ClientState, type StateChange } from './lifecycle.js';
import type { ReconnectOptions } from './reconnect.js';
import type { MessageValidator } from './validation.js';
import { Session } from './session.js';
import { openerFor, type ConnectTarget, type Opener } from './transport.js';
import type {
  ArgsOf,
  CallOptions,
  ClientMode,
  clientMode,
  EventFilterOptions,
  EventMessageOf,
  ExecuteParameters,
  InMode,
  NameOf,
  QmpCaller,
  QmpEventMessage,
  QmpEventSource,
  ReturnsOf,
  UntypedCommands,
  UntypedEvents,
} from './types.js';
import type { Duplex } from 'node:stream';

export interface ConnectOptions {
  /** Enable out-of-band execution (`exec-oob`) when the server offers the `oob` capability. */
  oob?: boolean;
  /** Milliseconds for opening, greeting and negotiation together (default 10 000; 0: no limit). */
  connectTimeout?: number;
  /** Abandons connecting (and reconnecting) when aborted. */
  signal?: AbortSignal;
  /** Longest message accepted from the server, in bytes (default 64 MiB). */
  maxMessageSize?: number;
  /** How many events nobody listened to are kept for later subscribers (default 1 000). */
  eventBufferSize?: number;
  /** Queue limit of each `events()` iterator (default 10 000). */
  eventStreamLimit?: number;
  /** Timeout applied to calls that give none (default: none, and no timer). */
  callTimeout?: number;
  /**
   * Most calls awaiting their replies at once (default 10 000); one more rejects at once with
   * `QmpPendingLimitError`, unsent. Writes also wait for the socket to drain when it is full.
   */
  maxPending?: number;
  /** Reconnect after the connection is lost, with backoff; `true` for the defaults. */
  reconnect?: ReconnectOptions | boolean;
  /**
   * Integers beyond ±(2^53 − 1), which QEMU's `uint64`/`int64` values sometimes are (feature
   * masks, `-1` as a `uint64`): `'number'` (default) delivers them rounded, as `JSON.parse` does,
   * and reports each through `onError` (`QmpPrecisionWarning`, with the exact digits);
   * `'bigint'` delivers exactly those as `bigint`. Written as `integers: 'bigint'` in the options
   * given to `connect`, it reaches the client's type (`QmpClient<C, E, { integers: 'bigint' }>`):
   * the wide integer types (`Int64`, `Uint64`, `Size`) of replies and events then read as
   * `number | bigint` (a small one still arrives as a `number`), narrower ones stay `number`, and
   * wide arguments accept either. Options whose `integers` is not known to be `'bigint'` (a
   * variable typed `ConnectOptions`) give the number-mode types.
   */
  integers?: 'number' | 'bigint';
  /**
   * Checks every reply and event against a schema (see `schemaValidator`, over a target's
   * `schema.json`): a reply that does not match rejects its call with `QmpValidationError`
   * (command, id, JSON path, expected, received); an event that does not match is reported
   * through `onError`, and delivered. Default: none, and no cost.
   */
  validate?: MessageValidator;
  /**
   * Problems that fail no call: an event handler threw, the event buffer overflowed, a reply
   * nobody asked for. Default: `process.emitWarning`.
   */
  onError?: (error: Error) => void;
}

export type { ClientState, StateChange } from './lifecycle.js';

export interface WaitForEventOptions<M> extends EventFilterOptions<M> {
  /** Milliseconds before the wait rejects with `QmpTimeoutError`. */
  timeout?: number;
}

/** One connection attempt, as far as it got: what to end if it is abandoned, and what a timeout now means. */
interface Attempt {
  stream: Duplex | undefined;
  session: Session | undefined;
  greeted: boolean;
  abandoned: boolean;
}

interface Negotiated {
  session: Session;
  greeting: QmpGreeting;
  capabilities: string[];
}

const DEFAULT_CONNECT_TIMEOUT = 10_000;
/** Why a socket that accepted the connection may stay silent. */
const NO_GREETING_HINT =
  'the socket accepted the connection but sent no greeting. QEMU serves one client per monitor at a time: is another client connected? ' +
  'Or this is a guest-agent socket (the agent never greets): connect with QgaClient';
const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
const DEFAULT_EVENT_BUFFER = 1000;
const DEFAULT_STREAM_LIMIT = 10_000;

/**
 * `C` and `E` are a target's `Commands` and `Events` maps; `M` is the client's `ClientMode`
 * (`connect` sets it from its options), which decides how wide integers are typed.
 */
export class QmpClient<C = UntypedCommands, E = UntypedEvents, M extends ClientMode = ClientMode> implements QmpCaller<M>, QmpEventSource<M>, AsyncDisposable {
  /**
   * Connects, reads the greeting and negotiates capabilities; resolves when commands can be sent.
   * With `integers: 'bigint'` in `options`, the client is typed in bigint mode.
   */
  static connect<C = UntypedCommands, E = UntypedEvents>(
    target: ConnectTarget,
    options: ConnectOptions & { integers: 'bigint' },
  ): Promise<QmpClient<C, E, { integers: 'bigint' }>>;
  static connect<C = UntypedCommands, E = UntypedEvents>(target: ConnectTarget, options?: ConnectOptions): Promise<QmpClient<C, E>>;
  static async connect(target: ConnectTarget, options: ConnectOptions = {}): Promise<QmpClient> {
    const opener = openerFor(target);
    if (options.reconnect && !opener.reusable)
      throw new TypeError(`connect: cannot reconnect to a ${opener.describe} given as such; pass a function that opens it`);
    const client = new QmpClient(opener, options);
    await client.life.start();
    return client;
  }

  private readonly life: Lifecycle<Negotiated>;
  /** A session still negotiating (so `close()` can end it too). */
  private negotiating: Session | undefined;
  private currentGreeting: QmpGreeting | undefined;
  private enabled: string[] = [];
  private readonly hub: EventHub;
  private readonly report: (error: Error) => void;

  /** Resolves, with the reason, when the client has closed for good. Never rejects. */
  readonly closed: Promise<ConnectionClosedError>;

  /** Type-only (never present): the mode `M`, read by the generated functions. */
  declare readonly [clientMode]?: M;

  private constructor(
    private readonly opener: Opener,
    private readonly options: ConnectOptions,
  ) {
    this.report = options.onError ?? ((error) => process.emitWarning(error));
    this.hub = new EventHub(options.eventBufferSize ?? DEFAULT_EVENT_BUFFER, this.report);
    this.life = new Lifecycle<Negotiated>(
      {
        describe: opener.describe,
        open: () => this.negotiate(),
        adopted: (negotiated) => {
          this.currentGreeting = negotiated.greeting;
          this.enabled = negotiated.capabilities;
        },
        ended: (reason, byUser) => this.hub.end(byUser ? undefined : reason),
        report: this.report,
      },
      options.reconnect,
    );
    this.closed = this.life.closed;
  }

  /** The greeting of the current connection (updated by each reconnection). */
  get greeting(): QmpGreeting {
    return this.currentGreeting!;
  }

  /** The capabilities enabled by negotiation (`["oob"]` or `[]`). */
  get capabilities(): readonly string[] {
    return this.enabled;
  }

  get state(): ClientState {
    const state = this.life.state;
    return state === 'connecting' ? 'reconnecting' : state;
  }

  /** Events dropped from the full buffer of events nobody listened to. */
  get droppedEvents(): number {
    return this.hub.dropped;
  }

  /** Replies that matched no pending call (their call had timed out or was aborted), this connection. */
  get lateReplies(): number {
    return this.life.current?.session.lateReplies ?? 0;
  }

  /** Calls awaiting their reply. */
  get pendingCalls(): number {
    return this.life.current?.session.pendingCount ?? 0;
  }

  /** Runs a command; `args` may be left out when the command has no required argument. */
  execute<K extends NameOf<C>>(name: K, ...rest: ExecuteParameters<InMode<ArgsOf<C[K]>, M>>): Promise<InMode<ReturnsOf<C[K]>, M>>;
  execute(name: string, args?: object, options?: CallOptions): Promise<unknown> {
    return this.request(name, args, options);
  }

  /** The untyped core (`QmpCaller`), for generated functions and untyped use. */
  request(name: string, args?: object, options?: CallOptions): Promise<unknown> {
    if (options?.timeout === undefined && this.options.callTimeout !== undefined) options = { ...options, timeout: this.options.callTimeout };
    if (options?.oob === true && !this.enabled.includes('oob')) {
      return Promise.reject(new TypeError(`${name}: exec-oob needs the oob capability; connect with { oob: true } to a server that offers it`));
    }
    const open = this.life.current;
    if (open !== undefined) return open.session.call(name, args, options);
    const reason = this.life.reason;
    if (reason !== undefined) return Promise.reject(reason.forCommand(name));
    return this.requestWhenOpen(name, args, options);
  }

  /** Calls `handler` with every `name` event until `off`. */
  on<K extends NameOf<E>>(name: K, handler: (message: EventMessageOf<E, K, M>) => void): this {
    this.handle(name, handler as (message: QmpEventMessage) => void, false);
    return this;
  }

  /** Calls `handler` with the next `name` event only. */
  once<K extends NameOf<E>>(name: K, handler: (message: EventMessageOf<E, K, M>) => void): this {
    this.handle(name, handler as (message: QmpEventMessage) => void, true);
    return this;
  }

  /** Removes a handler added with `on` or `once` (one registration per call). */
  off<K extends NameOf<E>>(name: K, handler: (message: EventMessageOf<E, K, M>) => void): this {
    const found = this.hub.find(name, (s) => s instanceof HandlerSubscription && s.handler === handler);
    if (found !== undefined) this.hub.remove(found);
    return this;
  }

  /** The untyped core (`QmpEventSource`): `name` undefined means every event. */
  subscribe(name: string | undefined, handler: (message: QmpEventMessage) => void): () => void {
    return this.handle(name, handler, false);
  }

  /**
   * An async iterator of event messages: `name` (one or several) or every event, optionally
   * filtered; it subscribes now. See `EventStream` for how it ends.
   */
  events<K extends NameOf<E> = NameOf<E>>(
    name?: K | readonly K[],
    options: EventFilterOptions<EventMessageOf<E, K, M>> = {},
  ): EventStream<EventMessageOf<E, K, M>> {
    const names = namesOf(name);
    const limit = this.options.eventStreamLimit ?? DEFAULT_STREAM_LIMIT;
    const filter = options.filter as ((message: QmpEventMessage) => boolean) | undefined;
    const stream = new EventStream<EventMessageOf<E, K, M>>(this.hub, names, filter, options.signal, limit);
    const reason = this.life.reason;
    if (reason !== undefined) stream.end(this.life.closedByUser ? undefined : reason);
    return stream;
  }

  /**
   * Resolves with the next matching event (a buffered one first). Subscribes now: create the
   * promise before the command that causes the event, await it after.
   */
  waitForEvent<K extends NameOf<E> = NameOf<E>>(
    name?: K | readonly K[],
    options: WaitForEventOptions<EventMessageOf<E, K, M>> = {},
  ): Promise<EventMessageOf<E, K, M>> {
    const reason = this.life.reason;
    if (reason !== undefined) return Promise.reject(reason);
    return withDeadline<EventMessageOf<E, K, M>>({ what: `event ${describeNames(name)}`, timeout: options.timeout, signal: options.signal }, (settle) =>
      this.hub.add({
        names: namesOf(name),
        filter: options.filter as ((message: QmpEventMessage) => boolean) | undefined,
        claim: 1,
        deliver: (message) => settle.resolve(message as EventMessageOf<E, K, M>),
        end: (error) => settle.reject(error ?? new ConnectionClosedError(`closed while waiting for ${describeNames(name)}`)),
      }),
    );
  }

  /** Listens to state changes (`reconnecting`, `open`, `closed`); returns the unsubscribe function. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    return this.life.onStateChange(listener);
  }

  /**
   * Closes for good: pending calls reject with `ConnectionClosedError`, iterators end,
   * waits reject. Resolves when the stream is closed.
   */
  async close(): Promise<void> {
    const negotiating = this.negotiating;
    this.negotiating = undefined;
    const reason = await this.life.close();
    if (reason !== undefined && negotiating !== undefined) await negotiating.close(reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // -------------------------------------------------------------------------------------------

  private handle(name: string | undefined, handler: (message: QmpEventMessage) => void, once: boolean): () => void {
    return new HandlerSubscription(namesOf(name), handler, once, this.hub, this.report).start();
  }

  /** Opens the target, reads the greeting, runs `qmp_capabilities`; within `connectTimeout`. */
  private async negotiate(): Promise<Negotiated> {
    const limit = this.options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const attempt: Attempt = { stream: undefined, session: undefined, greeted: false, abandoned: false };
    const hint = () => (attempt.stream !== undefined && !attempt.greeted ? NO_GREETING_HINT : undefined);
    try {
      return await runWithDeadline(
        { what: `connect to ${this.opener.describe}`, timeout: limit > 0 ? limit : undefined, signal: this.options.signal, hint },
        () => this.handshake(attempt),
      );
    } catch (error) {
      attempt.abandoned = true;
      if (attempt.session !== undefined) void attempt.session.close(new ConnectionClosedError('negotiation failed', { cause: error }));
      else attempt.stream?.destroy();
      throw error;
    } finally {
      if (this.negotiating === attempt.session) this.negotiating = undefined;
    }
  }

  /** The greeting, checked, then `qmp_capabilities` and its reply. */
  private async handshake(attempt: Attempt): Promise<Negotiated> {
    const stream = await this.opener.open();
    if (attempt.abandoned) {
      stream.destroy(); // opened after the attempt timed out or was aborted: nobody waits for it
      throw new ConnectionClosedError(`connecting to ${this.opener.describe} was abandoned`);
    }
    attempt.stream = stream;
    let greeted!: (greeting: QmpGreeting) => void;
    let refused!: (error: unknown) => void;
    const greeting = new Promise<QmpGreeting>((resolve, reject) => ((greeted = resolve), (refused = reject)));
    const session: Session = new Session(
      stream,
      {
        event: (message) => this.hub.dispatch(message),
        greeting: (message, offset) => {
          if (this.life.current?.session === session)
            return this.report(new Error(`a second greeting on an open connection to ${this.opener.describe}; ignored`));
          try {
            greeted(parseGreeting(message, offset));
          } catch (error) {
            refused(error);
          }
        },
        closed: (reason) => {
          if (this.life.current?.session !== session) refused(this.negotiationEnded(reason, attempt.greeted));
          this.life.lost(session, reason);
        },
        warning: this.report,
      },
      {
        maxMessageSize: this.options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
        maxPending: this.options.maxPending,
        nudge: this.opener.nudge,
        integers: this.options.integers,
        validate: this.options.validate,
      },
    );
    attempt.session = session;
    this.negotiating = session;
    const parsed = await greeting;
    attempt.greeted = true;
    const capabilities = this.options.oob === true && parsed.capabilities.includes('oob') ? ['oob'] : [];
    try {
      await session.call('qmp_capabilities', capabilities.length > 0 ? { enable: capabilities } : undefined, undefined);
    } catch (error) {
      if (error instanceof ConnectionClosedError && session.closedReason !== undefined) throw this.negotiationEnded(session.closedReason, true);
      // The 0.12-era server (string version) may predate negotiation: it knows no qmp_capabilities.
      if (!(error instanceof QmpError && error.errorClass === 'CommandNotFound' && (parsed.legacyVersionString || parsed.version === undefined))) throw error;
    }
    return { session, greeting: parsed, capabilities };
  }

  /** Why connecting failed, when the connection ended during negotiation. */
  private negotiationEnded(reason: ConnectionClosedError, greeted: boolean): Error {
    if (reason.cause instanceof QmpProtocolError) return reason.cause; // reported as itself
    if (greeted || this.life.closedByUser) return reason;
    const hint = this.opener.tls ? ' (a TLS server that rejects the client certificate, missing or not signed by a CA it trusts, hangs up like this)' : '';
    return new ConnectionClosedError(`${this.opener.describe}: ${reason.message} before greeting${hint}`, { cause: reason });
  }

  private requestWhenOpen(name: string, args: object | undefined, options: CallOptions | undefined): Promise<unknown> {
    const started = performance.now();
    const timeout = options?.timeout;
    return this.life.whenOpen(name, timeout, options?.signal).then(
      () => {
        const remaining = timeout === undefined ? undefined : Math.max(0, timeout - (performance.now() - started));
        return this.request(name, args, remaining === undefined ? options : { ...options, timeout: remaining });
      },
      (error: unknown) => {
        throw error instanceof ConnectionClosedError ? error.forCommand(name) : error;
      },
    );
  }
}

function namesOf(name: string | readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (name === undefined) return undefined;
  return new Set(typeof name === 'string' ? [name] : name);
}

function describeNames(name: string | readonly string[] | undefined): string {
  if (name === undefined) return '(any)';
  return typeof name === 'string' ? name : name.join('|');
}
