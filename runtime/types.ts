/**
 * The runtime's public types: the contract with the generated bindings (`CallOptions`,
 * `QmpEventMessage`, `QmpCaller`, `QmpEventSource`, the wide integers and the client's integer
 * mode) and the typing of `QmpClient`'s surface.
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
  /**
   * A file descriptor of this process sent with the command (SCM_RIGHTS), for the commands that
   * take one: `getfd` (names it), `add-fd` (puts it in an fd set, for `/dev/fdset/N`). Only over
   * a unix socket (anything else rejects with a `TypeError`), and through the optional native
   * module `qmp-sdk-scm-rights`, imported at the first such call (`FdPassingUnavailableError`
   * without it). Keep it open until the call settles; QEMU holds a copy of its own after that.
   */
  fd?: number;
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

/**
 * Type-only: the key of the phantom member that carries a client's `ClientMode` in its type
 * (`QmpClient`, `QgaClient`, and `QmpCaller<M>` / `QmpEventSource<M>`), so that the generated
 * functions can read the mode off the client they are given. No value has it at run time.
 */
export declare const clientMode: unique symbol;

/**
 * What a client's type says of the options it was connected with that change what it delivers:
 * `integers` (see `ConnectOptions`). `{ integers: 'bigint' }` is bigint mode; anything else,
 * this type itself included (the default: a mode not stated), types integers as `number`, as
 * the bindings always did.
 */
export interface ClientMode {
  integers?: 'number' | 'bigint';
}

/**
 * The untyped core the generated functions call. `M` is the caller's mode: a `QmpClient` or
 * `QgaClient` carries it, so a generated function given one types its reply (and arguments) by
 * it. A plain `QmpCaller` (any mode) gets the number-mode types: a helper of your own that should
 * keep a bigint-mode client's types takes `client: QmpCaller<M>` with `M extends ClientMode`.
 */
export interface QmpCaller<M extends ClientMode = ClientMode> {
  request(name: string, args?: object, options?: CallOptions): Promise<unknown>;
  /** Type-only (never present): the mode `M`. */
  readonly [clientMode]?: M;
}

/**
 * The untyped core the generated event helpers call; returns an unsubscribe function. `M` as for
 * `QmpCaller`.
 */
export interface QmpEventSource<M extends ClientMode = ClientMode> {
  subscribe(name: string | undefined, handler: (message: QmpEventMessage) => void): () => void;
  /** Type-only (never present): the mode `M`. */
  readonly [clientMode]?: M;
}

declare const wideInteger: unique symbol;

/**
 * The brand of QAPI's integer types that can leave JavaScript's exact range (beyond
 * ±(2^53 − 1)). It is a `number` (arithmetic, comparisons and a plain `number` argument all
 * work), marked so that `WithBigints` can find it; the tag says which QAPI type it is.
 */
export type WideInteger<Q extends 'int64' | 'uint64' | 'size'> = number & { readonly [wideInteger]?: Q };

/** QAPI's `int64`, and its `int` (which QAPI defines as int64). */
export type Int64 = WideInteger<'int64'>;

/** QAPI's `uint64`. */
export type Uint64 = WideInteger<'uint64'>;

/** QAPI's `size` (a byte count; a uint64 on the wire). */
export type Size = WideInteger<'size'>;

/**
 * `T` as a client of mode `M` delivers it (a reply, an event's `data`) and accepts it (arguments):
 * `WithBigints<T>` in bigint mode, else `T` itself. The test is on `M` alone, so in number mode
 * nothing of `T` is looked at.
 */
export type InMode<T, M> = M extends { integers: 'bigint' } ? WithBigints<T> : T;

/**
 * `T` with every wide integer (`Int64`, `Uint64`, `Size`), at any depth, read as
 * `number | bigint`, and everything else as it is (`int32` and narrower stay `number`).
 *
 * Not `bigint` alone: in bigint mode the runtime turns into a `bigint` exactly the integer
 * literals beyond ±(2^53 − 1), whatever their field (it parses without the schema), so a uint64
 * that happens to be small (a disk of 1 GiB, a `count` of 3) still arrives as a `number`. Code
 * that needs one kind converts: `BigInt(value)`, or `Number(value)` where rounding is acceptable.
 * As arguments, both are sent exactly.
 */
export type WithBigints<T> = T extends number
  ? typeof wideInteger extends keyof T
    ? number | bigint
    : T
  : T extends object
    ? { [K in keyof T]: WithBigints<T[K]> }
    : T;

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

/**
 * The event message type of event `K` of map `E` (a union when `K` is a union), its `data` as a
 * client of mode `M` delivers it.
 */
export type EventMessageOf<E, K extends NameOf<E>, M = ClientMode> = { [N in K]: QmpEventMessage<N, InMode<E[N], M>> }[K];

/** Selects events for `events()` and `waitForEvent()`. */
export interface EventFilterOptions<M> {
  /** Keep only the messages for which this returns true. */
  filter?: (message: M) => boolean;
  /** Ends the subscription; pending `next()` / the wait reject with `signal.reason`. */
  signal?: AbortSignal;
}
