/** Reconnection policy: exponential backoff with jitter. */

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
