import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../runtime/errors.js';
import { Lifecycle, type Connection, type StateChange } from '../../runtime/lifecycle.js';
import type { ReconnectOptions } from '../../runtime/reconnect.js';
import { Session } from '../../runtime/session.js';

/** A connector whose connections are sessions over in-memory streams, opened on demand. */
function harness(reconnect: boolean | ReconnectOptions, failures = 0) {
  const sessions: Session[] = [];
  const ended: { reason: ConnectionClosedError; byUser: boolean }[] = [];
  const reported: Error[] = [];
  let toFail = failures;
  const open = (): Promise<Connection> => {
    if (toFail-- > 0) return Promise.reject(new Error('refused'));
    const session: Session = new Session(
      new PassThrough(),
      { event: () => {}, closed: (reason) => life.lost(session, reason), warning: () => {} },
      { maxMessageSize: 1 << 20 },
    );
    sessions.push(session);
    return Promise.resolve({ session });
  };
  const life: Lifecycle<Connection> = new Lifecycle<Connection>(
    { describe: 'test', open, adopted: () => {}, ended: (reason, byUser) => ended.push({ reason, byUser }), report: (error) => reported.push(error) },
    reconnect === true ? { initialDelay: 1, maxDelay: 1, maxAttempts: 3 } : reconnect || undefined,
  );
  const changes: StateChange['state'][] = [];
  life.onStateChange((change) => changes.push(change.state));
  const failNext = (n: number) => void (toFail = n);
  return { life, sessions, ended, reported, changes, failNext };
}

describe('the connection lifecycle both clients share', () => {
  it('opens, loses the connection, reconnects, and callers waiting for it go on', async () => {
    const { life, sessions, changes } = harness(true);
    await life.start();
    expect(life.state).toBe('open');
    await sessions[0]!.close(new ConnectionClosedError('peer hung up'));
    expect(life.current).toBeUndefined();
    await life.whenOpen('query-status', 1000, undefined);
    expect(life.current?.session).toBe(sessions[1]);
    expect(changes).toEqual(['open', 'reconnecting', 'open']);
  });

  it('without reconnect, a lost connection closes for good: waiters reject, ended() hears why, closed resolves', async () => {
    const { life, sessions, ended, changes } = harness(false);
    await life.start();
    await sessions[0]!.close(new ConnectionClosedError('peer hung up'));
    await expect(life.whenOpen('query-status', undefined, undefined)).rejects.toThrow('peer hung up');
    expect(ended).toEqual([{ reason: expect.objectContaining({ message: 'peer hung up' }), byUser: false }]);
    expect((await life.closed).message).toBe('peer hung up');
    expect(changes).toEqual(['open', 'closed']);
  });

  it('gives up after maxAttempts failed reconnections, naming the last failure', async () => {
    const { life, sessions, failNext, changes } = harness(true);
    await life.start();
    failNext(3);
    await sessions[0]!.close(new ConnectionClosedError('gone'));
    const reason = await life.closed;
    expect(reason.message).toBe('gave up reconnecting to test after 3 attempts');
    expect((reason.cause as Error).message).toBe('refused');
    expect(changes).toEqual(['open', 'reconnecting', 'reconnecting', 'reconnecting', 'closed']);
    expect(life.closedByUser).toBe(false);
  });

  it('closing by the user is once: the second close does nothing', async () => {
    const { life, ended } = harness(false);
    await life.start();
    expect(await life.close()).toBeInstanceOf(ConnectionClosedError);
    expect(await life.close()).toBeUndefined();
    expect(ended).toEqual([{ reason: expect.objectContaining({ message: 'closed by the client' }), byUser: true }]);
  });

  it('a first connection that fails closes the client and rethrows the cause', async () => {
    const { life } = harness(false, 1);
    await expect(life.start()).rejects.toThrow('refused');
    expect(life.state).toBe('closed');
    expect((await life.closed).message).toBe('connecting to test failed: refused');
  });

  it('a state listener that throws is reported and the others still hear the change', async () => {
    const { life, reported, changes } = harness(false);
    life.onStateChange(() => {
      throw new Error('listener bug');
    });
    await life.start();
    expect(changes).toEqual(['open']);
    expect(reported.map((e) => e.message)).toEqual(['a state listener threw: listener bug']);
  });

  it('waiting for an open connection honours its timeout while reconnecting', async () => {
    const { life, sessions, failNext } = harness({ initialDelay: 1, maxDelay: 1 });
    await life.start();
    failNext(Infinity);
    await sessions[0]!.close(new ConnectionClosedError('gone'));
    await expect(life.whenOpen('query-status', 5, undefined)).rejects.toMatchObject({ name: 'QmpTimeoutError', message: 'query-status: no reply within 5 ms' });
    await life.close();
  });
});
