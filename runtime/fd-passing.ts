/**
 * Passing a file descriptor with a command (`getfd`, `add-fd`): QEMU takes it as SCM_RIGHTS
 * ancillary data on its unix socket, which Node's `net` sockets cannot send. The sending is done
 * by an optional native module, `qmp-sdk-scm-rights` (one N-API function over `sendmsg`),
 * imported the first time a call passes a descriptor; nothing else in the runtime needs it, and
 * without it such a call rejects with `FdPassingUnavailableError`, saying what to install.
 */
import type { Duplex } from 'node:stream';

/** The optional native module's package name. */
export const FD_PASSING_MODULE = 'qmp-sdk-scm-rights';

/** What the native module offers (see its `index.d.ts`). */
export interface FdSender {
  sendWithFds(socketFd: number, data: Uint8Array, fds: readonly number[]): number;
}

/** A call passed a descriptor, and the native module that sends it could not be loaded. */
export class FdPassingUnavailableError extends Error {
  override name = 'FdPassingUnavailableError';

  constructor(
    readonly command: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${command}: passing a file descriptor needs the optional native module ${FD_PASSING_MODULE} (${reason}); ` +
        `install it with \`npm install ${FD_PASSING_MODULE}\` (node-gyp builds it: a C compiler, make, Python and Node's headers)`,
      options,
    );
  }
}

/**
 * Sending a command's descriptor failed (`code` from `sendmsg`: `EBADF` for a descriptor that is
 * not open, say); nothing of the command was sent.
 */
export class FdPassingError extends Error {
  override name = 'FdPassingError';
  readonly code: string | undefined;

  constructor(
    readonly command: string,
    readonly fd: number,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const hint = code === 'EBADF' ? ` (${fd} is not an open descriptor of this process)` : '';
    super(`${command}: sending file descriptor ${fd} failed: ${cause instanceof Error ? cause.message : String(cause)}${hint}`, { cause });
    this.code = code;
  }
}

let sender: FdSender | undefined;

/**
 * The native sender, imported once. A failed import is not remembered: installing the module
 * later makes the next call work.
 */
export async function loadFdSender(command: string): Promise<FdSender> {
  if (sender !== undefined) return sender;
  // A specifier in a variable: the runtime compiles and bundles without the optional module.
  const specifier: string = FD_PASSING_MODULE;
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? 'it is not installed' : `it failed to load: ${(error as Error).message}`;
    throw new FdPassingUnavailableError(command, reason, { cause: error });
  }
  const module = loaded as Partial<FdSender> & { default?: Partial<FdSender> };
  const found = typeof module.sendWithFds === 'function' ? module : module.default;
  if (typeof found?.sendWithFds !== 'function')
    throw new FdPassingUnavailableError(command, 'it has no sendWithFds function: not the module this runtime expects');
  sender = found as FdSender;
  return sender;
}

/** Checks a call's `fd` option: a descriptor is a non-negative integer. */
export function checkFd(command: string, fd: unknown): string | undefined {
  return Number.isInteger(fd) && (fd as number) >= 0 && (fd as number) <= 0x7fffffff
    ? undefined
    : `${command}: fd must be a file descriptor (a non-negative integer), not ${String(fd)}`;
}

interface SocketInternals {
  encrypted?: boolean;
  remoteFamily?: string;
  remoteAddress?: string;
  remotePort?: number;
  _handle?: { fd?: unknown } | null;
}

/**
 * The descriptor of the unix socket under `stream`, or why there is none: SCM_RIGHTS exists
 * only on unix sockets (not TCP, not TLS over TCP, not a stream of your own). Node keeps the
 * descriptor on the socket's handle (`_handle.fd`), an internal that has been stable since
 * Node 0.x on unix.
 */
export function unixSocketFd(stream: Duplex): { fd: number } | { not: string } {
  const socket = stream as unknown as SocketInternals;
  if (socket.encrypted === true) return { not: `a TLS connection (${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'})` };
  if (socket.remoteFamily !== undefined) return { not: `a TCP connection (${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'})` };
  const fd = socket._handle?.fd;
  if (typeof fd === 'number' && fd >= 0) return { fd };
  return { not: 'a stream that is not a unix socket' };
}

/** Errors of `sendmsg` that mean "the socket is full: try again", not a failure. */
export function isFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}
