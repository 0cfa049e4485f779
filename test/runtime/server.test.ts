/**
 * QmpServer: each QEMU peer (7.2, 10.0.2, 11.1.3) connects to us (`-chardev socket,…,server=off[,reconnect=N]`).
 */
import { type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ConnectionClosedError, QmpServer, QmpTimeoutError, type QmpClient } from '../../runtime/index.js';
import { describeWithPeers, inside, MINIMAL_ARGS, spawnQemu, tempDir, type Peer } from './helpers/qemu.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Where we listen, and the peer can connect (inside its root for a chroot). */
function socketPath(peer: Peer): string {
  const dir = tempDir('qmp-server-', peer);
  dirs.push(dir);
  return join(dir, 'mon.sock');
}

/** QEMU with its monitor as a socket client of `chardev` (e.g. `path=P` or `host=…,port=…`). */
function qemuConnectingTo(peer: Peer, chardev: string): ChildProcess {
  const child = spawnQemu(peer, [...MINIMAL_ARGS, '-chardev', `socket,id=mon0,${chardev},server=off`, '-mon', 'chardev=mon0,mode=control'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

describeWithPeers(
  (peer) => `QmpServer with ${peer.label} connecting`,
  (peer) => {
    // A client chardev's retry delay: `reconnect=SECONDS` until 9.2 brought `reconnect-ms`
    // and deprecated it; 11.1 has removed `reconnect` ("Invalid parameter 'reconnect'").
    const accepts = { reconnect: peer.major < 11, 'reconnect-ms': peer.major >= 10 };
    const reconnectOption = accepts.reconnect ? 'reconnect=1' : 'reconnect-ms=1000';

    for (const [option, accepted] of Object.entries(accepts)) {
      it(`${accepted ? 'takes' : 'refuses'} the chardev option ${option}`, async () => {
        const path = socketPath(peer);
        await using server = await QmpServer.listen(path);
        const child = qemuConnectingTo(peer, `path=${inside(peer, path)},${option}=${option === 'reconnect' ? 1 : 1000}`);
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
        // 'close': exited, and stderr read to its end
        const closed = new Promise<string>((resolve) => child.once('close', (code) => resolve(`exited ${code}`)));
        const connected = server.accept({ timeout: 10_000 }).then(
          (client) => client.close().then(() => 'connected'),
          (error: Error) => `not connected: ${error.message}`,
        );
        const outcome = await Promise.race([connected, closed]);
        if (accepted) expect(outcome).toBe('connected');
        else {
          expect(outcome).toBe('exited 1');
          expect(stderr).toContain(`Invalid parameter '${option}'`);
        }
      });
    }

    it('accepts a QEMU on a unix socket, negotiated and typed like any client', async () => {
      const path = socketPath(peer);
      await using server = await QmpServer.listen(path);
      expect(server.address).toBe(path);
      qemuConnectingTo(peer, `path=${inside(peer, path)}`);
      const client = await server.accept({ timeout: 10_000 });
      expect(client.greeting.version?.qemu.major).toBe(peer.major);
      expect(await client.execute('query-status')).toMatchObject({ running: true });
      await client.close();
    });

    it('accepts on TCP (port 0 picks a free port)', async () => {
      await using server = await QmpServer.listen({ host: '127.0.0.1', port: 0 });
      const { port } = server.address as { port: number };
      qemuConnectingTo(peer, `host=127.0.0.1,port=${port}`);
      await using client = await server.accept({ timeout: 10_000 });
      expect(await client.execute('query-version')).toMatchObject({ qemu: { major: peer.major } });
    });

    it('yields one client per QEMU with for await, a QEMU that reconnects included', async () => {
      const path = socketPath(peer);
      const server = await QmpServer.listen(path);
      const a = spawnQemu(
        peer,
        [...MINIMAL_ARGS, '-chardev', `socket,id=mon0,path=${inside(peer, path)},server=off,${reconnectOption}`, '-mon', 'chardev=mon0,mode=control'],
        { stdio: 'ignore' },
      );
      children.push(a);
      qemuConnectingTo(peer, `path=${inside(peer, path)}`);
      const seen: QmpClient[] = [];
      for await (const client of server) {
        seen.push(client);
        if (seen.length === 2) {
          // drop both connections: only the reconnect=1 QEMU comes back (after ~1 s)
          await Promise.all(seen.map((c) => c.close()));
        }
        if (seen.length === 3) break;
      }
      expect(seen).toHaveLength(3);
      expect(await seen[2]!.execute('query-status')).toMatchObject({ running: true });
      await seen[2]!.close();
      await server.close();
    });

    it('accept() times out, aborts, and rejects once the server is closed; iteration ends', async () => {
      const server = await QmpServer.listen(socketPath(peer));
      await expect(server.accept({ timeout: 20 })).rejects.toBeInstanceOf(QmpTimeoutError);
      const controller = new AbortController();
      const aborted = server.accept({ signal: controller.signal });
      controller.abort(new Error('no more'));
      await expect(aborted).rejects.toThrow('no more');
      const waiting = server.accept();
      const iterating = (async () => {
        const got = [];
        for await (const client of server) got.push(client);
        return got;
      })();
      await server.close();
      await expect(waiting).rejects.toBeInstanceOf(ConnectionClosedError);
      expect(await iterating).toEqual([]);
    });

    it('reports a peer that is not QMP and keeps serving', async () => {
      const reported: Error[] = [];
      const path = socketPath(peer);
      await using server = await QmpServer.listen(path, { onError: (e) => reported.push(e), connectTimeout: 2000 });
      const junk = connect(path);
      junk.on('error', () => {});
      junk.write('hello\r\n');
      qemuConnectingTo(peer, `path=${inside(peer, path)}`);
      await using client = await server.accept({ timeout: 10_000 });
      expect(client.greeting.version?.qemu.major).toBe(peer.major);
      await new Promise((r) => setTimeout(r, 50));
      expect(reported.map((e) => e.message)).toEqual([expect.stringMatching(/^QmpServer: a connection failed negotiation: invalid JSON from the server/)]);
      expect(reported[0]!.cause).toMatchObject({ name: 'QmpProtocolError', offset: 0, excerpt: 'hello' });
    });
  },
);
