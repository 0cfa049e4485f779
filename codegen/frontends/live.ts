/**
 * A running QEMU as an input: `unix:PATH` or `HOST:PORT` names its QMP monitor, and the model is
 * read from its `query-qmp-schema` reply by the introspection front end. It describes exactly
 * what that binary accepts (its build, its version), which no document can.
 */
import { existsSync, statSync } from 'node:fs';
import { QmpClient, type ConnectTarget } from '../../runtime/index.js';
import type { QmpModel } from '../ir/types.js';
import { modelFromIntrospection } from './introspect/index.js';

/**
 * `unix:/run/vm1.qmp`, a socket's bare path (`/run/vm1.qmp`, as `qmp` and `qga` take it),
 * `localhost:4444`, `[::1]:4444` (and not a file that happens to exist).
 */
export function liveTarget(spec: string): ConnectTarget | undefined {
  if (spec.startsWith('unix:')) return spec.slice('unix:'.length);
  if (isSocket(spec)) return spec;
  const tcp = /^(?:tcp:)?(\[[^\]]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(spec);
  if (tcp && !existsSync(spec)) return { host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
  return undefined;
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

export async function readLiveModel(spec: string, target: ConnectTarget, options: { timeout?: number } = {}): Promise<QmpModel> {
  const timeout = options.timeout ?? 10_000;
  const client = await QmpClient.connect(target, { connectTimeout: timeout, callTimeout: timeout });
  try {
    const [reply, version] = await Promise.all([client.request('query-qmp-schema'), client.request('query-version')]);
    const model = modelFromIntrospection(reply, spec);
    const qemu = (version as { qemu?: { major: number; minor: number; micro: number } }).qemu;
    if (qemu) model.source.release = `${qemu.major}.${qemu.minor}.${qemu.micro}`;
    return model;
  } finally {
    await client.close();
  }
}
