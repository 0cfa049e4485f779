/**
 * `client.events(name?, options?)`: an async iterator of whole event messages. It subscribes
 * when created (not at the first `next()`), so `const stops = client.events('STOP')` before
 * `execute('stop')` cannot miss the event.
 *
 * Ending: `return()` / `break` / `await using` unsubscribe; `signal` aborting makes the next
 * `next()` reject with `signal.reason`; the client closing by `close()` ends it after the
 * queued events; the connection being lost for good makes `next()` reject with the
 * `ConnectionClosedError` after the queued events. A consumer that falls more than
 * `limit` events behind gets the queued events and then a `QmpEventOverflowError`: events
 * are never skipped silently.
 */
import { QmpEventOverflowError } from './errors.js';
import type { EventHub, Subscription } from './events.js';
import { Queue } from './queue.js';
import type { QmpEventMessage } from './types.js';

interface Waiter<M> {
  resolve(result: IteratorResult<M, undefined>): void;
  reject(reason: unknown): void;
}

export class EventStream<M extends QmpEventMessage = QmpEventMessage> implements AsyncIterableIterator<M, undefined>, Subscription, AsyncDisposable {
  readonly claim = Infinity;
  private readonly queue = new Queue<M>();
  private waiter: Waiter<M> | undefined;
  private ended = false;
  /** Thrown once, after the queued events, when the stream ended abnormally. */
  private failure: unknown;
  private removeSubscription: () => void = () => {};
  private readonly onAbort: (() => void) | undefined;

  constructor(
    hub: EventHub,
    readonly names: ReadonlySet<string> | undefined,
    readonly filter: ((message: QmpEventMessage) => boolean) | undefined,
    private readonly signal: AbortSignal | undefined,
    private readonly limit: number,
  ) {
    if (signal?.aborted) {
      this.ended = true;
      this.failure = signal.reason;
      return;
    }
    const remove = hub.add(this);
    // the buffered events it took may already have overflowed it
    if (this.ended) {
      remove();
      return;
    }
    this.removeSubscription = remove;
    if (signal !== undefined) {
      this.onAbort = () => this.finish(signal.reason, true);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  deliver(message: QmpEventMessage): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ value: message as M, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.finish(
        new QmpEventOverflowError(
          `events() consumer fell behind: ${this.limit} events queued when ${message.event} arrived; the iterator ends here`,
          1,
          this.limit,
        ),
        false,
      );
      return;
    }
    this.queue.push(message as M);
  }

  end(error: Error | undefined): void {
    this.finish(error, false);
  }

  next(): Promise<IteratorResult<M, undefined>> {
    const message = this.queue.shift();
    if (message !== undefined) return Promise.resolve({ value: message, done: false });
    if (this.ended) {
      const failure = this.failure;
      if (failure !== undefined) {
        this.failure = undefined;
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort signal's reason, as given
        return Promise.reject(failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.waiter !== undefined) return Promise.reject(new Error('events(): next() called again before the previous next() settled'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<M, undefined>> {
    this.finish(undefined, true);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /** Stops taking events; `discard` drops what is queued (abort, return) instead of draining it. */
  private finish(failure: unknown, discard: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    if (discard) this.queue.clear();
    this.removeSubscription();
    if (this.onAbort !== undefined) this.signal!.removeEventListener('abort', this.onAbort);
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    this.failure = undefined;
    if (failure === undefined) waiter.resolve({ value: undefined, done: true });
    else waiter.reject(failure);
  }
}
