/**
 * The `qga` tool: read-only commands against each peer's real qemu-ga on this host (7.2, 10.0.2,
 * 11.1.3, started with every machine-changing command off), and what must never reach a real agent — fsfreeze freeze and
 * thaw, shutdown, reboot — against a scripted agent that answers as qemu-ga 7.2 does.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeWithAgents, startQemuGa, type RunningAgent } from '../runtime/helpers/qemu-ga.js';
import { fakeServer, type FakePeer, type FakeServer, type Request } from '../runtime/helpers/fake-server.js';
import { describeWithPeers, inside, killAll, startQemu, tempDir } from '../runtime/helpers/qemu.js';
import { runTool } from '../support/run-tool.js';

describeWithAgents(
  (peer) => `qga against a real, locked-down qemu-ga ${peer.version}`,
  (peer) => {
    let agent: RunningAgent;
    let readable: RunningAgent;
    let dir: string | undefined;
    beforeAll(async () => {
      // where the agent can open it: in its root for a chroot'ed one
      dir = tempDir('qga-tool-', peer);
      agent = await startQemuGa(peer);
      readable = await startQemuGa(peer, { allowFileRead: true });
    });
    afterAll(async () => {
      await agent?.stop();
      await readable?.stop();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('ping, info (blocked commands shown disabled), fsfreeze status, ifconfig', async () => {
      expect(await runTool('tools/qga.ts', ['--address', agent.socket, 'ping'])).toMatchObject({ code: 0, stdout: 'the agent answers\n' });
      const info = await runTool('tools/qga.ts', ['info'], { env: { QGA_CLIENT_ADDRESS: agent.socket } });
      expect(info.stdout).toMatch(new RegExp(`^version: ${peer.version.replaceAll('.', '\\.')}$`, 'm'));
      expect(info.stdout).toMatch(/^ {2}guest-shutdown \(disabled\)$/m);
      expect(info.stdout).toMatch(/^ {2}guest-ping$/m);
      const status = await runTool('tools/qga.ts', ['-a', agent.socket, 'fsfreeze', 'status']);
      expect(status).toMatchObject({ code: 0, stdout: 'thawed\n' });
      const ifconfig = await runTool('tools/qga.ts', ['-a', agent.socket, '--json', 'ifconfig']);
      const interfaces = JSON.parse(ifconfig.stdout) as { name: string; 'ip-addresses'?: { 'ip-address': string }[] }[];
      expect(interfaces.find((i) => i.name === 'lo')?.['ip-addresses']?.map((a) => a['ip-address'])).toContain('127.0.0.1');
    });

    it('cat prints a file the test made, byte for byte', async () => {
      const file = join(dir!, 'hello.bin');
      const bytes = Buffer.concat([Buffer.from('hello from the guest agent\n'), Buffer.alloc(70_000, 0x41)]);
      writeFileSync(file, bytes);
      const run = await runTool('tools/qga.ts', ['-a', readable.socket, 'cat', inside(peer, file)]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(bytes.toString('utf8'));
    });

    it('a blocked command is a clear error', async () => {
      const run = await runTool('tools/qga.ts', ['-a', agent.socket, 'cat', '/etc/hostname']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/guest-file-open.*(disabled|CommandNotFound|GenericError)/i);
    });
  },
);

/** A scripted qemu-ga: the 0xFF-delimited sync, then the tool's command as qemu-ga would answer it. */
describe('qga against a scripted agent (what must not reach a real one)', () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function agentAnswering(answer: (request: Request, peer: FakePeer) => void): Promise<{ path: string; requests: Request[] }> {
    const requests: Request[] = [];
    server = await fakeServer(async (peer) => {
      const sync = await peer.request();
      requests.push(sync);
      peer.send(`\xff{"return": ${JSON.stringify((sync.arguments as { id: number }).id)}, "id": ${JSON.stringify(sync.id)}}\n`);
      for (;;) {
        const request = await peer.request();
        requests.push(request);
        answer(request, peer);
      }
    });
    return { path: server.path, requests };
  }

  it('fsfreeze freeze and thaw report the number of file systems', async () => {
    const agent = await agentAnswering((r, peer) => peer.reply(r, 3));
    expect(await runTool('tools/qga.ts', ['-a', agent.path, 'fsfreeze', 'freeze'])).toMatchObject({ code: 0, stdout: '3 file systems frozen\n' });
    expect(agent.requests.map((r) => r.execute)).toEqual(['guest-sync-delimited', 'guest-fsfreeze-freeze']);
    const thaw = await agentAnswering((r, peer) => peer.reply(r, 3));
    expect(await runTool('tools/qga.ts', ['-a', thaw.path, 'fsfreeze', 'thaw'])).toMatchObject({ code: 0, stdout: '3 file systems thawed\n' });
  });

  it('shutdown and reboot send guest-shutdown with the mode; no reply on success, as qemu-ga', async () => {
    for (const [args, mode] of [
      [['shutdown'], 'powerdown'],
      [['shutdown', '--mode', 'halt'], 'halt'],
      [['reboot'], 'reboot'],
    ] as const) {
      // qemu-ga answers guest-shutdown only on failure; the client's guest-ping confirms it ran.
      const agent = await agentAnswering((r, peer) => {
        if (r.execute === 'guest-ping') peer.reply(r);
      });
      const run = await runTool('tools/qga.ts', ['-a', agent.path, ...args]);
      expect(run, args.join(' ')).toMatchObject({ code: 0, stdout: `${mode} requested\n` });
      const shutdown = agent.requests.find((r) => r.execute === 'guest-shutdown');
      expect(shutdown?.arguments).toEqual({ mode });
      await server!.close();
      server = undefined;
    }
  });

  it('gives up after the timeout when the agent does not answer', async () => {
    server = await fakeServer(() => {});
    const started = Date.now();
    const run = await runTool('tools/qga.ts', ['-a', server.path, '--timeout', '300', 'ping']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describeWithPeers(
  (peer) => `qga given a ${peer.label} monitor instead of an agent`,
  (peer) => {
    afterEach(killAll);

    it('says so at once, instead of timing out', async () => {
      const qemu = await startQemu(peer);
      const run = await runTool('tools/qga.ts', ['-a', qemu.socket, '--timeout', '20000', 'ping']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('this is a QEMU monitor, not a guest agent (connect with QmpClient)');
      expect(run.stderr).toContain('{\\"QMP\\": {\\"version\\"');
      expect(run.stderr).not.toContain('20000 ms');
    });
  },
);
