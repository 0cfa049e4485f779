/**
 * `launchQemu()`: starts QEMU with a QMP monitor on a private socket and returns it connected.
 *
 *   await using vm = await launchQemu({ args: ['-M', 'pc', '-accel', 'tcg', '-S'] });
 *   await vm.client.execute('cont');
 *
 * The monitor: this process listens on a unix socket in a fresh private directory (mode
 * 0700) and QEMU connects to it (`-chardev socket,…,server=off -mon …,mode=control`), so
 * there is no polling for a socket file and no race with QEMU's start; the directory is
 * removed once QEMU has connected.
 *
 * No QEMU outlives its owner:
 * - `shutdown()` sends `quit`, then SIGTERM, then SIGKILL, each after `timeout` ms;
 * - `await using` (or `[Symbol.asyncDispose]`) runs `shutdown()` when the block exits, by
 *   return or by throw;
 * - QEMU crashing or killed: the client's pending calls reject with `ConnectionClosedError`
 *   and `exited` says how it ended;
 * - this Node process exiting (`process.exit`, end of work, uncaught exception) kills every
 *   QEMU still running from an `exit` handler; and on Linux QEMU is started through util-linux
 *   `setpriv --pdeathsig SIGKILL`, so the kernel kills it even when this process dies from a
 *   signal (SIGKILL, SIGINT's default action), which runs no handler. Without `setpriv` only the
 *   `exit` handler remains (see `dieWithParent`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ConnectionClosedError, QmpTimeoutError } from './errors.js';
import type { QmpClient, ConnectOptions } from './client.js';
import { QmpServer } from './server.js';
import type { UntypedCommands, UntypedEvents } from './types.js';

export interface LaunchOptions {
  /** The QEMU binary (default `qemu-system-x86_64`). */
  binary?: string;
  /** QEMU's arguments, without the monitor (default `-machine none -nodefaults -display none`). */
  args?: readonly string[];
  /** Milliseconds for QEMU to start and greet (default 10 000). */
  timeout?: number;
  /** Abandons the launch (QEMU is killed). */
  signal?: AbortSignal;
  /** Options for the client (not `reconnect`: this monitor is a one-off connection). */
  client?: Omit<ConnectOptions, 'reconnect' | 'signal' | 'connectTimeout'>;
  /** Kill QEMU when this process dies, even by a signal, via `setpriv --pdeathsig` (default true; Linux). */
  dieWithParent?: boolean;
  /** QEMU's stdout: ignored by default. Its stderr is always captured (see `stderr`). */
  stdout?: 'ignore' | 'inherit';
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Descriptors of this process for QEMU's fd sets, no native code needed: each becomes one of
   * the child's descriptors (3, 4, … in order: spawn's extra stdio slots) and an
   * `-add-fd fd=N,set=S[,opaque=…]`, so that QEMU opens it as `/dev/fdset/S` (a `file`
   * blockdev's `filename`, say). `set` defaults to the lowest set no other entry names; the
   * sets taken are `QemuProcess.fdsets`. QEMU keeps copies: close these once launched.
   */
  fds?: readonly LaunchFd[];
}

/** A descriptor handed to QEMU at launch (see `LaunchOptions.fds`). */
export interface LaunchFd {
  fd: number;
  /** The fd set (`/dev/fdset/S`); see `LaunchOptions.fds` for the default. */
  set?: number;
  /** Free text QEMU keeps with it (`query-fdsets` shows it). */
  opaque?: string;
}

export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** QEMU exited or failed to greet during the launch; `stderr` is what it said. */
export class QemuLaunchError extends Error {
  override name = 'QemuLaunchError';
  readonly stderr: string;
  readonly exit: QemuExit | undefined;

  constructor(message: string, stderr: string, exit: QemuExit | undefined, options?: { cause?: unknown }) {
    super(`${message}${stderr.trim() === '' ? '' : `; QEMU said:\n${stderr.trimEnd()}`}`, options);
    this.stderr = stderr;
    this.exit = exit;
  }
}

export const DEFAULT_QEMU_ARGS: readonly string[] = ['-machine', 'none', '-nodefaults', '-display', 'none'];
const STDERR_LIMIT = 64 * 1024;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
let setprivAvailable: boolean | undefined;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * `-add-fd` arguments for `fds`, the child's descriptors counted from 3, and the set of each.
 * Checked here, so that a mistake names its entry rather than surfacing as QEMU's complaint.
 */
export function addFdArguments(fds: readonly LaunchFd[]): { args: string[]; sets: number[] } {
  const named = new Set<number>();
  fds.forEach((entry, i) => {
    if (!Number.isInteger(entry.fd) || entry.fd < 0)
      throw new TypeError(`launchQemu: fds[${i}].fd must be a file descriptor (a non-negative integer), not ${String(entry.fd)}`);
    if (entry.set === undefined) return;
    if (!Number.isInteger(entry.set) || entry.set < 0)
      throw new TypeError(`launchQemu: fds[${i}].set must be a non-negative integer, not ${String(entry.set)}`);
    named.add(entry.set);
  });
  let free = 0;
  const sets = fds.map((entry) => {
    if (entry.set !== undefined) return entry.set;
    while (named.has(free)) free++;
    named.add(free);
    return free;
  });
  // QEMU's option syntax: a comma inside a value is written twice
  const args = fds.flatMap((entry, i) => [
    '-add-fd',
    `fd=${3 + i},set=${sets[i]}${entry.opaque === undefined ? '' : `,opaque=${entry.opaque.replaceAll(',', ',,')}`}`,
  ]);
  return { args, sets };
}

function haveSetpriv(): boolean {
  if (setprivAvailable === undefined) {
    setprivAvailable = process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', 'true'], { stdio: 'ignore' }).status === 0;
  }
  return setprivAvailable;
}

export class QemuProcess<C = UntypedCommands, E = UntypedEvents> implements AsyncDisposable {
  /** How QEMU ended (resolves once it has exited, never rejects). */
  readonly exited: Promise<QemuExit>;
  private exit: QemuExit | undefined;
  private stopping: Promise<QemuExit> | undefined;

  /** @internal made by `launchQemu` */
  constructor(
    readonly client: QmpClient<C, E>,
    private readonly child: ChildProcess,
    exited: Promise<QemuExit>,
    private readonly stderrTail: () => string,
    /** The fd set of each of `LaunchOptions.fds`, in order. */
    readonly fdsets: readonly number[] = [],
  ) {
    this.exited = exited.then((exit) => (this.exit = exit));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The last 64 KiB QEMU wrote to stderr. */
  get stderr(): string {
    return this.stderrTail();
  }

  /** True until QEMU has exited. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /**
   * Stops QEMU: `quit`, then SIGTERM, then SIGKILL, each given `timeout` ms (default 5 000)
   * to end it. Resolves with how it exited; calling it again returns the same promise.
   */
  shutdown(options: { timeout?: number } = {}): Promise<QemuExit> {
    this.stopping ??= this.stop(options.timeout ?? 5000);
    return this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  private async stop(timeout: number): Promise<QemuExit> {
    const within = (ms: number) => Promise.race([this.exited, delay(ms, undefined, { ref: false })]);
    if (this.exit === undefined && this.client.state === 'open') {
      // quit's reply may be lost as QEMU closes the socket: ConnectionClosedError is success here
      await this.client.request('quit', undefined, { timeout }).catch(() => {});
      const exit = await within(timeout);
      if (exit !== undefined) return this.finish(exit);
    }
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (this.exit !== undefined) break;
      this.child.kill(signal);
      const exit = await within(signal === 'SIGKILL' ? 60_000 : timeout);
      if (exit !== undefined) break;
    }
    return this.finish(await this.exited);
  }

  private async finish(exit: QemuExit): Promise<QemuExit> {
    await this.client.close();
    return exit;
  }
}

/** Starts QEMU, connects to its monitor, negotiates; see the module comment. */
export async function launchQemu<C = UntypedCommands, E = UntypedEvents>(options: LaunchOptions = {}): Promise<QemuProcess<C, E>> {
  const binary = options.binary ?? 'qemu-system-x86_64';
  const timeout = options.timeout ?? 10_000;
  const passed = addFdArguments(options.fds ?? []);
  const dir = mkdtempSync(join(tmpdir(), 'qmp-launch-'));
  const socket = join(dir, 'qmp.sock');
  let server: QmpServer<C, E> | undefined;
  let child: ChildProcess | undefined;
  try {
    server = await QmpServer.listen<C, E>(socket, { ...options.client, connectTimeout: timeout });
    const qemuArgs = [
      ...(options.args ?? DEFAULT_QEMU_ARGS),
      ...passed.args,
      '-chardev',
      `socket,id=qmp-launch,path=${socket},server=off`,
      '-mon',
      'chardev=qmp-launch,mode=control',
    ];
    const dieWithParent = (options.dieWithParent ?? true) && haveSetpriv();
    const [command, args] = dieWithParent ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', binary, ...qemuArgs]] : [binary, qemuArgs];
    installExitHook();
    child = spawn(command, args, {
      stdio: ['ignore', options.stdout ?? 'ignore', 'pipe', ...(options.fds ?? []).map((entry) => entry.fd)],
      env: options.env,
      cwd: options.cwd,
    });
    const spawned = child;
    live.add(spawned);
    let stderr = '';
    spawned.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_LIMIT);
    });
    const exited = new Promise<QemuExit>((resolve) => {
      spawned.once('exit', (code, signal) => {
        live.delete(spawned);
        resolve({ code, signal });
      });
      // a process that could not be spawned never exits
      spawned.once('error', () => {
        if (spawned.pid !== undefined) return;
        live.delete(spawned);
        resolve({ code: null, signal: null });
      });
    });
    const spawnFailed = new Promise<never>((_, reject) =>
      spawned.once('error', (error) => reject(new QemuLaunchError(`cannot start ${binary}: ${error.message}`, '', undefined, { cause: error }))),
    );
    const allOutput = new Promise<void>((resolve) => spawned.once('close', () => resolve()));
    const died = exited.then((exit): never => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the exit status, caught and read below
      throw exit;
    });
    // after the launch these only matter through `exited`
    died.catch(() => {});
    spawnFailed.catch(() => {});
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal!.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let client: QmpClient<C, E>;
    try {
      client = await Promise.race([server.accept({ signal: controller.signal, timeout }), died, spawnFailed]);
    } catch (error) {
      spawned.kill('SIGKILL');
      const exit = await exited;
      await allOutput; // the last of stderr

      if (error === exit) throw new QemuLaunchError(`${binary} exited (${exit.signal ?? `code ${exit.code}`}) before its monitor greeted`, stderr, exit);
      if (error instanceof QemuLaunchError) throw error;
      if (error instanceof QmpTimeoutError)
        throw new QemuLaunchError(`${binary} did not greet on its monitor within ${timeout} ms`, stderr, exit, { cause: error });
      throw error;
    } finally {
      controller.abort();
      options.signal?.removeEventListener('abort', onAbort);
    }
    return new QemuProcess<C, E>(client, spawned, exited, () => stderr, passed.sets);
  } catch (error) {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error instanceof ConnectionClosedError ? new QemuLaunchError(`launching ${binary} failed: ${error.message}`, '', undefined, { cause: error }) : error;
  } finally {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
