/**
 * QgaClient against each peer's real qemu-ga (7.2, 10.0.2, 11.1.3; read-only commands only; see
 * helpers/qemu-ga.ts) and, for what must never be sent to a real agent or what it will not do,
 * a scripted agent.
 */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ConnectionClosedError, QgaClient, QmpError, QmpProtocolError, QmpTimeoutError } from '../../runtime/index.js';
import { fakeServer, type FakePeer, type FakeServer } from './helpers/fake-server.js';
import { qgaTranscript } from './helpers/fixtures.js';
import { ALLOWED_RPCS, BLOCKED_RPCS, describeWithAgents, knowsAllowRpcs, startQemuGa, type RunningAgent } from './helpers/qemu-ga.js';
import { guestGetTime } from '../../generated/qga-7.2.0/index.js';
import { tempDir } from './helpers/qemu.js';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { projectRoot } from '../support/typecheck.js';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

describeWithAgents(
  (peer) => `QgaClient against qemu-ga ${peer.version}`,
  (peer) => {
    let agent: RunningAgent | undefined;
    afterEach(async () => {
      await agent?.stop();
      agent = undefined;
    });

    it('synchronises with guest-sync-delimited, then runs guest-ping, guest-info, guest-get-osinfo', async () => {
      agent = await startQemuGa(peer);
      await using client = await QgaClient.connect(agent.socket);
      expect(await client.execute('guest-ping')).toEqual({});
      const info = (await client.execute('guest-info')) as { version: string; supported_commands: { name: string; enabled: boolean }[] };
      expect(info.version).toBe(peer.version);
      const shutdown = info.supported_commands.find((c) => c.name === 'guest-shutdown');
      expect(shutdown?.enabled).toBe(false); // the launcher blocked it
      const os = (await client.execute('guest-get-osinfo')) as { 'kernel-release': string; machine: string };
      expect(os.machine).toBe('x86_64');
      expect(typeof os['kernel-release']).toBe('string');
      expect(await client.resync()).toEqual(expect.any(Number));
      expect(await client.request('guest-sync-delimited', { id: 4242 })).toBe(4242);
      expect(await client.execute('guest-ping')).toEqual({});
    });

    it('is locked down as host-qemu-ga locks it: an allow-list from 8.1 on (--allow-rpcs), the block-list before', async () => {
      // qemu-ga learnt --allow-rpcs in 8.1; Debian's 7.2 knows only --block-rpcs
      expect(knowsAllowRpcs(peer)).toBe(peer.major > 8 || (peer.major === 8 && peer.minor >= 1));
      agent = await startQemuGa(peer);
      await using client = await QgaClient.connect(agent.socket);
      const info = (await client.execute('guest-info')) as { supported_commands: { name: string; enabled: boolean }[] };
      const enabled = info.supported_commands.filter((c) => c.enabled).map((c) => c.name);
      const off = knowsAllowRpcs(peer) ? info.supported_commands.map((c) => c.name).filter((name) => !ALLOWED_RPCS.includes(name)) : BLOCKED_RPCS;
      expect(off.length).toBeGreaterThan(0);
      for (const name of off) expect(enabled, name).not.toContain(name);
      expect(enabled).toContain('guest-ping');
      expect(enabled).not.toContain('guest-file-open');
    });

    it('reconnects when the agent restarts: calls made while it is away wait, then run on the new agent', async () => {
      const dir = tempDir('qmp-qga-restart-', peer);
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const socket = join(dir, 'qga.sock');
      agent = await startQemuGa(peer, { socket });
      const states: string[] = [];
      await using client = await QgaClient.connect(socket, { reconnect: { initialDelay: 20, maxDelay: 100 } });
      client.onStateChange((change) => states.push(change.state));
      expect(await client.execute('guest-ping')).toEqual({});
      await agent.stop();
      agent = undefined;
      // Lost: calls made now wait for the new connection.
      const waiting = client.execute('guest-info') as Promise<{ version: string }>;
      await new Promise((r) => setTimeout(r, 200));
      expect(client.state).toBe('reconnecting');
      agent = await startQemuGa(peer, { socket });
      expect((await waiting).version).toBe(peer.version);
      expect(client.state).toBe('open');
      expect(states[0]).toBe('reconnecting');
      expect(states.at(-1)).toBe('open');
      expect(await client.execute('guest-ping')).toEqual({});
    });

    it('gives up after maxAttempts: queued calls reject with ConnectionClosedError, the client is closed', async () => {
      agent = await startQemuGa(peer);
      const client = await QgaClient.connect(agent.socket, { reconnect: { initialDelay: 10, maxAttempts: 2 } });
      await agent.stop();
      agent = undefined;
      const call = client.execute('guest-ping');
      await expect(call).rejects.toBeInstanceOf(ConnectionClosedError);
      await expect(call).rejects.toThrow(/gave up reconnecting to unix:.* after 2 attempts/);
      expect(client.state).toBe('closed');
      await expect(client.execute('guest-ping')).rejects.toBeInstanceOf(ConnectionClosedError);
    });

    it('rejects an unknown command with QmpError CommandNotFound', async () => {
      agent = await startQemuGa(peer);
      await using client = await QgaClient.connect(agent.socket);
      await expect(client.execute('guest-no-such-command')).rejects.toMatchObject({ name: 'QmpError', errorClass: 'CommandNotFound' });
    });

    it('synchronises past stale bytes a previous client left half-written', async () => {
      agent = await startQemuGa(peer);
      const { connect } = await import('node:net');
      const dirty = connect(agent.socket);
      await new Promise((r) => dirty.once('connect', r));
      dirty.write('{"execute": "guest-ping", "argu'); // and leaves
      dirty.destroy();
      // qemu-ga serves one client at a time: until it notices the hang-up, connect() gets EAGAIN
      let client: QgaClient | undefined;
      for (let attempt = 0; client === undefined; attempt++) {
        client = await QgaClient.connect(agent.socket).catch((error: unknown) => {
          if (attempt > 200 || !String((error as Error).message).includes('EAGAIN')) throw error;
          return new Promise<undefined>((r) => setTimeout(r, 10));
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- held only to be disposed of
      await using _ = client;
      expect(await client.execute('guest-ping')).toEqual({});
    });

    it("delivers guest-get-time's nanoseconds exactly to a bigint-mode client, typed as such", async () => {
      agent = await startQemuGa(peer);
      await using client = await QgaClient.connect(agent.socket, { integers: 'bigint' });
      const before = BigInt(Date.now()) * 1_000_000n;
      const time: number | bigint = await guestGetTime(client);
      // Nanoseconds since 1970 are beyond 2^53: a bigint, to the nanosecond.
      expect(typeof time).toBe('bigint');
      expect((time as bigint) - before).toBeGreaterThan(-5_000_000_000n);
      expect((time as bigint) - before).toBeLessThan(5_000_000_000n);
    });

    it('runs calls one at a time, in order', async () => {
      agent = await startQemuGa(peer);
      await using client = await QgaClient.connect(agent.socket);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? client.execute('guest-ping') : client.execute('guest-get-time'))));
      results.forEach((r, i) => (i % 2 ? expect(r).toEqual({}) : expect(r).toEqual(expect.any(Number))));
    });
  },
);

const hostQemuGa = join(projectRoot, '..', 'shared', 'tools', 'host-qemu-ga');

describe('the agent launcher (helpers/qemu-ga.ts)', () => {
  it.skipIf(!existsSync(hostQemuGa))('gives agents exactly the lists of /work/shared/tools/host-qemu-ga', () => {
    const tool = readFileSync(hostQemuGa, 'utf8');
    // `allowed=guest-sync,…` and `allowed=$allowed,…` lines, up to the file-read option
    const list = (variable: string) =>
      [...tool.matchAll(new RegExp(`^\\s*${variable}=(?:\\$${variable},)?([a-z,-]+)$`, 'gm'))].flatMap((m) => m[1]!.split(','));
    expect(list('allowed')).toEqual(ALLOWED_RPCS);
    expect(list('blocked')).toEqual(BLOCKED_RPCS);
  });
});

describe('QgaClient against a scripted agent', () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Answers like qemu-ga: the 0xFF's parse error, then 0xFF + the sync reply (from the recording). */
  async function answerSync(peer: FakePeer, stale = ''): Promise<void> {
    const request = await peer.request();
    expect(request.execute).toBe('guest-sync-delimited');
    const recorded = qgaTranscript[1]!.receive; // {"error": …stray…}\n ÿ{"return": 1234567}\n
    const id = (request.arguments as { id: number }).id;
    peer.send(
      stale +
        recorded
          .replace('1234567', String(id))
          .replace('}\n', `, "id": ${JSON.stringify(request.id)}}\n`)
          .replace(/^(\{"error".*?), "id": \d+\}\n/, '$1}\n'),
    );
  }

  async function connected(script: (peer: FakePeer) => Promise<void>) {
    server = await fakeServer(async (peer) => {
      await answerSync(peer, '{"return": {"stale": true}, "id": 1}\n{"retu');
      await script(peer);
    });
    return QgaClient.connect(server.path);
  }

  it("sends 0xFF before the sync and discards everything up to the agent's 0xFF", async () => {
    let peer!: FakePeer;
    const client = await connected(async (p) => {
      peer = p;
      const ping = await p.request();
      p.reply(ping);
    });
    expect(await client.execute('guest-ping')).toEqual({});
    expect(peer.received.charCodeAt(0)).toBe(0xff);
    await client.close();
  });

  it('retries the sync when the reply carries another id (a stale sync)', async () => {
    server = await fakeServer(async (peer) => {
      const first = await peer.request();
      peer.send(`\xff{"return": 1, "id": ${JSON.stringify(first.id)}}\n`); // not our id
      await answerSync(peer);
      peer.reply(await peer.request(), 'ok');
    });
    const client = await QgaClient.connect(server.path);
    expect(await client.execute('guest-ping')).toBe('ok');
    await client.close();
  });

  it('gives up connecting when the agent never answers the sync', async () => {
    server = await fakeServer(() => {});
    await expect(QgaClient.connect(server.path, { connectTimeout: 50 })).rejects.toBeInstanceOf(QmpTimeoutError);
  });

  it('resolves guest-shutdown (no reply on success) when the agent answers the guest-ping that follows', async () => {
    const seen: string[] = [];
    const client = await connected(async (p) => {
      const shutdown = await p.request();
      const ping = await p.request();
      seen.push(String(shutdown.execute), String(ping.execute));
      p.reply(ping); // the agent accepted guest-shutdown and said nothing
    });
    expect(await client.execute('guest-shutdown', { mode: 'powerdown' })).toBeUndefined();
    expect(seen).toEqual(['guest-shutdown', 'guest-ping']);
    await client.close();
  });

  it("rejects guest-shutdown with the agent's error, which comes before the ping's reply", async () => {
    const client = await connected(async (p) => {
      const shutdown = await p.request();
      const ping = await p.request();
      p.send(qgaTranscript[4]!.receive.replace('guest-no-such-command', 'guest-shutdown').replace('"id": 3', `"id": ${JSON.stringify(shutdown.id)}`));
      p.reply(ping);
    });
    await expect(client.execute('guest-shutdown')).rejects.toMatchObject({ name: 'QmpError', errorClass: 'CommandNotFound' });
    await client.close();
  });

  it('rejects guest-suspend-ram with ConnectionClosedError when the agent goes away before answering', async () => {
    const client = await connected(async (p) => {
      await p.request();
      await p.request();
      p.destroy();
    });
    await expect(client.execute('guest-suspend-ram')).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('resynchronises before the next call after a timeout, discarding the late reply', async () => {
    const sent: string[] = [];
    const client = await connected(async (p) => {
      const slow = await p.request();
      sent.push(String(slow.execute));
      await new Promise((r) => setTimeout(r, 60));
      p.reply(slow, 'late');
      await answerSync(p);
      const next = await p.request();
      sent.push(String(next.execute));
      p.reply(next, 'fresh');
    });
    await expect(client.execute('guest-get-time', {}, { timeout: 20 })).rejects.toBeInstanceOf(QmpTimeoutError);
    expect(await client.execute('guest-get-time')).toBe('fresh');
    expect(sent).toEqual(['guest-get-time', 'guest-get-time']);
    await client.close();
  });

  it('times out a call still queued behind one that hangs, without sending it', async () => {
    const sent: string[] = [];
    const client = await connected(async (p) => {
      for (;;) sent.push(String((await p.request()).execute));
    });
    const hanging = client.execute('guest-info');
    await expect(client.execute('guest-ping', {}, { timeout: 30 })).rejects.toBeInstanceOf(QmpTimeoutError);
    const controller = new AbortController();
    const aborted = client.execute('guest-ping', {}, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await client.close();
    await expect(hanging).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(sent).toEqual(['guest-info']);
  });

  it('reports a QMP greeting as a protocol violation (not a guest agent)', async () => {
    server = await fakeServer((peer) =>
      peer.send('\xff{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\r\n'),
    );
    await expect(QgaClient.connect(server.path)).rejects.toBeInstanceOf(QmpProtocolError);
  });

  it('with reconnect, a call in flight when the agent goes away rejects (its outcome is unknown); the next runs after a new sync', async () => {
    let connections = 0;
    server = await fakeServer(async (peer) => {
      connections++;
      await answerSync(peer);
      const request = await peer.request();
      if (connections === 1) return peer.destroy(); // gone, with the call unanswered
      peer.reply(request, 'second agent');
    });
    const client = await QgaClient.connect(server.path, { reconnect: { initialDelay: 5 } });
    const inFlight = client.execute('guest-get-time');
    const queued = client.execute('guest-get-time');
    await expect(inFlight).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(await queued).toBe('second agent');
    expect(server.peers[1]!.received.charCodeAt(0)).toBe(0xff); // synchronised before use
    await client.close();
    expect(client.state).toBe('closed');
  });

  it('refuses reconnect for a stream given as such (it cannot be opened again)', async () => {
    await expect(QgaClient.connect(new PassThrough(), { reconnect: true })).rejects.toThrow(/cannot reconnect to a stream given as such/);
  });

  it('has no out-of-band execution', async () => {
    const client = await connected(async () => {});
    await expect(client.execute('guest-ping', {}, { oob: true })).rejects.toBeInstanceOf(TypeError);
    await client.close();
    await expect(client.execute('guest-ping')).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(QmpError).toBeDefined();
  });
});
