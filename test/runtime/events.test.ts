import { describe, expect, it } from 'vitest';
import { EventHub, HandlerSubscription } from '../../runtime/events.js';
import { EventStream } from '../../runtime/event-stream.js';
import { QmpEventOverflowError } from '../../runtime/errors.js';
import { backoff } from '../../runtime/reconnect.js';
import { Queue } from '../../runtime/queue.js';
import type { QmpEventMessage } from '../../runtime/types.js';

const message = (event: string, n = 0): QmpEventMessage => ({ event, data: { n }, timestamp: { seconds: n, microseconds: 0 } });

describe('EventHub', () => {
  it('hands unclaimed events to the first matching subscriber, in order, once', () => {
    const hub = new EventHub(10, () => {});
    hub.dispatch(message('A', 1));
    hub.dispatch(message('B', 2));
    hub.dispatch(message('A', 3));
    const got: number[] = [];
    hub.add({ names: new Set(['A']), filter: undefined, claim: Infinity, deliver: (m) => got.push((m.data as { n: number }).n) });
    expect(got).toEqual([1, 3]);
    expect(hub.buffered).toBe(1);
  });

  it('does not buffer an event some subscriber took', () => {
    const hub = new EventHub(10, () => {});
    hub.add({ names: undefined, filter: undefined, claim: Infinity, deliver: () => {} });
    hub.dispatch(message('A'));
    expect(hub.buffered).toBe(0);
  });

  it('a one-shot subscription takes one buffered event and is then done', () => {
    const hub = new EventHub(10, () => {});
    hub.dispatch(message('A', 1));
    hub.dispatch(message('A', 2));
    const got: number[] = [];
    hub.add({ names: new Set(['A']), filter: undefined, claim: 1, deliver: (m) => got.push((m.data as { n: number }).n) });
    hub.dispatch(message('A', 3));
    expect(got).toEqual([1]);
    expect(hub.buffered).toBe(2);
  });

  it('drops the oldest when full, reporting once per run of drops', () => {
    const reports: Error[] = [];
    const hub = new EventHub(2, (e) => reports.push(e));
    for (let n = 0; n < 5; n++) hub.dispatch(message('A', n));
    expect(hub.dropped).toBe(3);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeInstanceOf(QmpEventOverflowError);
    const got: number[] = [];
    hub.add({ names: undefined, filter: undefined, claim: Infinity, deliver: (m) => got.push((m.data as { n: number }).n) });
    expect(got).toEqual([3, 4]);
    for (let n = 0; n < 3; n++) hub.dispatch(message('B', n));
    expect(reports).toHaveLength(1); // taken by the subscriber now
  });

  it('with a buffer of 0 keeps nothing, still counting and reporting', () => {
    const reports: Error[] = [];
    const hub = new EventHub(0, (e) => reports.push(e));
    hub.dispatch(message('A'));
    hub.dispatch(message('A'));
    expect([hub.buffered, hub.dropped, reports.length]).toEqual([0, 2, 1]);
  });
});

describe('HandlerSubscription', () => {
  it('delivers buffered events after on() returns and before later live ones', async () => {
    const hub = new EventHub(10, () => {});
    hub.dispatch(message('A', 1));
    const got: number[] = [];
    new HandlerSubscription(
      new Set(['A']),
      (m) => got.push((m.data as { n: number }).n),
      false,
      hub,
      () => {},
    ).start();
    hub.dispatch(message('A', 2)); // arrives before the microtask
    expect(got).toEqual([]);
    await Promise.resolve();
    expect(got).toEqual([1, 2]);
  });
});

describe('EventStream', () => {
  it('yields queued events then ends quietly when the source ends normally', async () => {
    const hub = new EventHub(10, () => {});
    const stream = new EventStream(hub, undefined, undefined, undefined, 10);
    hub.dispatch(message('A', 1));
    hub.end(undefined);
    expect((await stream.next()).value?.event).toBe('A');
    expect((await stream.next()).done).toBe(true);
  });

  it('rejects a waiting next() with the error when the source ends abnormally', async () => {
    const hub = new EventHub(10, () => {});
    const stream = new EventStream(hub, undefined, undefined, undefined, 10);
    const next = stream.next();
    hub.end(new Error('lost'));
    await expect(next).rejects.toThrow('lost');
    expect((await stream.next()).done).toBe(true);
  });

  it('works with for await and break (unsubscribes)', async () => {
    const hub = new EventHub(10, () => {});
    const stream = new EventStream(hub, new Set(['A']), undefined, undefined, 10);
    for (let n = 0; n < 3; n++) hub.dispatch(message('A', n));
    const got: number[] = [];
    for await (const m of stream) {
      got.push((m.data as { n: number }).n);
      if (got.length === 2) break;
    }
    expect(got).toEqual([0, 1]);
    hub.dispatch(message('A', 9));
    expect(hub.buffered).toBe(1); // nobody listens any more
  });

  it('overflows at once when the buffered events it takes exceed its limit', async () => {
    const hub = new EventHub(10, () => {});
    for (let n = 0; n < 5; n++) hub.dispatch(message('A', n));
    const stream = new EventStream(hub, undefined, undefined, undefined, 3);
    for (let n = 0; n < 3; n++) expect((await stream.next()).value?.data).toEqual({ n });
    await expect(stream.next()).rejects.toBeInstanceOf(QmpEventOverflowError);
    hub.dispatch(message('A', 9));
    expect(hub.buffered).toBe(1); // it no longer listens
  });

  it('an already-aborted signal gives a stream that rejects at once', async () => {
    const hub = new EventHub(10, () => {});
    const stream = new EventStream(hub, undefined, undefined, AbortSignal.abort(new Error('no')), 10);
    await expect(stream.next()).rejects.toThrow('no');
  });
});

describe('Queue', () => {
  it('is FIFO across compactions', () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    q.push(5000);
    expect(q.length).toBe(2001);
    expect(q.extract((n) => n % 2 === 0, 2)).toEqual([3000, 3002]);
    expect(q.shift()).toBe(3001);
  });
});

describe('backoff', () => {
  it('doubles up to maxDelay, with half the delay random', () => {
    const low = backoff({ initialDelay: 100, maxDelay: 1000 }, () => 0);
    const high = backoff({ initialDelay: 100, maxDelay: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5, 6].map((a) => low.delay(a))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((a) => high.delay(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(low.maxAttempts).toBe(Infinity);
  });
});
