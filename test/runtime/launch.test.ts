/**
 * launchQemu / QemuProcess against each real QEMU peer (7.2, 10.0.2, 11.1.3): no QEMU outlives its owner.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, launchQemu as launch, QemuLaunchError, type LaunchOptions, type QemuProcess } from '../../runtime/index.js';
import { describeWithPeers, launchPeer, launchTmpdir, peerLaunchOptions, type Peer } from './helpers/qemu.js';

/** Every QEMU a test launched is shut down after it, whatever the test's outcome. */
const launched: QemuProcess[] = [];
afterEach(async () => {
  await Promise.all(launched.splice(0).map((vm) => vm.shutdown({ timeout: 1000 })));
});
/** The peer's QEMU, or with no peer, exactly what the options say. */
async function launchQemu(peer: Peer | undefined, options?: LaunchOptions): Promise<QemuProcess> {
  const vm = peer === undefined ? await launch(options) : await launchPeer(peer, options);
  launched.push(vm);
  return vm;
}

/** True while `pid` names a process that has not exited (a zombie counts as exited). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

async function gone(pid: number, within = 5000): Promise<boolean> {
  for (let waited = 0; waited < within; waited += 20) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !alive(pid);
}

describeWithPeers(
  (peer) => `launchQemu of ${peer.label}`,
  (peer) => {
    it('starts QEMU with a private monitor, connected and negotiated; shutdown() quits it', async () => {
      const vm = await launchQemu(peer);
      expect(vm.pid).toBeGreaterThan(0);
      expect(alive(vm.pid)).toBe(true);
      expect(vm.client.greeting.version?.qemu.major).toBe(peer.major);
      expect(await vm.client.execute('query-status')).toMatchObject({ running: true });
      const exit = await vm.shutdown();
      expect(exit).toEqual({ code: 0, signal: null }); // by quit
      expect(await vm.exited).toEqual(exit);
      expect(vm.running).toBe(false);
      expect(vm.client.state).toBe('closed');
      expect(await gone(vm.pid)).toBe(true);
    });

    it("takes the caller's arguments (a pc machine, stopped) and delivers its events", async () => {
      await using vm = await launchQemu(peer, { args: ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-S'] });
      expect(await vm.client.execute('query-status')).toMatchObject({ status: 'prelaunch', running: false });
      const resumed = vm.client.waitForEvent('RESUME', { timeout: 5000 });
      await vm.client.execute('cont');
      expect((await resumed).event).toBe('RESUME');
    });

    it('shuts QEMU down when the block that owns it throws (await using)', async () => {
      let pid = 0;
      await expect(
        (async () => {
          await using vm = await launchQemu(peer);
          pid = vm.pid;
          throw new Error('the caller failed');
        })(),
      ).rejects.toThrow('the caller failed');
      expect(pid).toBeGreaterThan(0);
      expect(await gone(pid)).toBe(true);
    });

    it('reports a QEMU that fails to start with its stderr', async () => {
      const error = (await launchQemu(peer, { args: ['-machine', 'no-such-machine', '-nodefaults', '-display', 'none'] }).catch(
        (e: unknown) => e,
      )) as QemuLaunchError;
      expect(error).toBeInstanceOf(QemuLaunchError);
      expect(error.exit?.code).toBe(1);
      expect(error.stderr).toContain('unsupported machine type');
      expect(error.message).toContain('unsupported machine type');
    });

    it('when QEMU crashes, rejects pending calls and exited says how it ended', async () => {
      const vm: QemuProcess = await launchQemu(peer);
      const pending = Array.from({ length: 100 }, () => vm.client.execute('query-status'));
      process.kill(vm.pid, 'SIGKILL');
      const results = await Promise.allSettled(pending);
      for (const r of results.filter((r) => r.status === 'rejected')) expect(r.reason).toBeInstanceOf(ConnectionClosedError);
      expect(await vm.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await vm.shutdown()).toEqual({ code: null, signal: 'SIGKILL' });
    });

    it('escalates to SIGTERM when quit does not end it', async () => {
      const vm = await launchQemu(peer);
      await vm.client.close(); // no monitor: quit cannot be sent
      expect(await vm.shutdown({ timeout: 2000 })).toEqual({ code: 0, signal: null }); // QEMU exits 0 on SIGTERM
      expect(vm.stderr).toContain('terminating on signal 15');
    });

    it('kills the QEMU it started when the Node process exits, or dies by SIGKILL', async () => {
      const script = `
      import { launchQemu } from ${JSON.stringify(fileURLToPath(new URL('../../runtime/index.ts', import.meta.url)))};
      const options = JSON.parse(process.argv[1]);
      const vm = await launchQemu({ ...options, env: { ...process.env, ...options.env } });
      process.stdout.write(vm.pid + '\\n');
      if (process.argv[2] === 'exit') process.exit(0);
      setInterval(() => {}, 1000);
    `;
      for (const how of ['exit', 'sigkill']) {
        // the peer's launch options as JSON; a chroot'ed peer's socket under its root (launchTmpdir)
        const tmp = launchTmpdir(peer);
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify({ ...peerLaunchOptions(peer), env: peer.qemu.env }), how],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, ...(tmp === undefined ? {} : { TMPDIR: tmp }) },
          },
        );
        let pid = 0;
        try {
          pid = Number(await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
          expect(pid).toBeGreaterThan(0);
          if (how === 'sigkill') {
            expect(alive(pid)).toBe(true);
            child.kill('SIGKILL');
          }
          expect(await gone(pid)).toBe(true);
        } finally {
          // whatever happened above, leave nothing behind
          child.kill('SIGKILL');
          if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
        }
      }
    });
  },
);

describe('launchQemu without a QEMU', () => {
  it('reports a missing binary', async () => {
    await expect(launchQemu(undefined, { binary: '/nonexistent/qemu', dieWithParent: false })).rejects.toBeInstanceOf(QemuLaunchError);
    await expect(launchQemu(undefined, { binary: '/nonexistent/qemu' })).rejects.toBeInstanceOf(QemuLaunchError);
  });
});

describe('QemuProcess.shutdown escalation (a stand-in that ignores quit and SIGTERM)', () => {
  it('ends with SIGKILL', async () => {
    const stubborn = fileURLToPath(new URL('./helpers/stubborn-qemu.mjs', import.meta.url));
    const vm = await launchQemu(undefined, { binary: process.execPath, args: [stubborn] });
    expect(vm.client.greeting.version?.qemu.major).toBe(7);
    expect(await vm.shutdown({ timeout: 200 })).toEqual({ code: null, signal: 'SIGKILL' });
    expect(vm.stderr).toContain('stubborn: ignoring SIGTERM');
  });
});
