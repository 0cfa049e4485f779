/**
 * Event dispatch: subscriptions by name (or to every event), each with an optional filter.
 *
 * An event that no subscription takes is kept in a bounded buffer of unclaimed events, so
 * events that arrive before anyone listens (right after connecting, or between `execute`
 * resolving and the caller subscribing) are not lost: the next subscription that matches
 * takes them, oldest first, before any live event. An event a subscription took is not
 * kept. When the buffer is full the oldest event is dropped, counted in `dropped`, and the
 * start of each run of drops is reported as a `QmpEventOverflowError`.
 */
import { QmpEventOverflowError } from './errors.js';
import { Queue } from './queue.js';
import type { QmpEventMessage } from './types.js';

export interface Subscription {
  /** The event names taken, or `undefined` for every event. */
  readonly names: ReadonlySet<string> | undefined;
  readonly filter: ((message: QmpEventMessage) => boolean) | undefined;
  /** How many buffered events to take when subscribing (1 for one-shot subscriptions). */
  readonly claim: number;
  deliver(message: QmpEventMessage): void;
  /** The event source ended; `error` is set when it ended abnormally. */
  end?(error: Error | undefined): void;
}

export class EventHub {
  private byName = new Map<string, Subscription[]>();
  private every: Subscription[] = [];
  private readonly unclaimed = new Queue<QmpEventMessage>();
  private overflowing = false;
  /** Unclaimed events dropped because the buffer was full. */
  dropped = 0;

  constructor(
    private readonly bufferSize: number,
    private readonly report: (error: Error) => void,
  ) {}

  /** Events in the buffer, waiting for a subscriber. */
  get buffered(): number {
    return this.unclaimed.length;
  }

  dispatch(message: QmpEventMessage): void {
    let taken = false;
    const named = this.byName.get(message.event);
    if (named !== undefined) for (const s of named) if (this.offer(s, message)) taken = true;
    for (const s of this.every) if (this.offer(s, message)) taken = true;
    if (!taken) this.keep(message);
  }

  /**
   * Adds a subscription; it first takes the buffered events it matches (up to its `claim`).
   * Returns the function that removes it. A subscription whose claim is already met by the
   * buffer is not added at all.
   */
  add(subscription: Subscription): () => void {
    if (this.unclaimed.length > 0 && subscription.claim > 0) {
      const taken = this.unclaimed.extract((m) => this.matches(subscription, m), subscription.claim);
      if (this.unclaimed.length < this.bufferSize) this.overflowing = false;
      for (const message of taken) subscription.deliver(message);
      if (taken.length >= subscription.claim) return () => {};
    }
    if (subscription.names === undefined) this.every = [...this.every, subscription];
    else for (const name of subscription.names) this.byName.set(name, [...(this.byName.get(name) ?? []), subscription]);
    return () => this.remove(subscription);
  }

  remove(subscription: Subscription): void {
    if (subscription.names === undefined) {
      this.every = this.every.filter((s) => s !== subscription);
      return;
    }
    for (const name of subscription.names) {
      const list = this.byName.get(name)?.filter((s) => s !== subscription);
      if (list === undefined || list.length === 0) this.byName.delete(name);
      else this.byName.set(name, list);
    }
  }

  /** Finds a subscription by predicate (for `off(name, handler)`). */
  find(name: string | undefined, predicate: (s: Subscription) => boolean): Subscription | undefined {
    return (name === undefined ? this.every : (this.byName.get(name) ?? [])).find(predicate);
  }

  /** The event source ended: tell every subscription, drop them all and the buffer. */
  end(error: Error | undefined): void {
    const all = new Set([...this.every, ...[...this.byName.values()].flat()]);
    this.every = [];
    this.byName = new Map();
    this.unclaimed.clear();
    for (const s of all) s.end?.(error);
  }

  private matches(s: Subscription, message: QmpEventMessage): boolean {
    if (s.names !== undefined && !s.names.has(message.event)) return false;
    return s.filter === undefined || this.accepts(s, message);
  }

  private offer(s: Subscription, message: QmpEventMessage): boolean {
    if (s.filter !== undefined && !this.accepts(s, message)) return false;
    try {
      s.deliver(message);
    } catch (error) {
      this.report(new Error(`an event handler for ${message.event} threw: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
    }
    return true;
  }

  private accepts(s: Subscription, message: QmpEventMessage): boolean {
    try {
      return s.filter!(message);
    } catch (error) {
      this.report(new Error(`an event filter for ${message.event} threw: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      return false;
    }
  }

  private keep(message: QmpEventMessage): void {
    if (this.unclaimed.length >= this.bufferSize) {
      if (this.bufferSize > 0) this.unclaimed.shift();
      this.dropped++;
      if (!this.overflowing) {
        this.overflowing = true;
        this.report(
          new QmpEventOverflowError(
            `the buffer of events nobody listened to is full (${this.bufferSize}): dropping the oldest (${message.event} arrived); ` +
              'subscribe with on()/events()/waitForEvent() or raise eventBufferSize',
            this.dropped,
            this.bufferSize,
          ),
        );
      }
      if (this.bufferSize === 0) return;
    }
    this.unclaimed.push(message);
  }
}

/**
 * A subscription that calls a handler (`on`, `once`, `subscribe`). Buffered events it takes
 * when added are handed to the handler in a microtask, not inside `on()`; live events that
 * arrive before then queue behind them, so order is kept.
 */
export class HandlerSubscription implements Subscription {
  private backlog: QmpEventMessage[] | undefined = [];
  private removed = false;

  constructor(
    readonly names: ReadonlySet<string> | undefined,
    readonly handler: (message: QmpEventMessage) => void,
    private readonly once: boolean,
    private readonly hub: EventHub,
    private readonly report: (error: Error) => void,
  ) {}

  readonly filter = undefined;

  get claim(): number {
    return this.once ? 1 : Infinity;
  }

  /** Adds the subscription to its hub; returns the function that removes it. */
  start(): () => void {
    const remove = this.hub.add(this);
    const backlog = this.backlog!;
    if (backlog.length === 0) this.backlog = undefined;
    else queueMicrotask(() => this.flush());
    return () => this.cancel(remove);
  }

  deliver(message: QmpEventMessage): void {
    if (this.backlog !== undefined) {
      this.backlog.push(message);
      return;
    }
    if (this.once) this.cancel(() => this.hub.remove(this));
    this.handler(message);
  }

  private cancel(remove: () => void): void {
    if (this.removed) return;
    this.removed = true;
    remove();
  }

  private flush(): void {
    const backlog = this.backlog ?? [];
    this.backlog = undefined;
    if (this.removed) return; // removed with off() before its first delivery
    if (this.once) this.removed = true;
    for (const message of backlog) {
      try {
        this.handler(message);
      } catch (error) {
        this.report(new Error(`an event handler for ${message.event} threw: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      }
    }
  }
}
