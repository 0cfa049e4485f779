/**
 * Real QEMUs for integration tests: each in a fresh temp dir with its QMP socket, killed
 * after each test (`afterEach(killAll)`) and, as a backstop, when the test process exits.
 * Each live suite runs once per peer (QEMU 7.2, 10.0.2, 11.1.3: test/support/peers.ts) through
 * `describeWithPeers`; a peer that is not there skips its suites, except under CI, where they fail.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { DEFAULT_QEMU_ARGS, launchQemu, type LaunchOptions, type QemuProcess } from '../../../runtime/index.js';
import { findPeers, inside, PEER_NAMES, peerTempDir, PINS, type Peer, type PeerName } from '../../support/peers.js';

export { inside, type Peer } from '../../support/peers.js';

export const QEMU = 'qemu-system-x86_64';
export const haveQemu = spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
export const MINIMAL_ARGS = ['-machine', 'none', '-nodefaults', '-display', 'none'];

/** `describe` for suites that need the system's QEMU (7.2) only. */
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

/** What stands in for a peer that is not there, so that its skipped suite still lists its tests. */
function absent(name: PeerName): Peer {
  const version = PINS[name].qemu;
  const [major, minor] = version.split('.').map(Number);
  const none = { command: 'false', prefix: [], env: {} };
  return { name, version, major: major!, minor: minor!, label: `QEMU ${version}`, qemu: none, agent: none, chroot: undefined, manifest: undefined };
}

/**
 * Runs `body` as one suite per peer, named by `name(peer)` ("QmpClient against QEMU 10.0.2").
 * A missing peer's suite is skipped with the reason in its name; under CI it fails instead.
 * `needs: 'agent'`: the peer's qemu-ga must be there too.
 */
export function describeWithPeers(name: (peer: Peer) => string, body: (peer: Peer) => void, options: { needs?: 'agent' } = {}): void {
  const { available, missing } = findPeers();
  for (const peerName of PEER_NAMES) {
    const peer = available.find((p) => p.name === peerName);
    const reason = peer === undefined ? missing.find((m) => m.name === peerName)!.reason : options.needs === 'agent' ? peer.agentMissing : undefined;
    if (peer !== undefined && reason === undefined) {
      describe(name(peer), () => body(peer));
      continue;
    }
    const stand = peer ?? absent(peerName);
    if (process.env.CI) {
      describe(name(stand), () => {
        it(`needs ${stand.label}, which CI must provide`, () => {
          throw new Error(`${stand.label}: ${reason}; CI must prepare every peer (scripts/prepare-peers.ts)`);
        });
      });
    } else describe.skip(`${name(stand)} (skipped: ${reason})`, () => body(stand));
  }
}

/** Spawns the peer's qemu-system-x86_64 with `args` (its own -L and environment first). */
export function spawnQemu(peer: Peer, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(peer.qemu.command, [...peer.qemu.prefix, ...args], { ...options, env: { ...process.env, ...options.env, ...peer.qemu.env } });
}

/** launchQemu's options for the peer's QEMU: its binary, its own arguments first, its environment. */
export function peerLaunchOptions(peer: Peer, options: LaunchOptions = {}): LaunchOptions {
  return {
    ...options,
    binary: peer.qemu.command,
    args: [...peer.qemu.prefix, ...(options.args ?? DEFAULT_QEMU_ARGS)],
    env: { ...process.env, ...options.env, ...peer.qemu.env },
  };
}

/**
 * The TMPDIR launchQemu needs for the peer: for a chroot'ed one, its private socket must be
 * reachable inside the root, and launchQemu makes it under `tmpdir()` (the root's own path
 * leads back to the root inside it, so the host path works there too).
 */
export function launchTmpdir(peer: Peer): string | undefined {
  return peer.chroot === undefined ? undefined : `${peer.chroot}/tmp`;
}

/**
 * launchQemu running the peer's QEMU. launchQemu makes its socket directory synchronously at
 * the call, so TMPDIR is changed for that call only.
 */
export function launchPeer<C, E>(peer: Peer, options: LaunchOptions = {}): Promise<QemuProcess<C, E>> {
  const tmp = launchTmpdir(peer);
  if (tmp === undefined) return launchQemu<C, E>(peerLaunchOptions(peer, options));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return launchQemu<C, E>(peerLaunchOptions(peer, options));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
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

/** A fresh temp dir; with a peer, one that peer can reach (inside its root for a chroot). */
export function tempDir(prefix = 'qmp-test-', peer?: Peer): string {
  return peerTempDir(peer, prefix);
}

let systemPeer: Peer | undefined;
/** The system's QEMU (7.2), for suites that are not parametrised over peers. */
function defaultPeer(): Peer {
  systemPeer ??= findPeers().available.find((p) => p.name === '7.2') ?? { ...absent('7.2'), qemu: { command: QEMU, prefix: [], env: {} } };
  return systemPeer;
}

/**
 * Starts a peer's QEMU (the system's 7.2 when none is given) with a QMP server socket
 * (`-qmp unix:…,server=on,wait=off`) and waits for the socket. `at` and paths in `extra` are
 * host paths the peer can reach (`tempDir(prefix, peer)`); `inside()` gives the peer's view.
 */
export async function startQemu(args?: readonly string[], extra?: readonly string[], at?: string): Promise<RunningQemu>;
export async function startQemu(peer: Peer, args?: readonly string[], extra?: readonly string[], at?: string): Promise<RunningQemu>;
export async function startQemu(a?: Peer | readonly string[], b?: readonly string[], c?: readonly string[] | string, d?: string): Promise<RunningQemu> {
  const given = a !== undefined && !Array.isArray(a);
  const peer = given ? (a as Peer) : defaultPeer();
  const [args = MINIMAL_ARGS, extra = [], at] = given
    ? [b, c as readonly string[] | undefined, d]
    : [a as readonly string[] | undefined, b, c as string | undefined];
  const dir = tempDir('qmp-qemu-', peer);
  const socket = at ?? join(dir, 'qmp.sock');
  const child = spawnQemu(peer, [...args, ...extra, '-qmp', `unix:${inside(peer, socket)},server=on,wait=off`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
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
  // The socket file appears at bind(), before QEMU listens: wait until QEMU greets a connection.
  for (let waited = 0; !(existsSync(socket) && (await greets(socket))); waited += 10) {
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

/**
 * Whether a QMP server accepts a connection and greets it. Waiting for the greeting, not only
 * for connect(), matters: a unix connect succeeds once queued in the listen backlog (QEMU's
 * holds one), and while a probe is still queued there the next connect is refused (EAGAIN in 9
 * of 15 fresh QEMU 7.2s tried here; ECONNREFUSED once in CI). Once greeted, it has left it. A
 * connection left unanswered for `timeout` ms is queued behind a client QEMU serves: it is up.
 */
export function greets(path: string, timeout = 2000): Promise<boolean> {
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
    probe.once('connect', () => (connected = true));
    probe.once('data', () => done(true));
    probe.once('error', () => done(false));
    probe.once('close', () => done(false));
  });
}

/** Kills every QEMU started here that is still running, and waits for them to exit. */
export async function killAll(): Promise<void> {
  const all = [...running];
  for (const q of all) q.kill('SIGKILL');
  await Promise.all(all.map((q) => q.exited));
}
