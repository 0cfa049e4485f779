/**
 * `nextEvent(source, name, options)`: the next event of a name that passes `options.filter`, from
 * any `QmpEventSource`. The generated `waitForEvent` helpers call this. A `QmpClient` answers
 * with its own `waitForEvent` (which takes one buffered event, filter applied, and leaves the
 * others for later subscribers); any other source is served through `subscribe` alone.
 */
import type { QmpEventMessage, QmpEventSource } from './types.js';
import { QmpClient, type WaitForEventOptions } from './client.js';
import { QmpTimeoutError } from './errors.js';

export function nextEvent(
  source: QmpEventSource,
  name: string | undefined,
  options: WaitForEventOptions<QmpEventMessage> = {},
): Promise<QmpEventMessage> {
  if (source instanceof QmpClient) return (source as QmpClient).waitForEvent(name, options);
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
