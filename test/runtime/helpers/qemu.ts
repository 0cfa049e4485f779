/**
 * Real QEMUs for integration tests: each in a fresh temp dir with its QMP socket, killed
 * after each test (`afterEach(killAll)`) and, as a backstop, when the test process exits.
 * Without `qemu-system-x86_64` the suites skip, except under CI, where they fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'vitest';

export const QEMU = 'qemu-system-x86_64';
export const haveQemu = spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
export const MINIMAL_ARGS = ['-machine', 'none', '-nodefaults', '-display', 'none'];

/** `describe` for suites that need a real QEMU. */
export function describeWithQemu(name: string, body: () => void): void {
  if (haveQemu) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it(`needs ${QEMU}, which CI must provide`, () => {
        throw new Error(`${QEMU} not found, and CI is set: integration tests must run on CI`);
      });
    });
  } else describe.skip(`${name} (${QEMU} not installed)`, body);
}

export interface RunningQemu {
  child: ChildProcess;
  pid: number;
  /** The QMP unix socket. */
  socket: string;
  dir: string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<RunningQemu>();
process.on('exit', () => {
  for (const q of running) q.child.kill('SIGKILL');
});

export function tempDir(prefix = 'qmp-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts QEMU with a QMP server socket (`-qmp unix:…,server=on,wait=off`) and waits for the socket. */
export async function startQemu(args: readonly string[] = MINIMAL_ARGS, extra: readonly string[] = [], at?: string): Promise<RunningQemu> {
  const dir = tempDir('qmp-qemu-');
  const socket = at ?? join(dir, 'qmp.sock');
  const child = spawn(QEMU, [...args, ...extra, '-qmp', `unix:${socket},server=on,wait=off`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const q: RunningQemu = {
    child,
    pid: child.pid!,
    socket,
    dir,
    stderr: () => stderr,
    exited,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
  };
  running.add(q);
  void exited.then(() => {
    running.delete(q);
    rmSync(dir, { recursive: true, force: true });
  });
  let gone = false;
  void exited.then(() => (gone = true));
  // The socket file appears at bind(), before QEMU listens: wait until a connection is accepted.
  for (let waited = 0; !(existsSync(socket) && (await accepts(socket))); waited += 10) {
    if (gone || waited > 10_000) {
      q.kill();
      throw new Error(`QEMU did not open its QMP socket: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return q;
}

export function accepts(path: string | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = typeof path === 'string' ? connect(path) : connect(path.port, path.host);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Kills every QEMU started here that is still running, and waits for them to exit. */
export async function killAll(): Promise<void> {
  const all = [...running];
  for (const q of all) q.kill('SIGKILL');
  await Promise.all(all.map((q) => q.exited));
}
