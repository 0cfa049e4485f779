/**
 * One connection's message exchange: commands out with unique ids, replies matched back by id
 * (in any order, any number in flight), events and the greeting handed up, and every pending
 * call settled when the connection ends. A session lives as long as its stream; reconnecting
 * makes a new one. `QmpClient` and `QgaClient` build on it.
 *
 * Costs per call: one Map entry and one promise; a timer only when `timeout` is given, an
 * abort listener only when `signal` is; each command is one `write`, made at once while the
 * stream takes it. When the stream says it is full (the peer reads slower than we write),
 * writes wait in order for `drain`, and a call that times out or is aborted while waiting is
 * never sent. At most `maxPending` calls await replies; one more is refused at once.
 */
import { finished, type Duplex } from 'node:stream';
import { ConnectionClosedError, QmpError, QmpPendingLimitError, QmpPrecisionWarning, QmpProtocolError, QmpTimeoutError, QmpValidationError } from './errors.js';
import { Deadline } from './deadline.js';
import { checkFd, FdPassingError, FdPassingUnavailableError, isFull, loadFdSender, unixSocketFd } from './fd-passing.js';
import { EXCERPT_LENGTH, MessageFramer } from './framing.js';
import { exactIntegers, parseMessage, toJson } from './json.js';
import { Queue } from './queue.js';
import type { MessageValidator } from './validation.js';
import type { CallOptions, QmpEventMessage } from './types.js';

export interface SessionHandlers {
  /** Every asynchronous event, `data` already defaulted to `{}`. */
  event(message: QmpEventMessage): void;
  /** A `{"QMP": …}` greeting; absent for servers that never send one (the guest agent). */
  greeting?(message: Record<string, unknown>, offset: number): void;
  /** Called once, when the session ends for whatever reason. */
  closed(reason: ConnectionClosedError): void;
  /** Something worth knowing that fails no call (a reply nobody asked for, an event dropped as malformed). */
  warning(error: Error): void;
}

export interface SessionOptions {
  /** Longest message accepted, in bytes (without its line end). */
  maxMessageSize: number;
  /** Most calls awaiting their replies at once (default `DEFAULT_MAX_PENDING`). */
  maxPending?: number;
  /** The first id (default 1). A random start makes a stale reply unlikely to match a call. */
  firstId?: number;
  /** Follow each write, once it is out, with a lone whitespace write (QEMU 7.2 TLS; see `TlsOptions.nudge`). */
  nudge?: boolean;
  /** Integers beyond ±(2^53 − 1): `number` (rounded, and reported as a warning) or `bigint` (exact). */
  integers?: 'number' | 'bigint';
  /** Checks each reply (a mismatch rejects its call) and each event's data (reported as a warning). */
  validate?: MessageValidator;
}

/** A call awaiting its reply: its own deadline, and out of `pending` once settled. */
class PendingCall extends Deadline<unknown> {
  constructor(
    readonly id: number,
    name: string,
    readonly oob: boolean,
    private readonly pending: Map<number, PendingCall>,
  ) {
    super(name);
  }

  get name(): string {
    return this.what;
  }

  protected override cleanup(): void {
    this.pending.delete(this.id);
  }

  protected override expired(timeout: number): Error {
    return new QmpTimeoutError(this.what, timeout, this.id);
  }
}

/** Bytes waiting for the stream to drain, with the call they send (skipped if it settled meanwhile). */
interface Outgoing {
  data: string | Buffer;
  call: PendingCall | undefined;
  /** A descriptor sent with the bytes (SCM_RIGHTS). */
  fd?: number;
}

/** How long to wait before trying again to send a descriptor into a full socket (ms, doubling). */
const FULL_RETRY_FIRST = 1;
const FULL_RETRY_MAX = 50;

const QMP_GREETING = Buffer.from('{"QMP"');
const EMPTY = Buffer.alloc(0);
const noop = (): void => {};

/** Generous: QEMU itself reads at most 8 in-band commands ahead, so a deep queue only waits. */
export const DEFAULT_MAX_PENDING = 10_000;

/** `{"execute":"name"` (or `exec-oob`), made once per command name, shared by all sessions. */
const heads = new Map<string, string>();
const oobHeads = new Map<string, string>();
function head(name: string, oob: boolean): string {
  const made = oob ? oobHeads : heads;
  let text = made.get(name);
  if (text === undefined) {
    text = `{"${oob ? 'exec-oob' : 'execute'}":${JSON.stringify(name)}`;
    if (made.size < 4096) made.set(name, text);
  }
  return text;
}

export class Session {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private reason: ConnectionClosedError | undefined;
  private readonly framer: MessageFramer;
  private readonly afterWrite: ((error?: Error | null) => void) | undefined;
  private readonly bigIntegers: boolean;
  private readonly maxPending: number;
  private readonly validator: MessageValidator | undefined;
  /** Writes made while the stream was full, in order. */
  private readonly outbox = new Queue<Outgoing>();
  private blocked = false;
  /** A command with a descriptor is on its way: later writes wait behind it (see `pass`). */
  private passing = false;
  /** The latest command sent with a descriptor: the next one waits for it to settle. */
  private lastPassed: PendingCall | undefined;
  /** Replies whose id matched no pending call (answers to calls that timed out or were aborted). */
  lateReplies = 0;

  constructor(
    readonly stream: Duplex,
    private readonly handlers: SessionHandlers,
    options: SessionOptions,
  ) {
    this.nextId = options.firstId ?? 1;
    this.bigIntegers = options.integers === 'bigint';
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.validator = options.validate;
    // The whitespace goes in the write's callback, so that it is a record of its own.
    if (options.nudge === true) this.afterWrite = (error) => void (error == null && this.reason === undefined && stream.write(' '));
    this.framer = new MessageFramer(
      options.maxMessageSize,
      (text, offset) => this.receive(text, offset),
      (error) => this.violation(error),
      (skipped, offset) => this.skipped(skipped, offset),
    );
    stream.on('data', (chunk: Buffer | string) => {
      try {
        this.framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      } catch (error) {
        this.failedReading(error);
      }
    });
    stream.on('drain', () => this.flush());
    stream.on('end', () => this.end(new ConnectionClosedError('the server closed the connection')));
    stream.on('close', () => this.end(new ConnectionClosedError('the connection closed')));
    stream.on('error', (error: Error) => this.end(new ConnectionClosedError(`connection error: ${error.message}`, { cause: error })));
  }

  /** Why the session ended, once it has. */
  get closedReason(): ConnectionClosedError | undefined {
    return this.reason;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Bytes received so far. */
  get bytesReceived(): number {
    return this.framer.offset;
  }

  /**
   * Sends a command and resolves with its `return`, or rejects (see the error classes).
   * `sent`, when given, learns the id the command went with (see `resolve`).
   */
  call(name: string, args: object | undefined, options: CallOptions | undefined, sent?: (id: number) => void): Promise<unknown> {
    if (this.reason !== undefined) return Promise.reject(this.reason.forCommand(name));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.pending.size >= this.maxPending) return Promise.reject(new QmpPendingLimitError(name, this.maxPending));
    const fd = options?.fd;
    if (fd !== undefined) {
      const bad = checkFd(name, fd);
      if (bad !== undefined) return Promise.reject(new TypeError(bad));
      const unix = unixSocketFd(this.stream);
      if ('not' in unix)
        return Promise.reject(
          new TypeError(`${name}: a file descriptor can be passed only over a unix socket (SCM_RIGHTS), and this connection is ${unix.not}`),
        );
    }
    const id = this.nextId++;
    const oob = options?.oob === true;
    let line: string;
    try {
      line = `${head(name, oob)}${args === undefined ? '' : `,"arguments":${toJson(args)}`},"id":${id}}\n`;
    } catch (error) {
      return Promise.reject(new TypeError(`${name}: arguments cannot be sent as JSON: ${(error as Error).message}`, { cause: error }));
    }
    const call = new PendingCall(id, name, oob, this.pending);
    this.pending.set(id, call);
    call.arm(options?.timeout, signal);
    this.send(line, call, fd);
    sent?.(id);
    return call.promise;
  }

  /**
   * Settles a pending call as if its reply had come: for the guest agent's commands that
   * send no reply on success. False when the call is no longer pending.
   */
  resolve(id: number, value: unknown): boolean {
    return this.pending.get(id)?.resolve(value) ?? false;
  }

  /** Writes bytes, in order with the commands (see `send`). */
  write(data: string | Buffer): void {
    this.send(data, undefined);
  }

  /** Calls whose command waits for the stream to drain. */
  get queuedWrites(): number {
    return this.outbox.length;
  }

  /**
   * Writes at once while the stream takes it. Batching the commands made in one tick into one
   * write was tried and measured slower with QEMU: a command written at once lets QEMU work on
   * it while this process is still reading the rest of a chunk of replies.
   */
  private send(data: string | Buffer, call: PendingCall | undefined, fd?: number): void {
    if (this.blocked || this.passing) return this.outbox.push({ data, call, fd });
    if (fd !== undefined) return void this.pass(data, call!, fd);
    this.blocked = !(this.afterWrite === undefined ? this.stream.write(data) : this.stream.write(data, this.afterWrite));
  }

  /** The stream drained: write what waited, until it is full again. */
  private flush(): void {
    this.blocked = false;
    while (!this.blocked && !this.passing && this.reason === undefined) {
      const next = this.outbox.shift();
      if (next === undefined) return;
      if (next.call?.settled === true) continue; // timed out or aborted before it went
      this.send(next.data, next.call, next.fd);
    }
  }

  /**
   * Sends a command with a descriptor: one `sendmsg` on the socket's own descriptor, beside
   * Node's writes, so the bytes Node still holds must be out first, and nothing else is written
   * until this command is (later writes wait in the outbox, in order). A full socket (EAGAIN)
   * is tried again after 1, 2, 4 … 50 ms; what `sendmsg` leaves unsent goes through the stream.
   * QEMU keeps the descriptors that came with the latest bytes that carried any, closing older
   * ones not yet taken, so a descriptor goes out only once the command before it that carried
   * one has its reply: two in flight could cross.
   */
  private async pass(data: string | Buffer, call: PendingCall, fd: number): Promise<void> {
    this.passing = true;
    const before = this.lastPassed;
    this.lastPassed = call;
    try {
      const sender = await loadFdSender(call.name);
      if (before !== undefined && !before.settled) await before.promise.then(noop, noop);
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let wait = FULL_RETRY_FIRST; ; wait = Math.min(wait * 2, FULL_RETRY_MAX)) {
        await this.writesOut();
        if (call.settled || this.reason !== undefined) return; // timed out, aborted or closed before it went
        const unix = unixSocketFd(this.stream);
        if ('not' in unix) throw new Error('the socket closed'); // the session ends with it
        let sent: number;
        try {
          sent = sender.sendWithFds(unix.fd, bytes, [fd]);
        } catch (error) {
          if (!isFull(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        if (sent < bytes.length) this.blocked = !this.stream.write(bytes.subarray(sent));
        return;
      }
    } catch (error) {
      call.reject(error instanceof FdPassingUnavailableError ? error : new FdPassingError(call.name, fd, error));
    } finally {
      this.passing = false;
      if (!this.blocked) this.flush();
    }
  }

  /** Resolves once the stream has handed every byte written so far to the kernel. */
  private async writesOut(): Promise<void> {
    // an empty write's callback runs after every write before it is done; nothing is written meanwhile
    while (this.stream.writableLength > 0 && this.reason === undefined && !this.stream.destroyed) {
      await new Promise<void>((resolve) => this.stream.write(EMPTY, () => resolve()));
    }
  }

  /** Discard input up to the next 0xFF byte (the guest agent's resynchronisation). */
  skipToDelimiter(): void {
    this.framer.skipToDelimiter();
  }

  /** Ends the session: every pending call rejects with `reason` (addressed to it), the stream is destroyed. */
  close(reason: ConnectionClosedError = new ConnectionClosedError('closed by the client')): Promise<void> {
    this.end(reason);
    return new Promise((resolve) => finished(this.stream, () => resolve()));
  }

  private receive(text: string, offset: number): void {
    let message: unknown;
    try {
      message = parseMessage(text, offset);
    } catch (error) {
      return this.violation(error as QmpProtocolError);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.violation(new QmpProtocolError('a server message must be a JSON object', { offset, excerpt: text.slice(0, EXCERPT_LENGTH) }));
    }
    const m = message as Record<string, unknown>;
    // Makes the integers exact (`integers: 'bigint'`), or says which were rounded: nothing is rounded silently.
    const rounded = exactIntegers(text, { value: m }, this.bigIntegers);
    if (rounded.count > 0) {
      const call = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
      const source = typeof m.event === 'string' ? `event ${m.event}` : call !== undefined ? call.name : 'a server message';
      this.handlers.warning(new QmpPrecisionWarning(source, call === undefined ? undefined : m.id, rounded.first, rounded.count));
    }
    if ('return' in m) return this.reply(m, false, text, offset);
    if ('error' in m) return this.reply(m, true, text, offset);
    if (typeof m.event === 'string') return this.event(m, text, offset);
    if ('QMP' in m) {
      if (this.handlers.greeting !== undefined) return this.handlers.greeting(m, offset);
      // the guest agent never greets: this peer is a QMP monitor
      return this.violation(
        new QmpProtocolError('a QMP greeting: this is a QEMU monitor, not a guest agent (connect with QmpClient)', {
          offset,
          excerpt: text.slice(0, EXCERPT_LENGTH),
        }),
      );
    }
    this.violation(new QmpProtocolError('a server message with none of "return", "error", "event"', { offset, excerpt: text.slice(0, EXCERPT_LENGTH) }));
  }

  /**
   * Hands an event up, `data` defaulted to `{}` and `timestamp` to QEMU's "no clock". An event
   * whose `data` is not an object breaks every handler's type: it is reported, with the raw
   * message, and not delivered (no call waits on an event, so the connection goes on).
   */
  private event(m: Record<string, unknown>, text: string, offset: number): void {
    if (m.data === undefined) m.data = {};
    if (typeof m.data !== 'object' || m.data === null || Array.isArray(m.data)) {
      const kind = m.data === null ? 'null' : Array.isArray(m.data) ? 'an array' : `a ${typeof m.data}`;
      return this.handlers.warning(
        new QmpProtocolError(`event ${String(m.event)}: "data" is ${kind}, not an object; not delivered`, { offset, excerpt: text.slice(0, EXCERPT_LENGTH) }),
      );
    }
    // QEMU always stamps events (-1, -1 when it could not read the clock): same for a peer that does not
    if (m.timestamp === undefined) m.timestamp = { seconds: -1, microseconds: -1 };
    const issues = this.validator?.event(m.event as string, m.data);
    if (issues !== undefined && issues.length > 0) this.handlers.warning(new QmpValidationError({ event: m.event as string }, issues, m.data));
    this.handlers.event(m as unknown as QmpEventMessage);
  }

  /**
   * Bytes dropped while resynchronising with a guest agent. An agent never writes `{"QMP"` (in a
   * string it would be escaped): a QEMU monitor's greeting is being skipped, and waiting for a
   * delimiter that will never come would only end in a timeout.
   */
  private skipped(bytes: Buffer, offset: number): void {
    if (this.handlers.greeting !== undefined) return;
    const at = bytes.indexOf(QMP_GREETING);
    if (at === -1) return;
    const lineEnd = bytes.indexOf(0x0a, at);
    const excerpt = bytes.toString('utf8', at, Math.min(lineEnd === -1 ? bytes.length : lineEnd, at + EXCERPT_LENGTH)).trimEnd();
    this.violation(
      new QmpProtocolError('a QMP greeting: this is a QEMU monitor, not a guest agent (connect with QmpClient)', { offset: offset + at, excerpt }),
    );
  }

  /**
   * Reading a message threw where nothing should (a defect, or an input no check foresaw). A
   * throw in a stream's data handler would end the process: it is reported, and the session
   * ends so that no call waits for a reply that the broken reading may have lost.
   */
  private failedReading(error: unknown): void {
    const reason = new ConnectionClosedError(`reading the server's messages failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
    this.end(reason);
    try {
      this.handlers.warning(reason);
    } catch {
      // onError itself threw: the session has ended, and there is nobody else to tell
    }
  }

  private reply(m: Record<string, unknown>, failed: boolean, text: string, offset: number): void {
    const id = m.id;
    let call = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (call === undefined && id === undefined) call = this.oldestInBand();
    if (call === undefined) {
      if (id !== undefined)
        this.lateReplies++; // the spec: drop replies with an unknown id
      else
        this.handlers.warning(
          new QmpProtocolError('a reply without "id" while no command was pending; dropped', { offset, excerpt: text.slice(0, EXCERPT_LENGTH) }),
        );
      return;
    }
    if (!failed) {
      const issues = this.validator?.reply(call.name, m.return);
      if (issues !== undefined && issues.length > 0) return void call.reject(new QmpValidationError({ command: call.name, id: call.id }, issues, m.return));
      return void call.resolve(m.return);
    }
    const error = m.error as Record<string, unknown> | null;
    if (typeof error !== 'object' || error === null || typeof error.class !== 'string' || typeof error.desc !== 'string') {
      return void call.reject(
        new QmpProtocolError(`${call.name}: an error reply without string "class" and "desc"`, { offset, excerpt: text.slice(0, EXCERPT_LENGTH) }),
      );
    }
    call.reject(new QmpError(call.name, id ?? call.id, error.class, error.desc, error.data));
  }

  /**
   * QEMU leaves `id` out of a reply only when it could not read the request's id (a request
   * it could not parse). It answers in-band commands in order, so such a reply is the oldest
   * in-band command's.
   */
  private oldestInBand(): PendingCall | undefined {
    for (const call of this.pending.values()) if (!call.oob) return call;
    return undefined;
  }

  /** A protocol violation ends the session: pending calls reject with the violation itself. */
  private violation(error: QmpProtocolError): void {
    this.end(new ConnectionClosedError(`protocol violation: ${error.message}`, { cause: error }), error);
  }

  private end(reason: ConnectionClosedError, callError?: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.outbox.clear();
    const calls = [...this.pending.values()];
    for (const call of calls) call.reject(callError ?? reason.forCommand(call.name));
    this.stream.destroy();
    this.handlers.closed(reason);
  }
}
