/**
 * The deadline helper every pending operation of the runtime settles through: once, from the
 * first of its outcome, its timeout and its signal, leaving no timer and no abort listener.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Deadline, runWithDeadline, withDeadline, type Settle } from '../../runtime/deadline.js';
import { QmpTimeoutError } from '../../runtime/errors.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

/** Starts a deadline whose outcome the test decides; `undone` counts calls of its undo. */
function started<T>(options: { timeout?: number; signal?: AbortSignal; hint?: () => string | undefined } = {}) {
  let settle!: Settle<T>;
  let undone = 0;
  const promise = withDeadline<T>({ what: 'thing', ...options }, (s) => {
    settle = s;
    return () => undone++;
  });
  promise.catch(() => {});
  return { promise, settle: () => settle, undone: () => undone };
}

describe('withDeadline', () => {
  it('settles once: with the outcome, and later outcomes are refused', async () => {
    const controller = new AbortController();
    const before = timers();
    const { promise, settle, undone } = started<number>({ timeout: 60_000, signal: controller.signal });
    expect(timers()).toBe(before + 1);
    expect(listeners(controller.signal)).toBe(1);
    expect(settle().settled).toBe(false);
    expect(settle().resolve(1)).toBe(true);
    expect(settle().resolve(2)).toBe(false);
    expect(settle().reject(new Error('late'))).toBe(false);
    controller.abort(new Error('too late'));
    expect(await promise).toBe(1);
    expect(settle().settled).toBe(true);
    expect(undone()).toBe(1);
    expect(timers()).toBe(before);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('times out with a QmpTimeoutError naming what was waited for, its hint asked then; removes its listener', async () => {
    const controller = new AbortController();
    let hint = 'not yet';
    const { promise, settle, undone } = started({ timeout: 20, signal: controller.signal, hint: () => hint });
    hint = 'the likely cause';
    const error = (await promise.catch((e: unknown) => e)) as QmpTimeoutError;
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect(error).toMatchObject({ command: 'thing', timeout: 20, message: 'thing: no reply within 20 ms: the likely cause' });
    expect(settle().resolve(undefined)).toBe(false);
    expect(undone()).toBe(1);
    expect(listeners(controller.signal)).toBe(0);
  });

  it("rejects with the signal's reason when aborted, and clears its timer", async () => {
    const controller = new AbortController();
    const before = timers();
    const { promise, undone } = started({ timeout: 60_000, signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(undone()).toBe(1);
    expect(timers()).toBe(before);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('rejects at once with an already-aborted signal, never starting the operation or arming anything', async () => {
    const controller = new AbortController();
    const reason = new Error('before');
    controller.abort(reason);
    const before = timers();
    let startedAt = 0;
    const promise = withDeadline({ what: 'thing', timeout: 60_000, signal: controller.signal }, () => void startedAt++);
    expect(timers()).toBe(before);
    expect(listeners(controller.signal)).toBe(0);
    await expect(promise).rejects.toBe(reason);
    expect(startedAt).toBe(0);
  });

  it('arms no timer without a timeout (or with Infinity), and no listener without a signal', async () => {
    const before = timers();
    const a = started<string>();
    const b = started<string>({ timeout: Infinity });
    expect(timers()).toBe(before);
    a.settle().resolve('a');
    b.settle().reject(new Error('b'));
    expect(await a.promise).toBe('a');
    await expect(b.promise).rejects.toThrow('b');
  });

  it('undoes at once an operation that settled while starting (a buffered event taken on subscribing)', async () => {
    const before = timers();
    let undone = 0;
    const promise = withDeadline<string>({ what: 'thing', timeout: 60_000 }, (settle) => {
      settle.resolve('at once');
      return () => undone++;
    });
    expect(undone).toBe(1);
    expect(timers()).toBe(before);
    expect(await promise).toBe('at once');
  });
});

describe('runWithDeadline', () => {
  it("gives the operation's outcome, or the timeout's when it comes first (the late outcome ignored)", async () => {
    expect(await runWithDeadline({ what: 'op', timeout: 1000 }, () => Promise.resolve('done'))).toBe('done');
    await expect(runWithDeadline({ what: 'op' }, () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    let finish!: (value: string) => void;
    const slow = runWithDeadline({ what: 'op', timeout: 10 }, () => new Promise<string>((resolve) => (finish = resolve)));
    await expect(slow).rejects.toMatchObject({ name: 'QmpTimeoutError', message: 'op: no reply within 10 ms' });
    finish('late');
  });

  it('does not start the operation when the signal has already aborted', async () => {
    let ran = false;
    await expect(runWithDeadline({ what: 'op', signal: AbortSignal.abort(new Error('no')) }, () => Promise.resolve(void (ran = true)))).rejects.toThrow('no');
    expect(ran).toBe(false);
  });
});

describe('Deadline as a pending entry of its own', () => {
  class Entry extends Deadline<number> {
    cleaned = 0;
    constructor(readonly id: number) {
      super('cmd');
    }
    protected override cleanup(): void {
      this.cleaned++;
    }
    protected override expired(timeout: number): Error {
      return new QmpTimeoutError(this.what, timeout, this.id);
    }
  }

  it('is whole before it is armed, cleans up once, and its timeout carries what the subclass adds', async () => {
    const entry = new Entry(7);
    entry.arm(10, undefined);
    await expect(entry.promise).rejects.toMatchObject({ command: 'cmd', id: 7, timeout: 10 });
    expect(entry.resolve(1)).toBe(false);
    expect(entry.cleaned).toBe(1);
  });

  it('arming an entry already settled arms nothing', async () => {
    const entry = new Entry(1);
    entry.resolve(5);
    const before = timers();
    const controller = new AbortController();
    entry.arm(60_000, controller.signal);
    expect(timers()).toBe(before);
    expect(listeners(controller.signal)).toBe(0);
    expect(await entry.promise).toBe(5);
  });
});
