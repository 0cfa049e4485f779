/**
 * Settle once, with a deadline: a pending operation (a call, a wait for an event or a
 * connection, an `accept`, a connection attempt) ends with whichever comes first of its own
 * outcome, its `timeout` (a `QmpTimeoutError` naming it) and its `signal` (rejecting with
 * `signal.reason`). Whatever ends it, its timer and abort listener are gone afterwards, and
 * later outcomes are ignored. Nothing is armed that was not asked for: no timer without a
 * timeout, no listener without a signal (a session's calls are the hot path).
 *
 * `Deadline` is the object form, for a pending entry that is its own deadline (a session's
 * call); `withDeadline` and `runWithDeadline` are the forms everything else uses.
 */
import { QmpTimeoutError } from './errors.js';

export interface DeadlineOptions {
  /** What is waited for, as the timeout names it: a command, `event STOP`, `connect to unix:…`. */
  what: string;
  /** Milliseconds before it rejects with `QmpTimeoutError`; none (or `Infinity`): no timer. */
  timeout?: number;
  /** Rejects with `signal.reason` when aborted; an already-aborted signal rejects at once. */
  signal?: AbortSignal;
  /** The likely cause, asked when the time is up (appended to the timeout's message). */
  hint?: () => string | undefined;
}

/** The outcome side of a deadline: the first `resolve` or `reject` wins, later ones return false. */
export interface Settle<T> {
  resolve(value: T): boolean;
  reject(reason: unknown): boolean;
  readonly settled: boolean;
}

export class Deadline<T> implements Settle<T> {
  readonly promise: Promise<T>;
  private resolvePromise!: (value: T) => void;
  private rejectPromise!: (reason: unknown) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private signal: AbortSignal | undefined;
  private onAbort: (() => void) | undefined;
  private done = false;
  /** Undoes the operation's side (unsubscribes, leaves a set), once, whatever settled it. */
  undo: (() => void) | undefined;

  constructor(readonly what: string) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }

  get settled(): boolean {
    return this.done;
  }

  /**
   * Starts the clock and listens to `signal` (separate from the constructor so that a subclass
   * is whole before it can settle). An already-aborted signal rejects at once, arming nothing.
   */
  arm(timeout: number | undefined, signal: AbortSignal | undefined): void {
    if (this.done) return;
    if (signal !== undefined) {
      if (signal.aborted) return void this.reject(signal.reason);
      this.signal = signal;
      this.onAbort = () => this.reject(signal.reason);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
    if (timeout !== undefined && timeout !== Infinity) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.reject(this.expired(timeout));
      }, timeout);
    }
  }

  resolve(value: T): boolean {
    if (!this.end()) return false;
    this.resolvePromise(value);
    return true;
  }

  reject(reason: unknown): boolean {
    if (!this.end()) return false;
    this.rejectPromise(reason);
    return true;
  }

  /** Runs once, as it settles, before the promise does: `undo` here; a subclass may do its own. */
  protected cleanup(): void {
    const undo = this.undo;
    this.undo = undefined;
    undo?.();
  }

  /** The rejection when `timeout` ms have passed (a subclass may add the id it knows). */
  protected expired(timeout: number): Error {
    return new QmpTimeoutError(this.what, timeout);
  }

  private end(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onAbort !== undefined) this.signal!.removeEventListener('abort', this.onAbort);
    this.timer = this.signal = this.onAbort = undefined;
    this.cleanup();
    return true;
  }
}

/** A deadline whose timeout message carries a hint, asked when the time is up. */
class HintedDeadline<T> extends Deadline<T> {
  constructor(
    what: string,
    private readonly hint: () => string | undefined,
  ) {
    super(what);
  }

  protected override expired(timeout: number): Error {
    return new QmpTimeoutError(this.what, timeout, undefined, this.hint());
  }
}

/**
 * Starts an operation that settles through `settle` (a subscription's delivery, a waiter in a
 * set), within `options`. `start` returns what undoes it (unsubscribe), called once whatever
 * settles, at once if it settled inside `start`. With an already-aborted signal, `start` is
 * never called.
 */
export function withDeadline<T>(options: DeadlineOptions, start: (settle: Settle<T>) => (() => void) | void): Promise<T> {
  const deadline = options.hint === undefined ? new Deadline<T>(options.what) : new HintedDeadline<T>(options.what, options.hint);
  deadline.arm(options.timeout, options.signal);
  if (deadline.settled) return deadline.promise;
  const undo = start(deadline);
  if (typeof undo === 'function') {
    if (deadline.settled) undo();
    else deadline.undo = undo;
  }
  return deadline.promise;
}

/**
 * `operation()`'s outcome, unless the timeout or the signal comes first; then its late outcome
 * is ignored (the caller ends what it left behind). Not started when the signal has already aborted.
 */
export function runWithDeadline<T>(options: DeadlineOptions, operation: () => Promise<T>): Promise<T> {
  return withDeadline<T>(options, (settle) => {
    operation().then(
      (value) => settle.resolve(value),
      (error: unknown) => settle.reject(error),
    );
  });
}
