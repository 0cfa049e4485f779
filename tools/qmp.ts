#!/usr/bin/env node
/**
 * qmp: everyday questions to a running QEMU, on the typed QEMU 7.2 bindings.
 *   qmp vm-info                       version, name, UUID, run state, target, CPUs, memory
 *   qmp qom list PATH                 the properties of a QOM object
 *   qmp qom get PATH.PROPERTY         one property's value (also: qom get PATH PROPERTY)
 *   qmp qom set PATH.PROPERTY VALUE   set it (VALUE is JSON where it parses as JSON)
 *   qmp qom tree [PATH]               the object tree below PATH (default /machine)
 * Address: --address ADDR (unix socket path or host:port), or $QMP_SOCKET. --json prints JSON.
 */
import { parseArgs } from 'node:util';
import { parseJsonExactly, QmpClient, toJson } from '../runtime/index.js';
import * as qmp from '../generated/qemu-7.2.0/index.js';
import { resolveAddress } from './address.js';

const usage = `usage: qmp [--address ADDR] [--json] [--timeout MS] vm-info
       qmp [--address ADDR] [--json] qom list PATH | get PATH.PROPERTY | set PATH.PROPERTY VALUE | tree [PATH]`;

type Client = QmpClient<qmp.Commands, qmp.Events>;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { address: { type: 'string', short: 'a' }, json: { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
  await using client: Client = await QmpClient.connect<qmp.Commands, qmp.Events>(resolveAddress(values.address, 'QMP_SOCKET'), {
    callTimeout: timeout,
    integers: 'bigint',
  });
  const print = (value: unknown, text: () => string): void => console.log(values.json ? toJson(value, 2) : text());
  switch (command) {
    case 'vm-info': {
      const info = await vmInfo(client);
      print(info, () =>
        Object.entries(info)
          .map(([k, v]) => `${k.padEnd(8)} ${v}`)
          .join('\n'),
      );
      return 0;
    }
    case 'qom':
      return await qom(client, rest, print); // awaited here, so the client is disposed after it
    default:
      console.error(`qmp: unknown command '${command}'\n${usage}`);
      return 2;
  }
}

async function vmInfo(client: Client): Promise<Record<string, string>> {
  const [version, name, uuid, status, target, cpus, memory, kvm, machine] = await Promise.all([
    qmp.queryVersion(client),
    qmp.queryName(client),
    qmp.queryUuid(client),
    qmp.queryStatus(client),
    qmp.queryTarget(client),
    qmp.queryCpusFast(client),
    qmp.queryMemorySizeSummary(client),
    qmp.queryKvm(client),
    qmp.qomGet(client, { path: '/machine', property: 'type' }),
  ]);
  const { major, minor, micro } = version.qemu;
  return {
    qemu: `${major}.${minor}.${micro}${version.package ? ` (${version.package.trim()})` : ''}`,
    name: name.name ?? '(none)',
    uuid: uuid.UUID,
    status: `${status.status}${status.running ? '' : ' (not running)'}`,
    machine: String(machine),
    target: target.arch,
    accel: kvm.enabled ? 'kvm' : kvm.present ? 'tcg (kvm present, not enabled)' : 'tcg',
    cpus: String(cpus.length),
    memory: `${(Number(memory['base-memory']) / 1024 / 1024).toFixed(0)} MiB${memory['plugged-memory'] ? ` + ${(Number(memory['plugged-memory']) / 1024 / 1024).toFixed(0)} MiB plugged` : ''}`,
  };
}

/** `PATH.PROPERTY` as QEMU's qom-get/qom-set scripts take it, or PATH and PROPERTY apart. */
function splitProperty(args: string[]): { path: string; property: string; rest: string[] } {
  const [first, ...rest] = args;
  if (first === undefined) throw new Error('give PATH.PROPERTY');
  const dot = first.lastIndexOf('.');
  if (dot > 0 && dot > first.lastIndexOf('/')) return { path: first.slice(0, dot), property: first.slice(dot + 1), rest };
  const [property, ...others] = rest;
  if (property === undefined) throw new Error(`give the property: ${first}.PROPERTY or ${first} PROPERTY`);
  return { path: first, property, rest: others };
}

function jsonOrString(text: string): unknown {
  try {
    return parseJsonExactly(text);
  } catch {
    return text;
  }
}

async function qom(client: Client, args: string[], print: (value: unknown, text: () => string) => void): Promise<number> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'list': {
      const path = rest[0] ?? '/';
      const props = await qmp.qomList(client, { path });
      print(props, () => props.map((p) => `${p.name} (${p.type})`).join('\n'));
      return 0;
    }
    case 'get': {
      const { path, property } = splitProperty(rest);
      const value = await qmp.qomGet(client, { path, property });
      print(value, () => (typeof value === 'string' ? value : toJson(value)));
      return 0;
    }
    case 'set': {
      const { path, property, rest: values } = splitProperty(rest);
      if (values.length !== 1) throw new Error('give one VALUE');
      await qmp.qomSet(client, { path, property, value: jsonOrString(values[0]!) });
      print({}, () => 'ok');
      return 0;
    }
    case 'tree': {
      const lines: string[] = [];
      const tree = await qomTree(client, rest[0] ?? '/machine', lines, '');
      print(tree, () => lines.join('\n'));
      return 0;
    }
    default:
      console.error(`qmp qom: expected list, get, set or tree${verb ? `, not '${verb}'` : ''}`);
      return 2;
  }
}

interface QomNode {
  path: string;
  properties: Record<string, unknown>;
  children: QomNode[];
}

/** Walks `child<…>` properties depth-first, reading every other property's value as it goes. */
async function qomTree(client: Client, path: string, lines: string[], indent: string): Promise<QomNode> {
  const props = await qmp.qomList(client, { path });
  const node: QomNode = { path, properties: {}, children: [] };
  lines.push(`${indent}${path}`);
  for (const p of props) {
    if (p.type.startsWith('child<')) continue;
    try {
      node.properties[p.name] = await qmp.qomGet(client, { path, property: p.name });
      lines.push(`${indent}  ${p.name}: ${toJson(node.properties[p.name])} (${p.type})`);
    } catch (error) {
      // Some properties cannot be read (write-only, or need a running guest): say so, go on.
      lines.push(`${indent}  ${p.name}: <${(error as Error).message}> (${p.type})`);
    }
  }
  for (const p of props) {
    if (p.type.startsWith('child<')) node.children.push(await qomTree(client, `${path === '/' ? '' : path}/${p.name}`, lines, `${indent}  `));
  }
  return node;
}
