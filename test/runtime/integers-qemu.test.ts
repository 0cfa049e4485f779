/**
 * Integers beyond 2^53 with each real QEMU peer (7.2, 10.0.2, 11.1.3): an iothread's `poll-max-ns` is an `int64` that
 * `qom-set` accepts at run time and `qom-get` reads back, so QEMU itself writes the wide integer.
 */
import { afterEach, expect, it } from 'vitest';
import { QmpClient, QmpPrecisionWarning } from '../../runtime/index.js';
import { describeWithPeers, killAll, startQemu } from './helpers/qemu.js';

afterEach(killAll);

const WIDE = 2n ** 53n + 1n; // the first integer a double cannot hold

describeWithPeers(
  (peer) => `integers beyond 2^53, against ${peer.label}`,
  (peer) => {
    it("sends a bigint argument exactly, and with integers: 'bigint' reads the exact value back", async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket, { integers: 'bigint' });
      await client.execute('object-add', { 'qom-type': 'iothread', id: 'io1' });
      await client.execute('qom-set', { path: '/objects/io1', property: 'poll-max-ns', value: WIDE });
      expect(await client.execute('qom-get', { path: '/objects/io1', property: 'poll-max-ns' })).toBe(WIDE);
      // a safe integer stays a number in the same mode
      await client.execute('qom-set', { path: '/objects/io1', property: 'poll-max-ns', value: 1000 });
      expect(await client.execute('qom-get', { path: '/objects/io1', property: 'poll-max-ns' })).toBe(1000);
    });

    it('by default delivers the rounded number and reports it, naming the command, id, path and digits', async () => {
      const qemu = await startQemu(peer);
      const warnings: Error[] = [];
      await using client = await QmpClient.connect(qemu.socket, { onError: (error) => warnings.push(error) });
      await client.execute('object-add', { 'qom-type': 'iothread', id: 'io1' });
      await client.execute('qom-set', { path: '/objects/io1', property: 'poll-max-ns', value: WIDE });
      expect(await client.execute('qom-list', { path: '/objects/io1' })).toBeInstanceOf(Array); // no warning for other replies
      expect(warnings).toEqual([]);
      expect(await client.execute('qom-get', { path: '/objects/io1', property: 'poll-max-ns' })).toBe(2 ** 53);
      expect(warnings).toHaveLength(1);
      const warning = warnings[0] as QmpPrecisionWarning;
      expect(warning).toBeInstanceOf(QmpPrecisionWarning);
      expect(warning.source).toBe('qom-get');
      expect(typeof warning.id).toBe('number');
      expect(warning.integers).toEqual([{ path: 'return', literal: String(WIDE) }]);
      expect(warning.message).toContain('9007199254740993');
    });
  },
);
