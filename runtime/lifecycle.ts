/**
 * The connection lifecycle `QmpClient` and `QgaClient` share: connect once, lose the connection,
 * reconnect with backoff (when asked to) or close for good; the state listeners; the callers
 * waiting for an open connection; closing by the user. What a connection is and how one is set
 * up (QMP's greeting and negotiation, the agent's synchronisation) stays with each client, given
 * here as `Connector.open`.
 *
 * States: `connecting` (the first attempt; never observed by a user, `connect` has not resolved)
 * → `open` ⇄ `reconnecting` → `closed`, for good, with a reason.
 */
import { withDeadline } from './deadline.js';
import { ConnectionClosedError } from './errors.js';
import { backoff, reconnectLoop, type Backoff, type ReconnectOptions } from './reconnect.js';
import type { Session } from './session.js';
import type { Settle } from './deadline.js';

/**
 * `open`: connected (and negotiated or synchronised). `reconnecting`: lost, trying again (calls
 * wait). `closed`: for good; see `closed`.
 */
export type ClientState = 'open' | 'reconnecting' | 'closed';

export interface StateChange {
  state: ClientState;
  /** Why the connection was lost or closed, for `reconnecting` and `closed`. */
  reason?: Error;
  /** For `reconnecting`: the attempt about to be made (1-based) and the delay before it. */
  attempt?: number;
  delay?: number;
}

/** A connection as the lifecycle knows it: its session, and whatever the client set up with it. */
export interface Connection {
  readonly session: Session;
}

/** What a client gives the lifecycle. */
export interface Connector<T extends Connection> {
  /** What is connected to (`unix:/run/qmp.sock`), for messages. */
  readonly describe: string;
  /** One attempt: opens and sets up a connection, ready for calls; rejects when it cannot. */
  open(): Promise<T>;
  /** A new connection is taken into use, before `open` is announced. */
  adopted(connection: T): void;
  /** Closed for good, after the lifecycle's own waiters are rejected: end what else waits. */
  ended(reason: ConnectionClosedError, byUser: boolean): void;
  /** Problems that fail nothing (a state listener threw). */
  report(error: Error): void;
}

export class Lifecycle<T extends Connection> {
  private connection: T | undefined;
  private phase: ClientState | 'connecting' = 'connecting';
  private why: ConnectionClosedError | undefined;
  private byUser = false;
  private readonly backoff: Backoff | undefined;
  private wakeReconnect: (() => void) | undefined;
  private readonly openWaiters = new Set<Settle<void>>();
  private readonly stateListeners = new Set<(change: StateChange) => void>();
  private resolveClosed!: (reason: ConnectionClosedError) => void;

  /** Resolves, with the reason, when the client has closed for good. Never rejects. */
  readonly closed: Promise<ConnectionClosedError>;

  constructor(
    private readonly connector: Connector<T>,
    reconnect: ReconnectOptions | boolean | undefined,
  ) {
    if (reconnect) this.backoff = backoff(reconnect === true ? {} : reconnect);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** The open connection; none while connecting, reconnecting or closed. */
  get current(): T | undefined {
    return this.connection;
  }

  get state(): ClientState | 'connecting' {
    return this.phase;
  }

  /** Why the client closed, once it has. */
  get reason(): ConnectionClosedError | undefined {
    return this.why;
  }

  /** True when the user closed the client (rather than the peer, or giving up). */
  get closedByUser(): boolean {
    return this.byUser;
  }

  onStateChange(listener: (change: StateChange) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The first connection. A failure closes the client for good, and rejects with its cause. */
  async start(): Promise<void> {
    try {
      this.adopt(await this.connector.open());
    } catch (error) {
      const describe = this.connector.describe;
      this.finish(
        error instanceof ConnectionClosedError
          ? error
          : new ConnectionClosedError(`connecting to ${describe} failed: ${(error as Error).message}`, { cause: error }),
      );
      throw error;
    }
  }

  /** A session ended: when it is the open connection's, reconnect if asked to, else close for good. */
  lost(session: Session, reason: ConnectionClosedError): void {
    if (this.connection?.session !== session || this.why !== undefined) return;
    this.connection = undefined;
    if (this.backoff === undefined) return this.finish(reason);
    void this.reconnect(reason);
  }

  /** Resolves when a connection is open (at once if one is), within `timeout` and `signal`. */
  whenOpen(what: string, timeout: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (this.why !== undefined) return Promise.reject(this.why);
    if (this.connection !== undefined) return Promise.resolve();
    return withDeadline<void>({ what, timeout, signal }, (waiter) => {
      this.openWaiters.add(waiter);
      return () => this.openWaiters.delete(waiter);
    });
  }

  /** Closes for good, by the user; resolves when the open connection's stream is closed. */
  async close(): Promise<ConnectionClosedError | undefined> {
    if (this.why !== undefined) return undefined;
    const reason = new ConnectionClosedError('closed by the client');
    this.byUser = true;
    const connection = this.connection;
    this.connection = undefined;
    this.finish(reason);
    if (connection !== undefined) await connection.session.close(reason);
    return reason;
  }

  // -------------------------------------------------------------------------------------------

  private adopt(connection: T): void {
    if (this.why !== undefined) return void connection.session.close(this.why); // closed meanwhile
    this.connection = connection;
    this.connector.adopted(connection);
    if (connection.session.closedReason !== undefined) this.lost(connection.session, connection.session.closedReason);
    if (this.connection !== connection) return; // lost already
    this.announce({ state: 'open' });
    for (const waiter of this.openWaiters) waiter.resolve();
    this.openWaiters.clear();
  }

  private async reconnect(reason: Error): Promise<void> {
    const loop = reconnectLoop(this.backoff!, reason, {
      describe: this.connector.describe,
      announce: (attempt, delay, lastError) => this.announce({ state: 'reconnecting', reason: lastError, attempt, delay }),
      open: () => this.connector.open(),
      closed: () => this.why !== undefined,
    });
    this.wakeReconnect = loop.wake;
    try {
      const connection = await loop.done;
      if (connection !== undefined) this.adopt(connection);
    } catch (error) {
      this.finish(error as ConnectionClosedError);
    } finally {
      this.wakeReconnect = undefined;
    }
  }

  private finish(reason: ConnectionClosedError): void {
    if (this.why !== undefined) return;
    this.why = reason;
    this.phase = 'closed';
    this.wakeReconnect?.();
    for (const waiter of this.openWaiters) waiter.reject(reason);
    this.openWaiters.clear();
    this.connector.ended(reason, this.byUser);
    this.announce({ state: 'closed', reason });
    this.resolveClosed(reason);
  }

  private announce(change: StateChange): void {
    this.phase = change.state;
    for (const listener of this.stateListeners) {
      try {
        listener(change);
      } catch (error) {
        this.connector.report(new Error(`a state listener threw: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      }
    }
  }
}
