/**
 * Records what QEMU 11.1 (the prepared peer, test/support/peers.ts) says of itself, into
 * `spec/qemu-<version>/`: its `query-qmp-schema` and `query-version` replies, and its guest
 * agent's `guest-info` (the agent has no schema of its own to introspect), with a PROVENANCE.md
 * giving the packages, the commands, the date and each file's sha256. No other release ships
 * its documents for 11.x: these replies are all there is of it.
 *
 *   node --import tsx scripts/capture-introspection.ts [--check]
 *
 * `--check` writes nothing: it compares the live replies with the committed ones and exits 1,
 * listing what differs (a newer 11.x prepared when sid dropped 11.1.3, say). Runs as root (the
 * peer runs in a chroot). QEMU runs with `-machine none` (the schema is the build's, not the
 * machine's); the agent starts only through ../shared/tools/host-qemu-ga --chroot, and is sent
 * guest-sync, guest-ping and guest-info, nothing else.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QmpClient } from '../runtime/index.js';
import { findPeers, inside, peerTempDir, type Peer } from '../test/support/peers.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const hostQemuGa = resolve(root, '../shared/tools/host-qemu-ga');
const QEMU_ARGS = ['-machine', 'none', '-nodefaults', '-display', 'none'];

/** A capture's files, by name, as written (JSON with one-space indent, as 7.2's and 10.0.2's). */
interface Capture {
  version: string;
  files: Record<string, string>;
  commands: { qemu: string; agent: string };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A command line as PROVENANCE.md shows it: the peer's root as ROOT, the temporary socket's folder as /tmp/…. */
function shown(peer: Peer, argv: string[], socket: string): string {
  const inRoot = inside(peer, socket);
  const tmp = inRoot.slice(0, inRoot.lastIndexOf('/'));
  return argv
    .map((arg) =>
      arg
        .split(tmp)
        .join('/tmp/…')
        .split(peer.chroot ?? '\0')
        .join('ROOT'),
    )
    .join(' ');
}

async function waitForSocket(path: string, alive: () => boolean): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    if (!alive()) throw new Error(`the process exited before listening on ${path}`);
    if (existsSync(path) && (await accepts(path))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on ${path} after 15 s`);
}

function accepts(path: string): Promise<boolean> {
  return new Promise((done) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      done(true);
    });
    probe.once('error', () => done(false));
  });
}

async function captureQemu(peer: Peer, dir: string): Promise<{ schema: unknown; version: unknown; command: string }> {
  const socket = join(dir, 'qmp.sock');
  const args = [...peer.qemu.prefix, ...QEMU_ARGS, '-qmp', `unix:${inside(peer, socket)},server=on,wait=off`];
  const child = spawn(peer.qemu.command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...peer.qemu.env } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    await waitForSocket(socket, () => child.exitCode === null && child.signalCode === null).catch((error: Error) => {
      throw new Error(`QEMU ${peer.version}: ${error.message}${stderr ? `\n${stderr}` : ''}`);
    });
    const client = await QmpClient.connect(socket);
    try {
      const schema = await client.request('query-qmp-schema');
      const version = await client.request('query-version');
      return { schema, version, command: shown(peer, [peer.qemu.command, ...args], socket) };
    } finally {
      await client.close();
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Newline-delimited JSON to and from the agent: one request, its reply (skipping anything before). */
class AgentLine {
  private buffer = '';
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly lines: string[] = [];

  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8').on('data', (text: string) => {
      this.buffer += text;
      for (let nl = this.buffer.indexOf('\n'); nl !== -1; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line === '') continue;
        const waiter = this.waiting.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
  }

  private next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the agent did not reply in 10 s')), 10_000);
      this.waiting.push((l) => {
        clearTimeout(timer);
        done(l);
      });
    });
  }

  async call(execute: 'guest-sync' | 'guest-ping' | 'guest-info', args?: object): Promise<unknown> {
    this.socket.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
    const reply = JSON.parse(await this.next()) as { return?: unknown; error?: { class: string; desc: string } };
    if (reply.error) throw new Error(`${execute}: ${reply.error.class}: ${reply.error.desc}`);
    return reply.return;
  }
}

/** The `mktemp -d` folders in the root's /tmp. */
function stateDirs(chroot: string): string[] {
  return readdirSync(join(chroot, 'tmp'))
    .filter((name) => /^tmp\.[A-Za-z0-9]+$/.test(name))
    .map((name) => join(chroot, 'tmp', name));
}

async function captureAgent(peer: Peer, dir: string): Promise<{ info: unknown; command: string }> {
  if (peer.chroot === undefined) throw new Error(`${peer.label} is not chroot'ed; this script captures the 11.1 peer`);
  const socket = join(dir, 'qga.sock');
  const toolArgs = [inside(peer, socket), '--chroot', peer.chroot];
  const stateDirsBefore = new Set(stateDirs(peer.chroot));
  const started = spawnSync(hostQemuGa, toolArgs, { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`host-qemu-ga failed (exit ${started.status}): ${started.stderr}`);
  const pid = Number(started.stdout.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`host-qemu-ga printed no pid: ${started.stdout}`);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    await waitForSocket(socket, alive);
    const connection = connect(socket);
    await new Promise<void>((done, fail) => connection.once('connect', done).once('error', fail));
    try {
      const line = new AgentLine(connection);
      // guest-sync first: a reply with our id means what follows is in step.
      const id = 1 + Math.floor(Math.random() * 1e9);
      for (let attempt = 0; (await line.call('guest-sync', { id })) !== id; attempt++) {
        if (attempt > 3) throw new Error('the agent never echoed the guest-sync id');
      }
      await line.call('guest-ping');
      const info = await line.call('guest-info');
      return { info, command: shown(peer, [relative(root, hostQemuGa), ...toolArgs], socket) };
    } finally {
      connection.destroy();
    }
  } finally {
    // the agent host-qemu-ga started, by the pid it printed; nothing else
    if (alive()) process.kill(pid, 'SIGKILL');
    // host-qemu-ga's state folder (mktemp -d in the root), holding qga.state only
    for (const state of stateDirs(peer.chroot).filter((d) => !stateDirsBefore.has(d))) {
      if (readdirSync(state).every((name) => name === 'qga.state')) rmSync(state, { recursive: true, force: true });
    }
  }
}

async function capture(peer: Peer): Promise<Capture> {
  const dir = peerTempDir(peer, 'qmp-capture-');
  try {
    const qemu = await captureQemu(peer, dir);
    const agent = await captureAgent(peer, dir);
    const version = (qemu.version as { qemu: { major: number; minor: number; micro: number } }).qemu;
    return {
      version: `${version.major}.${version.minor}.${version.micro}`,
      files: { 'query-qmp-schema.json': json(qemu.schema), 'query-version.json': json(qemu.version), 'guest-info.json': json(agent.info) },
      commands: { qemu: qemu.command, agent: agent.command },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function provenance(peer: Peer, captured: Capture, date: string): string {
  const packages = Object.entries(peer.manifest?.packages ?? {})
    .map(([name, version]) => `| \`${name}\` | \`${version}\` |`)
    .join('\n');
  const binary = readFileSync(join(peer.chroot!, 'usr/bin/qemu-system-x86_64'));
  const agent = readFileSync(join(peer.chroot!, 'usr/sbin/qemu-ga'));
  const files = Object.entries(captured.files)
    .map(([name, text]) => `| \`${name}\` | \`${sha256(text)}\` |`)
    .join('\n');
  return `# QEMU ${captured.version}: live replies

QEMU ${captured.version} is known here only through its binaries (no 11.x source tarball is on
Debian's mirror): Debian unstable's packages, installed by \`debootstrap --variant=minbase
--include=qemu-system-x86,qemu-guest-agent sid ROOT\` (${peer.manifest?.from ?? 'sid'}; see
test/support/peers.ts), run inside ROOT with \`chroot\`.

| package | version |
| --- | --- |
${packages}

Binaries: \`/usr/bin/qemu-system-x86_64\` sha256 \`${sha256(binary)}\`, \`/usr/sbin/qemu-ga\` sha256 \`${sha256(agent)}\`.

Captured ${date} by \`node --import tsx scripts/capture-introspection.ts\` (as root), which ran

\`\`\`sh
${captured.commands.qemu}
\`\`\`

and sent it \`query-qmp-schema\` and \`query-version\`: their \`return\` values are
\`query-qmp-schema.json\` and \`query-version.json\`. \`-machine none\` is enough: the schema
is what the binary was built with, whatever the machine. Then it ran

\`\`\`sh
${captured.commands.agent}
\`\`\`

(the agent, with an allow-list of read-only commands) and sent it \`guest-sync\`, \`guest-ping\`
and \`guest-info\`, nothing else: \`guest-info\`'s \`return\` is \`guest-info.json\`, whose
\`supported_commands\` lists every command the agent has, each \`enabled\` or not under that
allow-list. The agent has no \`query-qmp-schema\`: target \`qga-11.1.3\` is the newest
documented agent schema (10.2.0) held against this list (codegen/targets.ts).

| file | sha256 |
| --- | --- |
${files}

\`node --import tsx scripts/capture-introspection.ts --check\` compares a live peer with these files.
Licence: QEMU's schema is GPL-2.0-or-later (see ../COPYING-NOTICE); so are these replies.
`;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const { available, missing } = findPeers();
  const peer = available.find((p) => p.name === '11.1');
  if (peer === undefined) {
    console.error(`capture-introspection: QEMU 11.1 is not there: ${missing.find((m) => m.name === '11.1')?.reason}`);
    return 2;
  }
  const captured = await capture(peer);
  const out = join(root, 'spec', `qemu-${captured.version}`);
  if (check) {
    const differ = Object.entries(captured.files).filter(([name, text]) => !existsSync(join(out, name)) || readFileSync(join(out, name), 'utf8') !== text);
    for (const [name] of differ) console.log(`${relative(root, join(out, name))}: differs from QEMU ${captured.version}'s live reply`);
    if (differ.length === 0) console.log(`${relative(root, out)}: as QEMU ${captured.version} replies`);
    return differ.length === 0 ? 0 : 1;
  }
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(captured.files)) writeFileSync(join(out, name), text);
  writeFileSync(join(out, 'PROVENANCE.md'), provenance(peer, captured, new Date().toISOString().slice(0, 10)));
  console.log(`${relative(root, out)}: ${Object.keys(captured.files).join(', ')}, PROVENANCE.md (QEMU ${captured.version})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`capture-introspection: ${error.message}`);
    process.exit(1);
  },
);
