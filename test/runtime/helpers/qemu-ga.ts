/**
 * A real qemu-ga on this host, started only here, only as /work/shared/tools/host-qemu-ga
 * starts it: listening on a private unix socket, with a private state dir, and with every
 * command that could change the machine off. An agent that knows `--allow-rpcs` (8.1 and
 * later: 10.0.2, 11.1.3) gets the tool's allow-list of read-only commands, so that commands a
 * newer release adds stay off; Debian's 7.2 agent gets the tool's block-list (`--block-rpcs`).
 * A chroot'ed peer's agent (11.1.3) runs inside its root (`chroot ROOT /usr/sbin/qemu-ga …`),
 * given paths as it sees them, with /proc and /sys mounted read-only in the root in a mount
 * namespace of its own (`unshare --mount`: the mounts end with the agent, the host's tree never
 * sees them), so that it reads what the agents of the other peers read there. Tests send it
 * read-only commands only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { describeWithPeers, inside, tempDir, type Peer } from './qemu.js';

/** The block-list of /work/shared/tools/host-qemu-ga: every command that could change the machine. */
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

/**
 * The allow-list of /work/shared/tools/host-qemu-ga (mirrored here; keep the two equal): the
 * read-only commands, for agents that know --allow-rpcs.
 */
export const ALLOWED_RPCS = [
  'guest-sync',
  'guest-sync-delimited',
  'guest-ping',
  'guest-info',
  'guest-get-time',
  'guest-get-timezone',
  'guest-get-osinfo',
  'guest-get-host-name',
  'guest-get-users',
  'guest-get-vcpus',
  'guest-network-get-interfaces',
  'guest-network-get-route',
  'guest-get-fsinfo',
  'guest-fsfreeze-status',
  'guest-get-memory-blocks',
  'guest-get-memory-block-info',
  'guest-get-disks',
  'guest-get-devices',
  'guest-get-cpustats',
  'guest-get-diskstats',
  'guest-get-load',
];

/** Off unless a test reads back a file it made itself (host-qemu-ga --allow-file-read). */
const FILE_READ_RPCS = ['guest-file-open', 'guest-file-read', 'guest-file-close'];

const allowListKnown = new Map<string, boolean>();
/** Whether the peer's agent knows --allow-rpcs: its --help says so (as host-qemu-ga probes). */
export function knowsAllowRpcs(peer: Peer): boolean {
  let known = allowListKnown.get(peer.name);
  if (known === undefined) {
    const agent = peer.agent!;
    const help = spawnSync(agent.command, [...agent.prefix, '--help'], { encoding: 'utf8', env: { ...process.env, ...agent.env } });
    known = `${help.stdout}${help.stderr}`.includes('--allow-rpcs');
    allowListKnown.set(peer.name, known);
  }
  return known;
}

/** The policy arguments host-qemu-ga gives this peer's agent. */
export function agentPolicy(peer: Peer, allowFileRead = false): string[] {
  if (knowsAllowRpcs(peer)) return ['-a', [...ALLOWED_RPCS, ...(allowFileRead ? FILE_READ_RPCS : [])].join(',')];
  return ['-b', [...BLOCKED_RPCS, ...(allowFileRead ? [] : FILE_READ_RPCS)].join(',')];
}

/** One suite per peer whose qemu-ga is there, named by `name(peer)`; see describeWithPeers. */
export function describeWithAgents(name: (peer: Peer) => string, body: (peer: Peer) => void): void {
  describeWithPeers(name, body, { needs: 'agent' });
}

/**
 * `chroot ROOT agent args` in a private mount namespace that first mounts /proc and /sys in ROOT,
 * read-only. unshare (without --fork) execs sh, which execs chroot, which execs the agent: the
 * spawned pid stays the agent's own.
 */
function withProcAndSys(root: string, prefix: readonly string[], args: readonly string[]): [string, string[]] {
  const script = 'mount -t proc -o ro,nosuid,nodev,noexec proc "$0/proc" && mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$0/sys" && exec chroot "$0" "$@"';
  // prefix is [ROOT, binary]: chroot's own arguments
  return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, root, ...prefix.slice(1), ...args]];
}

export interface RunningAgent {
  /** The socket as this process reaches it. */
  socket: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `withoutProc`: a chroot'ed agent gets no /proc and /sys, as host-qemu-ga --chroot starts it.
 * `allowFileRead`: also allow guest-file-open/read/close, as host-qemu-ga's --allow-file-read
 * does; the test must open only files it created, read-only. `socket`: listen there (a path
 * the peer can reach: `tempDir(prefix, peer)`) instead of in the agent's own directory.
 */
export async function startQemuGa(peer: Peer, options: { allowFileRead?: boolean; socket?: string; withoutProc?: boolean } = {}): Promise<RunningAgent> {
  const agent = peer.agent!;
  const dir = tempDir('qmp-qga-', peer);
  // `socket`: a path the test owns (an agent restarted on the same path); qemu-ga replaces a stale socket file.
  const socket = options.socket ?? join(dir, 'qga.sock');
  const state = join(dir, 'state');
  mkdirSync(state);
  const args = ['-m', 'unix-listen', '-p', inside(peer, socket), '-t', inside(peer, state), ...agentPolicy(peer, options.allowFileRead)];
  const [command, argv] =
    peer.chroot !== undefined && !options.withoutProc ? withProcAndSys(peer.chroot, agent.prefix, args) : [agent.command, [...agent.prefix, ...args]];
  // spawned directly (chroot execs the agent): this pid is the agent's own, and only it is killed
  const child = spawn(command, argv, { stdio: 'ignore', env: { ...process.env, ...agent.env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when it answers a guest-ping: a bare connect may still be queued in its backlog, refusing the test's client (see greets).
  for (let waited = 0; !(existsSync(socket) && (await pings(socket))); waited += 10) {
    if (child.exitCode !== null || waited > 10_000) {
      await stop();
      throw new Error(`qemu-ga of ${peer.label} did not create its socket`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { socket, child, stop };
}

/**
 * Whether the agent at `path` answers a `guest-ping` (read-only, allowed by every policy here),
 * or keeps the connection unanswered for `timeout` ms, queued behind a client it serves.
 */
function pings(path: string, timeout = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      probe.destroy();
      resolve(ok);
    };
    let connected = false;
    // Connected but not answered: it is serving another client (one that reconnected first); it is up.
    const timer = setTimeout(() => done(connected), timeout);
    probe.once('connect', () => {
      connected = true;
      probe.write('{"execute":"guest-ping"}\n');
    });
    probe.once('data', () => done(true));
    probe.once('error', () => done(false));
    probe.once('close', () => done(false));
  });
}
