/** Reconnection: the policy (exponential backoff with jitter) and the loop both clients run. */
import { ConnectionClosedError } from './errors.js';

export interface ReconnectOptions {
  /** Delay before the first attempt, in ms (default 100). */
  initialDelay?: number;
  /** Ceiling of the delay, in ms (default 5 000). */
  maxDelay?: number;
  /** Attempts before giving up and closing for good (default: unlimited). */
  maxAttempts?: number;
}

export interface Backoff {
  readonly maxAttempts: number;
  /** The delay before attempt `attempt` (1-based). */
  delay(attempt: number): number;
}

/**
 * "Equal jitter": half the exponential delay is fixed, half random, so clients that lost the
 * same QEMU at once do not all knock again at the same instant, and none retries at once.
 */
export function backoff(options: ReconnectOptions, random: () => number = Math.random): Backoff {
  const initialDelay = options.initialDelay ?? 100;
  const maxDelay = Math.max(options.maxDelay ?? 5000, initialDelay);
  const maxAttempts = options.maxAttempts ?? Infinity;
  if (!(initialDelay >= 0) || !(maxAttempts >= 1)) throw new RangeError('reconnect: initialDelay must be ≥ 0 and maxAttempts ≥ 1');
  return {
    maxAttempts,
    delay(attempt) {
      const ceiling = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 30));
      return ceiling / 2 + (random() * ceiling) / 2;
    },
  };
}

/** What a client gives the reconnection loop. */
export interface ReconnectSteps<T> {
  /** What is being reconnected to, for the give-up message. */
  describe: string;
  /** Before attempt `attempt` waits `delay` ms (a client tells its state listeners). */
  announce(attempt: number, delay: number, lastError: Error): void;
  /** One attempt: opens and sets up a new connection. */
  open(): Promise<T>;
  /** True once the client has closed; checked after each wait and each failure. */
  closed(): boolean;
}

/**
 * The reconnection loop of `QmpClient` and `QgaClient`: waits `policy.delay(n)` before attempt n,
 * then tries. `done` resolves with the new connection, or `undefined` when the client closed
 * meanwhile, and rejects with `ConnectionClosedError` after `maxAttempts` failures. `wake()` ends
 * the current wait at once (a client that closes calls it).
 */
export function reconnectLoop<T>(policy: Backoff, reason: Error, steps: ReconnectSteps<T>): { done: Promise<T | undefined>; wake: () => void } {
  let wake = (): void => {};
  const done = (async () => {
    let lastError: unknown = reason;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const delay = policy.delay(attempt);
      steps.announce(attempt, delay, lastError as Error);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => (clearTimeout(timer), resolve());
      });
      if (steps.closed()) return undefined;
      try {
        return await steps.open();
      } catch (error) {
        if (steps.closed()) return undefined;
        lastError = error;
      }
    }
    throw new ConnectionClosedError(`gave up reconnecting to ${steps.describe} after ${policy.maxAttempts} attempts`, { cause: lastError });
  })();
  return { done, wake: () => wake() };
}
