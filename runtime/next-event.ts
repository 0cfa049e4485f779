/**
 * `nextEvent(source, name, options)`: the next event of a name that passes `options.filter`, from
 * any `QmpEventSource`. The generated `waitForEvent` helpers call this. A `QmpClient` answers
 * with its own `waitForEvent` (which takes one buffered event, filter applied, and leaves the
 * others for later subscribers); any other source is served through `subscribe` alone.
 */
import type { QmpEventMessage, QmpEventSource } from './types.js';
import { QmpClient, type WaitForEventOptions } from './client.js';
import { withDeadline } from './deadline.js';

export function nextEvent(source: QmpEventSource, name: string | undefined, options: WaitForEventOptions<QmpEventMessage> = {}): Promise<QmpEventMessage> {
  if (source instanceof QmpClient) return (source as QmpClient).waitForEvent(name, options);
  const { filter, signal, timeout } = options;
  return withDeadline<QmpEventMessage>({ what: `event ${name ?? '(any)'}`, timeout, signal }, (settle) =>
    source.subscribe(name, (message) => {
      if (!filter || filter(message)) settle.resolve(message);
    }),
  );
}
