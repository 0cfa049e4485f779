/**
 * Many connections in one process: an idle client holds no timer, so hundreds of them cost
 * nothing per tick. Against each peer (QEMU 7.2, 10.0.2, 11.1.3).
 */
import { afterEach, expect, it } from 'vitest';
import { QmpClient } from '../../runtime/index.js';
import { describeWithPeers, killAll, startQemu } from './helpers/qemu.js';

afterEach(killAll);

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describeWithPeers(
  (peer) => `idle clients of ${peer.label}`,
  (peer) => {
    it('hold no timer once connected and between calls without a timeout', async () => {
      const qemus = await Promise.all(Array.from({ length: 10 }, () => startQemu(peer)));
      const before = timers();
      const clients = await Promise.all(qemus.map((q) => QmpClient.connect(q.socket)));
      await Promise.all(clients.map((c) => c.execute('query-status')));
      clients.forEach((c) => c.on('STOP', () => {}));
      const streams = clients.map((c) => c.events('RESUME'));
      expect(timers()).toBe(before);
      // a call with a timeout has a timer while it is pending, none after
      await Promise.all(clients.map((c) => c.execute('query-status', {}, { timeout: 60_000 })));
      expect(timers()).toBe(before);
      await Promise.all(streams.map((s) => s.return()));
      await Promise.all(clients.map((c) => c.close()));
    });
  },
);
