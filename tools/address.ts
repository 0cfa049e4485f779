/**
 * Where a tool connects: `--address ADDR`, else the environment variable QEMU's own scripts read
 * (`QMP_SOCKET` for QMP, `QGA_CLIENT_ADDRESS` for the guest agent). ADDR is a unix socket path
 * (optionally `unix:PATH`) or `HOST:PORT` (`[::1]:4444` for IPv6).
 */
import type { ConnectTarget } from '../runtime/index.js';

export class AddressError extends Error {
  override name = 'AddressError';
}

export function parseAddress(text: string): ConnectTarget {
  if (text.startsWith('unix:')) return text.slice('unix:'.length);
  const tcp = /^(?:tcp:)?(\[[^\]]+\]|[^/:]+):(\d+)$/.exec(text);
  if (tcp) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new AddressError(`${text}: port must be 1-65535`);
    return { host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
  }
  if (text === '') throw new AddressError('the address is empty');
  return text;
}

export function resolveAddress(given: string | undefined, envName: 'QMP_SOCKET' | 'QGA_CLIENT_ADDRESS'): ConnectTarget {
  const text = given ?? process.env[envName];
  if (text === undefined) throw new AddressError(`no address: give --address ADDR (a unix socket path or host:port) or set ${envName}`);
  return parseAddress(text);
}
