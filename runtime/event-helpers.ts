/**
 * The event helpers every generated target exports, as generic types over a target's `Events` map
 * and the functions behind them: a target binds them to its map
 * (`export const onEvent = subscribeToEvent as OnEvent<Events>`), so the code lives here once.
 */
import type { WaitForEventOptions } from './client.js';
import type { ClientMode, EventMessageOf, NameOf, QmpEventMessage, QmpEventSource } from './types.js';

// Each is generic over the source's mode `M` (inferred from `client`), so that a bigint-mode
// client's events are typed as it delivers them.

/** Calls `handler` for every `name` event from now on; returns a function that unsubscribes. */
export type OnEvent<E> = <K extends NameOf<E>, M extends ClientMode>(
  client: QmpEventSource<M>,
  name: K,
  handler: (message: EventMessageOf<E, K, M>) => void,
) => () => void;

/** Calls `handler` for every event from now on; returns a function that unsubscribes. */
export type OnAnyEvent<E> = <M extends ClientMode>(client: QmpEventSource<M>, handler: (message: EventMessageOf<E, NameOf<E>, M>) => void) => () => void;

/** Resolves with the next `name` event that passes `options.filter`; see `nextEvent`. */
export type WaitForEvent<E> = <K extends NameOf<E>, M extends ClientMode>(
  client: QmpEventSource<M>,
  name: K,
  options?: WaitForEventOptions<EventMessageOf<E, K, M>>,
) => Promise<EventMessageOf<E, K, M>>;

/** What a target's `onEvent` is. */
export function subscribeToEvent(client: QmpEventSource, name: string, handler: (message: QmpEventMessage) => void): () => void {
  return client.subscribe(name, handler);
}

/** What a target's `onAnyEvent` is. */
export function subscribeToEvents(client: QmpEventSource, handler: (message: QmpEventMessage) => void): () => void {
  return client.subscribe(undefined, handler);
}
