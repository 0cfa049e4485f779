/**
 * What each QEMU really sends, checked against what its release's schema promises. Per peer
 * (7.2 → qemu-7.2.0, 10.0.2 → qemu-10.0.2, 11.1.3 → qemu-11.1.3), every `query-*` command that
 * needs no argument is called through that target's generated functions, on `-machine none` and
 * on a `-M pc` machine with a disk, a cd-rom and a NIC (so that query-block and friends have
 * members), by a client whose `validate` option checks each reply against the target's
 * `schema.json`. The agent's read-only commands are checked the same way against the qga
 * target. A command QEMU refuses on that machine is counted apart, with its error class; every
 * reply that does not validate must be one explained below, with QEMU's own reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, afterEach, expect, it } from 'vitest';
import { readTarget } from '../../codegen/generate/read-target.js';
import { bindModel } from '../../codegen/emit/typescript/target.js';
import { targets } from '../../codegen/targets.js';
import { ConnectionClosedError, QgaClient, QmpClient, QmpError, QmpValidationError, schemaValidator, type TargetJsonSchema } from '../../runtime/index.js';
import { describeWithPeers, inside, killAll, MINIMAL_ARGS, startQemu, tempDir, type Peer } from '../runtime/helpers/qemu.js';
import { agentPolicy, ALLOWED_RPCS, describeWithAgents, startQemuGa } from '../runtime/helpers/qemu-ga.js';
import type { PeerName } from '../support/peers.js';
import { projectRoot } from '../support/typecheck.js';

/** The targets each peer's replies are held to: the release's own schema. */
const TARGETS: Record<PeerName, { qemu: string; qga: string }> = {
  '7.2': { qemu: 'qemu-7.2.0', qga: 'qga-7.2.0' },
  '10.0': { qemu: 'qemu-10.0.2', qga: 'qga-10.0.2' },
  '11.1': { qemu: 'qemu-11.1.3', qga: 'qga-11.1.3' },
};

/**
 * Replies that contradict their release's schema, per target, each with QEMU's reason. A new
 * entry here is a finding about QEMU's documents (or a regression of ours): look before adding one.
 * `machines`: where it shows (both when absent). None today: every reply conforms.
 */
const EXPLAINED: Record<string, Record<string, { why: string; machines?: Machine[] }>> = {};

/**
 * Refusals with CommandNotFound, per target: the target promises a command this binary will not
 * run, so each needs QEMU's reason (any other error class is the machine's: no SEV, no balloon…).
 */
const NOT_FOUND: Record<string, Record<string, string>> = {
  'qga-7.2.0': {
    'guest-get-devices':
      'Windows only. From 5.2, where it came, the POSIX agent declares it and disables it itself: qga/commands-posix.c ' +
      'puts it on the agent\'s own list of disabled commands (`g_list_append(..., g_strdup("guest-get-devices"))`, beside a stub ' +
      'returning QERR_UNSUPPORTED), hence "Command guest-get-devices has been disabled" although host-qemu-ga does not block it. ' +
      "QEMU later made it `'if': 'CONFIG_WIN32'` (\"qga: conditionalize schema for commands only supported on Windows\", " +
      "D. P. Berrangé, 2024-06-04: \"use 'if' conditions in the QAPI schema to fully exclude generation of the commands on " +
      'non-Windows"), as spec/qemu-10.0.2/qapi-schema/qga/qapi-schema.json:1613 has it: qga-10.0.2 on Linux has no guest-get-devices.',
  },
};

/**
 * Commands that kill the agent where it runs without /proc (a chroot'ed agent started as
 * host-qemu-ga --chroot starts it: its root has no /proc mounted; the project's launcher mounts
 * one, see helpers/qemu-ga.ts). guest-network-get-route opens /proc/net/route and then /proc/net/ipv6_route,
 * and when neither opens it sets the same Error twice, which error_setv() forbids and aborts
 * on: 10.0.2's qga/commands-linux.c:2163-2166
 *     fp = fopen(route_files[i], "r");
 *     if (fp == NULL) {
 *         error_setg_errno(errp, errno, "open(\"%s\")", route_files[i]);
 *         continue;
 * with util/error.c:68 `assert(*errp == NULL);` (11.1 has no source on the mirror; its agent
 * aborts the same way).
 */
const ABORT_WITHOUT_PROC = ['guest-network-get-route'];

type Machine = 'none' | 'pc';

interface LoadedTarget {
  name: string;
  /** The argument-less commands wanted, with their generated function's name. */
  commands: { command: string; functionName: string }[];
  schema: TargetJsonSchema;
  api: Record<string, (client: unknown) => Promise<unknown>>;
  /** The version the target was made from (`7.2.0`, `11.1.3`). */
  version: string;
}

/** Why a target cannot be used yet (not configured, not generated), or undefined. */
function targetMissing(name: string): string | undefined {
  if (!existsSync(join(projectRoot, 'generated', name, 'schema.json'))) return `generated/${name}/ is not committed yet`;
  if (!targets.some((t) => t.name === name)) return `no target ${name} in codegen/targets.ts yet`;
  return undefined;
}

async function loadTarget(name: string, wanted: (command: string) => boolean): Promise<LoadedTarget> {
  const model = readTarget(
    targets.find((t) => t.name === name)!,
    projectRoot,
  );
  const commands = bindModel(model)
    .commands.filter((b) => wanted(b.command.name) && !b.argsRequired)
    .map((b) => ({ command: b.command.name, functionName: b.functionName }));
  const { default: schema } = (await import(`../../generated/${name}/schema.json`, { with: { type: 'json' } })) as { default: TargetJsonSchema };
  const api = (await import(`../../generated/${name}/index.ts`)) as LoadedTarget['api'];
  return { name, commands, schema, api, version: name.replace(/^q(emu|ga)-/, '') };
}

const validator = (schema: TargetJsonSchema) => schemaValidator(new Ajv({ allErrors: true, strict: false }), schema);

interface Tally {
  conforming: string[];
  /** command → the first issues, as QmpValidationError gives them */
  nonConforming: Record<string, string>;
  /** command → `ErrorClass: desc` */
  refused: Record<string, string>;
}

/** Calls each command through its generated function and sorts the outcome. */
async function tally(target: LoadedTarget, client: unknown, skip: readonly string[] = []): Promise<Tally> {
  const result: Tally = { conforming: [], nonConforming: {}, refused: {} };
  for (const { command, functionName } of target.commands) {
    if (skip.includes(command)) continue;
    const call = target.api[functionName];
    expect(call, `${target.name}: generated function ${functionName}`).toBeTypeOf('function');
    try {
      await call!(client);
      result.conforming.push(command);
    } catch (error) {
      if (error instanceof QmpValidationError) {
        result.nonConforming[command] = error.issues
          .slice(0, 5)
          .map((i) => `${i.path || '/'} ${i.expected} (received ${JSON.stringify(i.received)?.slice(0, 80)})`)
          .join('; ');
      } else if (error instanceof QmpError) result.refused[command] = `${error.errorClass}: ${error.desc}`;
      else throw error;
    }
  }
  return result;
}

function report(what: string, t: Tally): string {
  const called = t.conforming.length + Object.keys(t.nonConforming).length;
  const lines = [`${what}: ${t.conforming.length}/${called} replies conform; ${Object.keys(t.refused).length} commands refused`];
  for (const [command, why] of Object.entries(t.nonConforming)) lines.push(`  does not conform: ${command}: ${why}`);
  for (const [command, why] of Object.entries(t.refused)) lines.push(`  refused: ${command} (${why})`);
  return lines.join('\n');
}

/** A pc with a qcow2 disk, a cd-rom holding a raw image, a NIC, an iothread, a memory backend and a balloon. */
function pcArgs(peer: Peer, dir: string): string[] {
  const disk = join(dir, 'disk.qcow2');
  const made = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`qemu-img create ${disk} failed (qemu-img is in Debian's qemu-utils): ${made.error?.message ?? made.stderr}`);
  const cd = join(dir, 'cd.iso');
  writeFileSync(cd, Buffer.alloc(2048 * 16));
  return [
    ...['-M', 'pc,memory-backend=mem0', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-m', '64M'],
    ...['-object', 'memory-backend-ram,id=mem0,size=64M', '-object', 'iothread,id=io0'],
    ...['-drive', `file=${inside(peer, disk)},format=qcow2,if=none,id=disk0`, '-device', 'ide-hd,drive=disk0,bus=ide.0,id=hd0'],
    ...['-drive', `file=${inside(peer, cd)},format=raw,if=none,id=cd0,media=cdrom,readonly=on`, '-device', 'ide-cd,drive=cd0,bus=ide.1,id=cdrom0'],
    ...['-netdev', 'user,id=n0', '-device', 'e1000,netdev=n0,id=nic0'],
    ...['-device', 'virtio-balloon-pci,id=balloon0'],
  ];
}

/** The non-conforming replies a target's entries explain on this machine (an agent has none). */
function explainedOn(target: string, machine?: Machine): string[] {
  return Object.entries(EXPLAINED[target] ?? {})
    .filter(([, e]) => e.machines === undefined || machine === undefined || e.machines.includes(machine))
    .map(([command]) => command)
    .sort();
}

/** The commands refused as not found: each must be one NOT_FOUND explains. */
function notFound(t: Tally): string[] {
  return Object.entries(t.refused)
    .filter(([, why]) => why.startsWith('CommandNotFound:'))
    .map(([command]) => command)
    .sort();
}

/**
 * The peer's QEMU may be newer than the committed capture its target was made from (Debian
 * unstable moves on): then what does not conform is a finding, printed, not a failure.
 */
function sameRelease(peer: Peer, target: LoadedTarget): boolean {
  return peer.name === '7.2' ? target.version.startsWith('7.2.') : peer.version === target.version;
}

describeWithPeers(
  (peer) => `live validation of ${peer.label} replies against ${TARGETS[peer.name].qemu}`,
  (peer) => {
    const name = TARGETS[peer.name].qemu;
    const missing = targetMissing(name);
    afterEach(killAll);
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

    for (const machine of ['none', 'pc'] as const) {
      const title = `every argument-less query-* reply on -M ${machine} conforms to ${name}, or is explained`;
      if (missing !== undefined) {
        it.skip(`${title} (skipped: ${missing})`, () => {});
        continue;
      }
      it(
        title,
        async () => {
          const target = await loadTarget(name, (command) => command.startsWith('query-'));
          let args = MINIMAL_ARGS;
          if (machine === 'pc') {
            const dir = tempDir('qmp-validation-', peer);
            dirs.push(dir);
            args = pcArgs(peer, dir);
          }
          const qemu = await startQemu(peer, args);
          await using client = await QmpClient.connect(qemu.socket, { validate: validator(target.schema), integers: 'bigint' });
          const result = await tally(target, client);
          const called = result.conforming.length + Object.keys(result.nonConforming).length;
          console.log(report(`live validation, ${peer.label} -M ${machine} against ${name}`, result));
          expect(called).toBeGreaterThan(40);
          if (machine === 'pc') {
            // the machine has what the block, PCI, NIC, balloon, CPU and ACPI queries list (-M none refuses the last three)
            const listed = ['query-block', 'query-blockstats', 'query-named-block-nodes', 'query-pci', 'query-rx-filter', 'query-memdev', 'query-iothreads'];
            expect(result.conforming).toEqual(expect.arrayContaining([...listed, 'query-balloon', 'query-hotpluggable-cpus', 'query-acpi-ospm-status']));
            const block = (await client.execute('query-block')) as { device: string; inserted?: unknown }[];
            expect(block.map((b) => [b.device, b.inserted !== undefined])).toEqual(
              expect.arrayContaining([
                ['disk0', true],
                ['cd0', true],
              ]),
            );
          }
          if (!sameRelease(peer, target)) {
            console.log(
              `finding: ${peer.label} is not the ${target.version} that ${name} was captured from; its non-conforming replies above are differences from it`,
            );
            return;
          }
          expect(Object.keys(result.nonConforming).sort()).toEqual(explainedOn(name, machine));
          expect(notFound(result)).toEqual(Object.keys(NOT_FOUND[name] ?? {}).sort());
        },
        120_000,
      );
    }

    it("validates for real: this release's query-status reply does not conform to the other release's StatusInfo", async () => {
      // 7.2's StatusInfo has `'singlestep': 'bool'` (spec/qemu-7.2.0/qapi-schema/qapi/run-state.json:116);
      // 10.0.2's has only running and status (spec/qemu-10.0.2/qapi-schema/qapi/run-state.json:113-115)
      const other = peer.name === '7.2' ? 'qemu-10.0.2' : 'qemu-7.2.0';
      const { default: schema } = (await import(`../../generated/${other}/schema.json`, { with: { type: 'json' } })) as { default: TargetJsonSchema };
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket, { validate: validator(schema) });
      const error = await client.execute('query-status').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QmpValidationError);
      expect(error).toMatchObject({
        command: 'query-status',
        path: '/singlestep',
        expected: peer.name === '7.2' ? 'must NOT have additional properties' : "must have required property 'singlestep'",
      });
    });
  },
);

describeWithAgents(
  (peer) => `live validation of qemu-ga ${peer.version} replies against ${TARGETS[peer.name].qga}`,
  (peer) => {
    const name = TARGETS[peer.name].qga;
    const missing = targetMissing(name);
    // the chroot'ed peer: only there can the agent be without /proc
    if (peer.name === '11.1') {
      it('without /proc (as host-qemu-ga --chroot starts it), guest-network-get-route aborts the agent', async () => {
        const agent = await startQemuGa(peer, { withoutProc: true });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => agent.child.once('exit', (_code, signal) => resolve(signal)));
        try {
          await using client = await QgaClient.connect(agent.socket);
          expect(await client.execute('guest-ping')).toEqual({});
          // the other readers of /proc only refuse
          await expect(client.execute('guest-get-cpustats')).rejects.toMatchObject({
            errorClass: 'GenericError',
            desc: "Could not open '/proc/stat': No such file or directory",
          });
          for (const command of ABORT_WITHOUT_PROC) {
            await expect(client.execute(command), command).rejects.toBeInstanceOf(ConnectionClosedError);
            expect(await exited, `${command} aborts qemu-ga ${peer.version}`).toBe('SIGABRT');
          }
        } finally {
          await agent.stop();
        }
      });
    }
    const title = `every read-only command's reply conforms to ${name}, or is explained`;
    if (missing !== undefined) {
      it.skip(`${title} (skipped: ${missing})`, () => {});
      return;
    }
    it(
      title,
      async () => {
        // guest-sync and guest-sync-delimited need an id: the client's synchronisation sends them
        const target = await loadTarget(name, (command) => ALLOWED_RPCS.includes(command));
        const agent = await startQemuGa(peer);
        try {
          await using client = await QgaClient.connect(agent.socket, { validate: validator(target.schema), integers: 'bigint' });
          const result = await tally(target, client);
          console.log(report(`live validation, qemu-ga ${peer.version} against ${name}`, result));
          expect(result.conforming).toEqual(expect.arrayContaining(['guest-info', 'guest-get-osinfo', 'guest-network-get-interfaces', 'guest-get-fsinfo']));
          // what NOT_FOUND says: the agent disabled those itself, not the launcher's policy
          const info = (await client.execute('guest-info')) as { supported_commands: { name: string; enabled: boolean }[] };
          for (const command of Object.keys(NOT_FOUND[name] ?? {})) {
            expect(
              info.supported_commands.find((c) => c.name === command),
              command,
            ).toEqual(expect.objectContaining({ enabled: false }));
            const [flag, list] = agentPolicy(peer);
            expect(flag === '-a' ? list!.split(',').includes(command) : !list!.split(',').includes(command), `${command} is allowed by the launcher`).toBe(
              true,
            );
          }
          if (!sameRelease(peer, target)) {
            console.log(
              `finding: qemu-ga ${peer.version} is not the ${target.version} that ${name} was captured from; its non-conforming replies above are differences from it`,
            );
            return;
          }
          expect(Object.keys(result.nonConforming).sort()).toEqual(explainedOn(name));
          expect(notFound(result)).toEqual(Object.keys(NOT_FOUND[name] ?? {}).sort());
        } finally {
          await agent.stop();
        }
      },
      60_000,
    );
  },
);

it('holds replies to the schema strictly: an undocumented member, a wrong type or an unknown enum value does not conform', async () => {
  const { default: schema } = (await import('../../generated/qemu-10.0.2/schema.json', { with: { type: 'json' } })) as { default: TargetJsonSchema };
  const validate = validator(schema);
  expect(validate.reply('query-status', { running: true, status: 'running' })).toEqual([]);
  expect(validate.reply('query-status', { running: true, status: 'running', singlestep: false })).toEqual([expect.objectContaining({ path: '/singlestep' })]);
  expect(validate.reply('query-status', { running: 'yes', status: 'running' })).toEqual([expect.objectContaining({ path: '/running' })]);
  expect(validate.reply('query-status', { running: true, status: 'sleeping' })).toEqual([expect.objectContaining({ path: '/status' })]);
});
