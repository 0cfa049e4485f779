/**
 * The runtime's public types: the contract with the generated bindings (`CallOptions`,
 * `QmpEventMessage`, `QmpCaller`, `QmpEventSource`) and the typing of `QmpClient`'s surface.
 */

/** Per-call options. Without `timeout` or `signal` a call costs no timer and no listener. */
export interface CallOptions {
  /** Milliseconds before the call rejects with `QmpTimeoutError` (the command may still run). */
  timeout?: number;
  /** Rejects the call with `signal.reason` when aborted (the command may still run). */
  signal?: AbortSignal;
  /**
   * Send as `exec-oob` (out-of-band) instead of `execute`. Needs the `oob` capability, asked
   * for with `connect(target, { oob: true })` and offered by the server; only commands with
   * `allow-oob` in `query-qmp-schema` accept it.
   */
  oob?: boolean;
}

/**
 * An asynchronous event as QEMU sends it. `data` is `{}` when QEMU omits it (it does for events
 * without data, such as `STOP`), so handlers can always read `data`.
 */
export interface QmpEventMessage<N extends string = string, D = unknown> {
  event: N;
  data: D;
  /** When QEMU emitted the event; both members are -1 when QEMU could not read the clock. */
  timestamp: { seconds: number; microseconds: number };
}

/** The untyped core the generated functions call. */
export interface QmpCaller {
  request(name: string, args?: object, options?: CallOptions): Promise<unknown>;
}

/** The untyped core the generated event helpers call; returns an unsubscribe function. */
export interface QmpEventSource {
  subscribe(name: string | undefined, handler: (message: QmpEventMessage) => void): () => void;
}

/**
 * What a target's `Commands` map looks like (a type alias or an interface). Not a constraint on
 * `QmpClient`'s parameters: relating a map of hundreds of commands to it cost every consumer's
 * `tsc` about 10 ms; the generated maps are checked against it by the project's type tests, and
 * an entry of another shape types its command's arguments as `never`.
 */
export type CommandMapOf<C> = { [K in keyof C]: { args: object; returns: unknown } };

/** What a target's `Events` map looks like (a type alias or an interface); see `CommandMapOf`. */
export type EventMapOf<E> = { [K in keyof E]: object };

/** The arguments object of a `Commands` map entry (`never` for an entry of another shape). */
export type ArgsOf<Entry> = Entry extends { args: infer A extends object } ? A : never;

/** What a `Commands` map entry's command returns (`never` for an entry of another shape). */
export type ReturnsOf<Entry> = Entry extends { returns: infer R } ? R : never;

/** The commands of a client made without a target's map: any name, any arguments. */
export type UntypedCommands = Record<string, { args: Record<string, unknown>; returns: unknown }>;

/** The events of a client made without a target's map. */
export type UntypedEvents = Record<string, Record<string, unknown>>;

/**
 * `execute`'s parameters after the name: the arguments are optional exactly when the command's
 * arguments type has no required member.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is the point: "no required key"
export type ExecuteParameters<A> = {} extends A ? [args?: A, options?: CallOptions] : [args: A, options?: CallOptions];

/** Names of a map's entries that are strings (maps are keyed by command or event name). */
export type NameOf<M> = keyof M & string;

/** The event message type of event `K` of map `E` (a union when `K` is a union). */
export type EventMessageOf<E, K extends NameOf<E>> = { [N in K]: QmpEventMessage<N, E[N]> }[K];

/** Selects events for `events()` and `waitForEvent()`. */
export interface EventFilterOptions<M> {
  /** Keep only the messages for which this returns true. */
  filter?: (message: M) => boolean;
  /** Ends the subscription; pending `next()` / the wait reject with `signal.reason`. */
  signal?: AbortSignal;
}
