/**
 * A real qemu-ga on this host, started only here, only as /work/shared/tools/host-qemu-ga
 * starts it: listening on a private unix socket, with a private state dir, and with every
 * command that could change the machine blocked (`--block-rpcs`, the tool's exact list,
 * file reading included). Tests send it read-only commands only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { accepts, tempDir } from './qemu.js';

/** The list of /work/shared/tools/host-qemu-ga: every command that could change the machine. */
export const BLOCKED_RPCS = [
  'guest-exec',
  'guest-exec-status',
  'guest-file-write',
  'guest-file-flush',
  'guest-file-seek',
  'guest-fsfreeze-freeze',
  'guest-fsfreeze-freeze-list',
  'guest-fsfreeze-thaw',
  'guest-fstrim',
  'guest-set-memory-blocks',
  'guest-set-time',
  'guest-set-user-password',
  'guest-set-vcpus',
  'guest-shutdown',
  'guest-suspend-disk',
  'guest-suspend-hybrid',
  'guest-suspend-ram',
  'guest-ssh-add-authorized-keys',
  'guest-ssh-remove-authorized-keys',
];

/** Blocked as well unless a test reads back a file it made itself (host-qemu-ga --allow-file-read). */
const FILE_READ_RPCS = ['guest-file-open', 'guest-file-read', 'guest-file-close'];

function findQemuGa(): string | undefined {
  for (const candidate of ['qemu-ga', '/usr/sbin/qemu-ga', '/usr/bin/qemu-ga']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

export const qemuGa = findQemuGa();

export function describeWithQemuGa(name: string, body: () => void): void {
  if (qemuGa !== undefined) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('needs qemu-ga, which CI must provide', () => {
        throw new Error('qemu-ga not found, and CI is set');
      });
    });
  } else describe.skip(`${name} (qemu-ga not installed)`, body);
}

export interface RunningAgent {
  socket: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `allowFileRead`: unblock guest-file-open/read/close, as host-qemu-ga's --allow-file-read does;
 * the test must open only files it created, read-only. `socket`: listen there instead of in the
 * agent's own directory.
 */
export async function startQemuGa(options: { allowFileRead?: boolean; socket?: string } = {}): Promise<RunningAgent> {
  const blocked = [...BLOCKED_RPCS, ...(options.allowFileRead ? [] : FILE_READ_RPCS)].join(',');
  const dir = tempDir('qmp-qga-');
  // `socket`: a path the test owns (an agent restarted on the same path); qemu-ga replaces a stale socket file.
  const socket = options.socket ?? join(dir, 'qga.sock');
  const state = join(dir, 'state');
  mkdirSync(state);
  const child = spawn(qemuGa!, ['-m', 'unix-listen', '-p', socket, '-t', state, '-b', blocked], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; !(existsSync(socket) && (await accepts(socket))); waited += 10) {
    if (child.exitCode !== null || waited > 10_000) {
      await stop();
      throw new Error('qemu-ga did not create its socket');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { socket, child, stop };
}
