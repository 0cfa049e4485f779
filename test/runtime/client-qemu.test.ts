/**
 * QmpClient against each real QEMU peer (7.2, 10.0.2, 11.1.3: `qemu-system-x86_64 -machine none`).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, onTestFinished } from 'vitest';
import { ConnectionClosedError, QgaClient, QmpClient, QmpError, QmpProtocolError, QmpTimeoutError, type QmpEventMessage } from '../../runtime/index.js';
import { describeWithPeers, inside, killAll, MINIMAL_ARGS, spawnQemu, startQemu, tempDir } from './helpers/qemu.js';

afterEach(killAll);

describeWithPeers(
  (peer) => `QmpClient against ${peer.label}`,
  (peer) => {
    it('reads the greeting and negotiates, enabling oob only when asked', async () => {
      const qemu = await startQemu(peer);
      await using plain = await QmpClient.connect(qemu.socket);
      expect(plain.greeting.version?.qemu.major).toBe(peer.major);
      expect(plain.greeting.version?.qemu.minor).toBe(peer.minor);
      expect(plain.greeting.capabilities).toContain('oob');
      expect(plain.greeting.legacyVersionString).toBe(false);
      expect(plain.capabilities).toEqual([]);
      expect(plain.state).toBe('open');
      await plain.close();
      await using oob = await QmpClient.connect(qemu.socket, { oob: true });
      expect(oob.capabilities).toEqual(['oob']);
    });

    it('runs query-version, which agrees with the greeting, and query-status', async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket);
      const version = (await client.execute('query-version')) as { qemu: unknown; package: string };
      expect(version.qemu).toEqual(client.greeting.version?.qemu);
      expect(version.package).toBe(client.greeting.version?.package);
      expect(await client.execute('query-status')).toMatchObject({ status: 'running', running: true });
    });

    it('rejects an unknown command with QmpError CommandNotFound, naming the command and id', async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket);
      const error = await client.execute('no-such-command').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QmpError);
      expect(error).toMatchObject({ errorClass: 'CommandNotFound', command: 'no-such-command', desc: 'The command no-such-command has not been found' });
      expect(typeof (error as QmpError).id).toBe('number');
    });

    it("rejects a bad argument with GenericError and QEMU's desc", async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket);
      await expect(client.execute('eject', { devise: 'x' })).rejects.toMatchObject({
        name: 'QmpError',
        errorClass: 'GenericError',
        desc: "Parameter 'devise' is unexpected",
      });
      // the connection is still good afterwards
      expect(await client.execute('query-status')).toMatchObject({ running: true });
    });

    it('answers 1 000 commands in flight, each matched to its own request', async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket);
      // HMP's `print` echoes its operand: each reply tells which request it answers.
      const calls = Array.from({ length: 1000 }, (_, i) =>
        i % 10 === 9
          ? client.execute(`no-such-command-${i}`).then(
              () => 'resolved',
              (e: QmpError) => e.desc,
            )
          : client.execute('human-monitor-command', { 'command-line': `print ${i + 1}` }),
      );
      expect(client.pendingCalls).toBe(1000);
      const replies = await Promise.all(calls);
      replies.forEach((reply, i) => {
        expect(reply).toBe(i % 10 === 9 ? `The command no-such-command-${i} has not been found` : `0x${(i + 1).toString(16)}\r\n`);
      });
      expect(client.pendingCalls).toBe(0);
    });

    it('delivers STOP and RESUME to on() handlers and to the async iterator, data {} when QEMU omits it', async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket);
      const seen: QmpEventMessage[] = [];
      client.on('STOP', (m) => seen.push(m)).on('RESUME', (m) => seen.push(m));
      const stream = client.events(['STOP', 'RESUME']);
      await client.execute('stop');
      await client.execute('cont');
      const first = await stream.next();
      const second = await stream.next();
      expect([first.value?.event, second.value?.event]).toEqual(['STOP', 'RESUME']);
      expect(first.value?.data).toEqual({});
      expect(first.value?.timestamp.seconds).toBeGreaterThan(0);
      expect(seen.map((m) => m.event)).toEqual(['STOP', 'RESUME']);
      await stream.return();
      expect(await stream.next()).toEqual({ value: undefined, done: true });
    });

    it('keeps STOP for a waitForEvent made after the stop command returned (the event precedes the reply)', async () => {
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket);
      await client.execute('stop');
      const stop = await client.waitForEvent('STOP', { timeout: 5000 });
      expect(stop.event).toBe('STOP');
      const resumed = client.waitForEvent('RESUME', { timeout: 5000 });
      await client.execute('cont');
      expect((await resumed).event).toBe('RESUME');
    });

    it('quit: resolves, delivers SHUTDOWN, then the client is closed and QEMU exits 0', async () => {
      const qemu = await startQemu(peer);
      const client = await QmpClient.connect(qemu.socket);
      const shutdown = client.waitForEvent('SHUTDOWN');
      expect(await client.execute('quit')).toEqual({});
      expect((await shutdown).data).toEqual({ guest: false, reason: 'host-qmp-quit' });
      expect(await client.closed).toBeInstanceOf(ConnectionClosedError);
      expect(client.state).toBe('closed');
      expect(await qemu.exited).toEqual({ code: 0, signal: null });
    });

    it('quit with calls behind it: every call QEMU never answered rejects with ConnectionClosedError promptly', async () => {
      const qemu = await startQemu(peer);
      const client = await QmpClient.connect(qemu.socket);
      const sent = performance.now();
      // quit's own reply may be lost too: the writes behind it can fail (EPIPE) once QEMU has
      // gone, and a failed write ends the socket before its unread bytes are read.
      const quit = client.execute('quit').catch((e: unknown) => e);
      const after = Array.from({ length: 200 }, () => client.execute('query-status'));
      const results = await Promise.allSettled(after);
      const elapsed = performance.now() - sent;
      const quitResult = await quit;
      console.log(
        `quit: ${after.length} calls behind it all rejected ${elapsed.toFixed(1)} ms after quit was sent (quit itself: ${quitResult instanceof Error ? quitResult.message : 'answered'})`,
      );
      if (quitResult instanceof Error) expect(quitResult).toBeInstanceOf(ConnectionClosedError);
      else expect(quitResult).toEqual({});
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionClosedError);
      }
      expect(elapsed).toBeLessThan(2000);
      expect(await qemu.exited).toEqual({ code: 0, signal: null });
    });

    it('when QEMU is killed with SIGKILL mid-flight, rejects every pending call at once', async () => {
      const qemu = await startQemu(peer);
      const client = await QmpClient.connect(qemu.socket);
      const stream = client.events();
      const calls = Array.from({ length: 1000 }, () => client.execute('query-status'));
      await calls[0];
      qemu.kill('SIGKILL');
      const killedAt = performance.now();
      const results = await Promise.allSettled(calls);
      const elapsed = performance.now() - killedAt;
      const rejected = results.filter((r) => r.status === 'rejected');
      console.log(`kill -9: ${rejected.length} of 1000 calls pending, all rejected ${elapsed.toFixed(1)} ms after the kill`);
      expect(rejected.length).toBeGreaterThan(0);
      for (const r of rejected) expect(r.reason).toBeInstanceOf(ConnectionClosedError);
      expect(elapsed).toBeLessThan(2000);
      await expect(stream.next()).rejects.toBeInstanceOf(ConnectionClosedError);
      await expect(client.execute('query-status')).rejects.toBeInstanceOf(ConnectionClosedError);
    });

    it('runs exec-oob when oob was negotiated, and refuses it locally otherwise', async () => {
      const qemu = await startQemu(peer);
      await using oob = await QmpClient.connect(qemu.socket, { oob: true });
      expect(await oob.execute('query-yank', {}, { oob: true })).toEqual(expect.any(Array));
      // After 7.2, migrate-pause may also interrupt a postcopy recovery that hangs (the
      // postcopy-recover state), and QEMU's refusal names both states.
      const pausable = peer.major >= 10 ? 'postcopy-active or postcopy-recover state' : 'postcopy-active state';
      await expect(oob.execute('migrate-pause', {}, { oob: true })).rejects.toMatchObject({
        errorClass: 'GenericError',
        desc: `migrate-pause is currently only supported during ${pausable}`,
      });
      // an in-band-only command sent out-of-band: QEMU says so
      await expect(oob.execute('query-status', {}, { oob: true })).rejects.toMatchObject({ desc: 'The command query-status does not support OOB' });
      await oob.close();
      await using plain = await QmpClient.connect(qemu.socket);
      await expect(plain.execute('query-yank', {}, { oob: true })).rejects.toThrow(/needs the oob capability/);
    });

    it("speaks over a spawned QEMU's stdio (-qmp stdio) given as a readable/writable pair", async () => {
      const child = spawnQemu(peer, [...MINIMAL_ARGS, '-qmp', 'stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        const client = await QmpClient.connect({ readable: child.stdout!, writable: child.stdin! });
        expect(client.greeting.version?.qemu.major).toBe(peer.major);
        expect(await client.execute('query-status')).toMatchObject({ status: 'running' });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await client.execute('quit');
        expect(await client.closed).toBeInstanceOf(ConnectionClosedError);
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('close() rejects pending calls with ConnectionClosedError and ends iterators quietly', async () => {
      const qemu = await startQemu(peer);
      const client = await QmpClient.connect(qemu.socket);
      const stream = client.events('STOP');
      const pending = Array.from({ length: 50 }, () => client.execute('query-status'));
      await client.close();
      const results = await Promise.allSettled(pending);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'ConnectionClosedError', message: 'query-status: closed by the client' });
      }
      expect(results.some((r) => r.status === 'rejected')).toBe(true);
      expect(await stream.next()).toEqual({ value: undefined, done: true });
      await expect(client.waitForEvent('STOP')).rejects.toBeInstanceOf(ConnectionClosedError);
      expect(client.state).toBe('closed');
    });
  },
);

describeWithPeers(
  (peer) => `odd monitors and careless use, against ${peer.label}`,
  (peer) => {
    it('talks to a pretty=on monitor (each message spread over lines): greeting, replies, errors, events', async () => {
      const dir = tempDir('qmp-pretty-', peer);
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const pretty = join(dir, 'pretty.sock');
      await startQemu(peer, MINIMAL_ARGS, [
        '-chardev',
        `socket,id=pm,path=${inside(peer, pretty)},server=on,wait=off`,
        '-mon',
        'chardev=pm,mode=control,pretty=on',
      ]);
      await using client = await QmpClient.connect(pretty);
      expect(client.greeting.version?.qemu.major).toBe(peer.major);
      expect(await client.execute('query-status')).toMatchObject({ status: 'running', running: true });
      await expect(client.execute('no-such-command')).rejects.toMatchObject({ errorClass: 'CommandNotFound' });
      const stopped = client.waitForEvent('STOP', { timeout: 5000 });
      await client.execute('stop');
      expect((await stopped).timestamp.seconds).toBeGreaterThan(0);
      const schema = (await client.execute('query-qmp-schema')) as unknown[];
      expect(schema.length).toBeGreaterThan(1000); // a reply of some 100 000 lines
    });

    it('says why a monitor that already serves a client stays silent, and serves the next client once it is free', async () => {
      const qemu = await startQemu(peer);
      const first = await QmpClient.connect(qemu.socket);
      const error = await QmpClient.connect(qemu.socket, { connectTimeout: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QmpTimeoutError);
      expect((error as Error).message).toContain('QEMU serves one client per monitor at a time: is another client connected?');
      await first.close();
      await using second = await QmpClient.connect(qemu.socket);
      expect(await second.execute('query-status')).toMatchObject({ running: true });
    });

    it('QgaClient given a QMP monitor says so at once', async () => {
      const qemu = await startQemu(peer);
      const error = await QgaClient.connect(qemu.socket, { connectTimeout: 60_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QmpProtocolError);
      expect((error as Error).message).toContain('this is a QEMU monitor, not a guest agent (connect with QmpClient)');
    });
  },
);
