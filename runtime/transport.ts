/**
 * Where a client connects: a unix socket path, a TCP address (optionally TLS), any duplex
 * stream, a readable/writable pair (a child's stdout/stdin for `-qmp stdio`), or a function
 * that opens a stream (reconnectable, for transports of your own).
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { ConnectionClosedError } from './errors.js';

/**
 * TLS: the CA that signed the server's certificate, and the client's own certificate and key
 * (required by a QEMU with `verify-peer=on`, which is mutual TLS).
 */
export interface TlsOptions {
  ca: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** The name the server's certificate must carry; defaults to `host` (an IP is checked as such). */
  servername?: string;
  /**
   * Follow every write with a one-byte whitespace TLS record (default true). QEMU 7.2's TLS
   * monitor decrypts a record but leaves it unparsed until the next record arrives (its watch
   * looks at the socket, not at what the TLS layer has buffered), so a command's reply would
   * wait for the next command. The whitespace record makes the command's record be read; the
   * whitespace itself waits harmlessly (JSON ignores it). Off for a QEMU without the quirk.
   */
  nudge?: boolean;
}

export interface TcpAddress {
  host: string;
  port: number;
  tls?: TlsOptions;
}

export interface StreamPair {
  readable: Readable;
  writable: Writable;
}

export type ConnectTarget = string | { path: string } | TcpAddress | Duplex | StreamPair | (() => Duplex | Promise<Duplex>);

/** How to (re)open the target's stream, and whether opening it again makes sense. */
export interface Opener {
  open(): Promise<Duplex>;
  /** False for a stream given as such: it cannot be opened twice. */
  reusable: boolean;
  /** For messages: `unix:/run/qmp.sock`, `tcp:127.0.0.1:4444`, `tls:…`, `stream`. */
  describe: string;
  /** Follow each write with a whitespace record (see `TlsOptions.nudge`). */
  nudge?: boolean;
  /** Over TLS (for clearer errors: a server that rejects the client's certificate just hangs up). */
  tls?: boolean;
}

export function openerFor(target: ConnectTarget): Opener {
  if (typeof target === 'string') return socketOpener(target);
  if (typeof target === 'function') return { open: () => Promise.resolve().then(() => target()), reusable: true, describe: 'stream factory' };
  if (isDuplex(target)) {
    return { open: () => Promise.resolve(target), reusable: false, describe: 'stream' };
  }
  if ('readable' in target && 'writable' in target) {
    const pair = target;
    return {
      open: () => Promise.resolve().then(() => Duplex.from({ readable: pair.readable, writable: pair.writable })),
      reusable: false,
      describe: 'stream pair',
    };
  }
  if ('path' in target) return socketOpener(target.path);
  if ('host' in target && 'port' in target) return target.tls === undefined ? tcpOpener(target) : tlsOpener(target, target.tls);
  throw new TypeError(
    'connect: target must be a socket path, { path }, { host, port[, tls] }, a duplex stream, { readable, writable } or a function returning a stream',
  );
}

function isDuplex(value: object): value is Duplex {
  const v = value as Partial<Duplex>;
  return typeof v.write === 'function' && typeof v.on === 'function' && typeof v.pipe === 'function';
}

function socketOpener(path: string): Opener {
  return { open: () => whenConnected(netConnect(path), 'connect', `unix:${path}`), reusable: true, describe: `unix:${path}` };
}

function tcpOpener({ host, port }: TcpAddress): Opener {
  const describe = `tcp:${host}:${port}`;
  return {
    open: async () => {
      const socket = await whenConnected(netConnect({ host, port }), 'connect', describe);
      socket.setNoDelay(true);
      return socket;
    },
    reusable: true,
    describe,
  };
}

function tlsOpener({ host, port }: TcpAddress, tls: TlsOptions): Opener {
  const describe = `tls:${host}:${port}`;
  return {
    open: async () => {
      const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
      const socket: TLSSocket = tlsConnect({ host, port, ca: tls.ca, cert: tls.cert, key: tls.key, servername });
      await whenConnected(socket, 'secureConnect', describe);
      socket.setNoDelay(true);
      return socket;
    },
    reusable: true,
    describe,
    nudge: tls.nudge ?? true,
    tls: true,
  };
}

/** Resolves once `ready` fires; rejects with a `ConnectionClosedError` naming the target otherwise. */
function whenConnected<S extends Socket>(socket: S, ready: 'connect' | 'secureConnect', describe: string): Promise<S> {
  return new Promise((resolve, reject) => {
    const fail = (error?: Error) => {
      socket.off(ready, succeed);
      socket.destroy();
      reject(new ConnectionClosedError(`cannot connect to ${describe}: ${error?.message ?? 'closed before it was established'}`, { cause: error }));
    };
    const succeed = () => {
      socket.off('error', fail);
      socket.off('close', onClose);
      resolve(socket);
    };
    const onClose = () => fail();
    socket.once(ready, succeed);
    socket.once('error', fail);
    socket.once('close', onClose);
  });
}
