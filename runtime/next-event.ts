/**
 * `nextEvent(source, name, options)`: the next event of a name that passes `options.filter`, from
 * any `QmpEventSource`. The generated `waitForEvent` helpers call this; it needs nothing but
 * `subscribe`, so it works with any client that implements the contract.
 */
import type { QmpEventMessage, QmpEventSource } from './types.js';
import type { WaitForEventOptions } from './client.js';
import { QmpTimeoutError } from './errors.js';

export function nextEvent(
  source: QmpEventSource,
  name: string | undefined,
  options: WaitForEventOptions<QmpEventMessage> = {},
): Promise<QmpEventMessage> {
  const { filter, signal, timeout } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const finish = (error: unknown, message?: QmpEventMessage): void => {
      if (done) return;
      done = true;
      unsubscribe?.();
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (message !== undefined) resolve(message);
      else reject(error);
    };
    const onAbort = (): void => finish(signal!.reason);
    unsubscribe = source.subscribe(name, (message) => {
      if (!filter || filter(message)) finish(undefined, message);
    });
    if (done) return unsubscribe();
    if (timeout !== undefined) timer = setTimeout(() => finish(new QmpTimeoutError(`event ${name ?? '(any)'}`, timeout)), timeout);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
