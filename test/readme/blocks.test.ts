/**
 * Every code block of README.md and runtime/README.md, run as a reader runs it, in order:
 * shell lines in a clone of the last commit ("# in a checkout of qmp-sdk") or in a fresh
 * project folder ("# in your project", the default), each with the exit status its comment says;
 * TypeScript blocks with tsx in that project, importing `qmp-sdk` from the tarball the README's
 * own commands made and installed there, and all of them type-checked by the project's tsc under
 * the README's tsconfig.json; JSON parsed; the diagram's folders found. QEMU is the system's 7.2,
 * started by the README's own command line; a guest agent only with
 * ../shared/tools/host-qemu-ga's policy (the project's launcher).
 *
 * Paths under /tmp are moved into this run's temp folder (one per Markdown file); nothing else
 * changes, except in a fragment (`// fragment: …`), which the harness for it gives what its
 * marker says it assumes. `npm test` is not run: it is the suite this test belongs to.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepts, describeWithQemu, greets, killAll, startQemu } from '../runtime/helpers/qemu.js';
import { startQemuGa } from '../runtime/helpers/qemu-ga.js';
import { findPeers } from '../support/peers.js';
import { freePort, makeCertificates, tlsMonitorArgs } from '../runtime/helpers/tls.js';
import { projectRoot } from '../support/typecheck.js';
import { bareImports, extractBlocks, notCompiling, parseJsonc, shellSteps, uncomment, underTmp, type Block, type ShellStep } from './blocks.js';

const FILES = ['README.md', 'runtime/README.md'];
/** Lines not run here, and why. */
const NOT_RUN: Record<string, string> = { 'npm test': 'the suite this test is part of (.ci/run runs it)' };

const work = mkdtempSync(join(tmpdir(), 'qmp-readme-'));
const checkout = join(work, 'qmp-sdk');
const project = join(work, 'project');
const typecheckDir = join(work, 'typecheck');
/** Where each Markdown file's /tmp is. */
const tmpOf = (file: string) => join(work, `tmp-${file.replace(/\W/g, '-')}`);

/** A reader's shell: no test runner's variables; npm quiet and from its cache where it can. */
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|NODE_OPTIONS$|NODE_ENV$|TSX_)/.test(key)));
Object.assign(env, { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

/** What a block's output must show, as its comments say (matched by a line of the block). */
const OUTPUTS: { file: string; command?: string; block?: string; stdout: RegExp }[] = [
  { file: 'README.md', command: 'npx tsx main.ts', stdout: /^running \{.*\}\nRESUME \{.*\}\nDeviceNotFound Device 'cd0' not found\n$/ },
  {
    file: 'README.md',
    command: 'npm install typescript && npx tsc && node main.js',
    stdout: /\nrunning \{.*\}\nRESUME \{.*\}\nDeviceNotFound Device 'cd0' not found\n$/,
  },
  { file: 'README.md', command: 'npx tsc && node main.cjs', stdout: /^running\n$/ },
  { file: 'runtime/README.md', block: "execute('query-yank'", stdout: /^true\n$/ },
  { file: 'runtime/README.md', block: 'qga.guestGetTime', stdout: /^\d{19}n\n$/ },
  { file: 'runtime/README.md', block: 'schemaValidator(', stdout: /status: 'running'/ },
  { file: 'runtime/README.md', block: 'QmpServer.listen', stdout: /^\{ major: 7, minor: 2, micro: \d+ \}\n$/ },
];

/** What a fragment assumes, supplied: code before it, text replaced in it, processes it needs. */
interface Harness {
  setup?(tmp: string): Promise<void>;
  prelude?(tmp: string): string;
  replace?: () => [string, string][];
}

interface Started {
  pid: number;
  what: string;
  child?: ChildProcess;
}
const started: Started[] = [];

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
process.on('exit', () => started.forEach((p) => kill(p.pid)));

async function waitFor(what: string, ready: () => Promise<boolean> | boolean, alive: () => boolean = () => true): Promise<void> {
  for (let waited = 0; !(await ready()); waited += 20) {
    if (!alive() || waited > 15_000) throw new Error(`${what}: not ready after ${waited} ms${alive() ? '' : ' (it exited)'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A guest agent on this host, started by the project's launcher (test/runtime/helpers/qemu-ga.ts),
 * which gives it ../shared/tools/host-qemu-ga's policy (read-only commands): a clean clone
 * elsewhere has no ../shared.
 */
async function startAgent(socket: string): Promise<void> {
  const peer = findPeers().available.find((p) => p.name === '7.2' && p.agent !== undefined);
  if (peer === undefined) throw new Error("QEMU 7.2's qemu-ga is missing (Debian's qemu-guest-agent; .ci/run installs it)");
  const agent = await startQemuGa(peer, { socket });
  started.push({ pid: agent.child.pid!, what: `qemu-ga on ${socket}`, child: agent.child });
}

let tls: { port: number; dir: string } | undefined;
const HARNESSES: Record<string, Harness> = {
  'README.md: ca, cert and key (PEM) and fd (an open descriptor) are yours; a QEMU with a TLS monitor listens on vm1:4444, another connects to /tmp/qmp-in.sock, a guest agent listens on /tmp/vm1-qga.sock':
    {
      async setup(tmp) {
        const certificates = makeCertificates();
        const port = await freePort();
        await startQemu(['-M', 'none', '-nodefaults', '-display', 'none'], tlsMonitorArgs(certificates.qemuDir, port));
        tls = { port, dir: certificates.dir };
        const incoming = `socket,id=in0,path=${join(tmp, 'qmp-in.sock')},server=off,reconnect=1`;
        await startQemu(['-M', 'none', '-nodefaults', '-display', 'none'], ['-chardev', incoming, '-mon', 'chardev=in0,mode=control']);
        await startAgent(join(tmp, 'vm1-qga.sock'));
        writeFileSync(join(tmp, 'fd-file'), '');
      },
      prelude: (tmp) =>
        [
          "import { openSync as harnessOpen, readFileSync as harnessRead } from 'node:fs';",
          `const ca = harnessRead(${JSON.stringify(join(tls!.dir, 'ca-cert.pem'))});`,
          `const cert = harnessRead(${JSON.stringify(join(tls!.dir, 'client-cert.pem'))});`,
          `const key = harnessRead(${JSON.stringify(join(tls!.dir, 'client-key.pem'))});`,
          `const fd = harnessOpen(${JSON.stringify(join(tmp, 'fd-file'))}, 'r');`,
        ].join('\n'),
      replace: () => [["host: 'vm1', port: 4444", `host: '127.0.0.1', port: ${tls!.port}`]],
    },
  "README.md: qemu/ is a QEMU 10.2 source tree, qmp-commands.txt and qmp-events.txt are QEMU 2.8's docs/": {
    setup() {
      symlinkSync(join(checkout, 'spec/qemu-10.2.0/qapi-schema'), join(project, 'qemu'));
      for (const doc of ['qmp-commands.txt', 'qmp-events.txt']) symlinkSync(join(checkout, 'spec/qemu-2.8.0', doc), join(project, doc));
      return Promise.resolve();
    },
  },
  "runtime/README.md: client is a QmpClient<Commands, Events> of qmp-sdk/qemu-7.2.0 on a unix socket, tapFd an open descriptor (a tap device's), args launchQemu's arguments, /tmp/disk.raw an image":
    {
      setup(tmp) {
        writeFileSync(join(tmp, 'disk.raw'), Buffer.alloc(1 << 20));
        return Promise.resolve();
      },
      prelude: (tmp) =>
        [
          "import { openSync as harnessOpen } from 'node:fs';",
          "import { QmpClient as HarnessClient } from 'qmp-sdk';",
          "import type { Commands as HarnessCommands, Events as HarnessEvents } from 'qmp-sdk/qemu-7.2.0';",
          `await using client = await HarnessClient.connect<HarnessCommands, HarnessEvents>(${JSON.stringify(join(tmp, 'vm1.qmp'))});`,
          "const tapFd = harnessOpen('/dev/null', 'r');",
          "const args = ['-M', 'none', '-nodefaults', '-display', 'none'];",
        ].join('\n'),
    },
};

const harnessOf = (block: Block): Harness | undefined => (block.fragment === undefined ? undefined : HARNESSES[`${block.file}: ${block.fragment}`]);

/** A TypeScript block as a file: the harness's prelude, then the block with /tmp moved. */
function program(block: Block, lines: readonly string[] = block.lines): { text: string; offset: number } {
  const tmp = tmpOf(block.file);
  const prelude = harnessOf(block)?.prelude?.(tmp) ?? '';
  let text = underTmp(lines.join('\n'), tmp);
  for (const [from, to] of harnessOf(block)?.replace?.() ?? []) text = text.split(from).join(to);
  const offset = prelude === '' ? 0 : prelude.split('\n').length;
  return { text: prelude === '' ? `${text}\n` : `${prelude}\n${text}\n`, offset };
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}
function run(command: string, cwd: string, timeout = 600_000): Ran {
  const result = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const described = (ran: Ran) => `exit ${ran.status}\n--- stdout\n${ran.stdout.slice(-4000)}\n--- stderr\n${ran.stderr.slice(-4000)}`;

const outputsChecked = new Set<(typeof OUTPUTS)[number]>();
function expectOutput(file: string, matches: (o: (typeof OUTPUTS)[number]) => boolean, stdout: string): void {
  for (const o of OUTPUTS.filter((o) => o.file === file && matches(o))) {
    expect(stdout, `${file}: the output its comments give`).toMatch(o.stdout);
    outputsChecked.add(o);
  }
}

/** Background commands: the QEMU a README starts with `&`; ready once its QMP socket accepts. */
async function background(step: ShellStep, file: string, cwd: string): Promise<void> {
  const command = underTmp(step.command, tmpOf(file));
  const child = spawn('bash', ['-c', `exec ${command}`], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let alive = true;
  child.once('exit', () => (alive = false));
  started.push({ pid: child.pid!, what: command, child });
  const socket = /unix:([^,\s]+),server=on/.exec(command)?.[1];
  // One that connects out (server=off) needs nothing: the block after it waits for it.
  if (socket !== undefined)
    await waitFor(
      `${file}:${step.line} (${stderr})`,
      // a QMP monitor greets (and so has taken the probe off its one-place backlog); an agent does not
      () => existsSync(socket) && (/qemu-system/.test(command) ? greets(socket) : accepts(socket)),
      () => alive,
    );
}

/**
 * What is tested is the last commit, as a clean clone has it: uncommitted edits (other work in
 * progress in this tree) are not, neither in the READMEs nor in the code they run.
 */
const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
const atHead = (file: string) => execFileSync('git', ['show', `${head}:${file}`], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 16 << 20 });

const blocksOf = Object.fromEntries(FILES.map((file) => [file, extractBlocks(file, atHead(file))]));
const label = (block: Block) =>
  `${block.file}:${block.line} ${block.lang || 'plain'}${block.name ? ` ${block.name}` : ''}${block.fragment ? ' (fragment)' : ''}: ${block.lines.find((l) => !/^(#|\/\/) /.test(l))?.slice(0, 60) ?? ''}`;

describeWithQemu('the README blocks, run as written', () => {
  const typescriptBlocks: Block[] = [];
  const named = new Map<string, Block>();
  beforeAll(() => {
    mkdirSync(project);
    for (const file of FILES) mkdirSync(tmpOf(file));
    execFileSync('git', ['clone', '-q', '--no-checkout', projectRoot, checkout]);
    execFileSync('git', ['checkout', '-q', head], { cwd: checkout });
  }, 120_000);
  afterAll(async () => {
    for (const p of started) kill(p.pid);
    await killAll();
    rmSync(work, { recursive: true, force: true });
  });

  for (const file of FILES) {
    describe(file, () => {
      if (file === 'runtime/README.md') {
        // Its examples talk to the QEMU README.md starts, and to an agent on /tmp/vm1-qga.sock.
        beforeAll(async () => {
          const qemu = blocksOf['README.md']!.flatMap((b) => (b.lang === 'sh' ? shellSteps(b) : [])).find(
            (s) => s.background && s.command.startsWith('qemu-system-x86_64'),
          );
          if (qemu === undefined) throw new Error("README.md starts no QEMU in the background: runtime/README.md's examples need one");
          await background(qemu, file, project);
          await startAgent(join(tmpOf(file), 'vm1-qga.sock'));
          // Packages the examples import, installed as the file's text says to.
          const text = atHead(file);
          for (const name of new Set(blocksOf[file]!.flatMap((b) => (b.lang === 'ts' ? bareImports(b) : [])))) {
            if (existsSync(join(project, 'node_modules', name))) continue;
            expect(text, `${file} imports ${name}: it must say how to install it`).toContain(`npm install ${name}`);
            const ran = run(`npm install ${name}`, project);
            expect(ran.status, described(ran)).toBe(0);
          }
        }, 180_000);
      }

      for (const block of blocksOf[file]!) {
        it(
          label(block),
          async () => {
            const harness = harnessOf(block);
            if (block.fragment !== undefined && harness === undefined)
              throw new Error(`${file}:${block.line}: a fragment this test has no harness for: ${block.fragment}`);
            await harness?.setup?.(tmpOf(file));
            if (block.lang === 'sh') {
              const asRoot = block.lines.some((l) => /^# .*\bas root\b/.test(l));
              for (const step of shellSteps(block)) {
                if (NOT_RUN[step.command] !== undefined) continue;
                if (asRoot && process.getuid?.() !== 0) continue;
                const cwd = step.where === 'checkout' ? checkout : project;
                if (step.background) {
                  await background(step, file, cwd);
                  continue;
                }
                const ran = run(underTmp(step.command, tmpOf(file)), cwd);
                expect(ran.status, `${file}:${step.line} ${step.command}: ${described(ran)}`).toBe(step.exit);
                expectOutput(file, (o) => o.command === step.command, ran.stdout);
              }
            } else if (block.lang === 'ts') {
              typescriptBlocks.push(block);
              if (block.name !== undefined) {
                named.set(block.name, block);
                writeFileSync(join(project, block.name), program(block).text);
                return; // run by the shell lines that name it
              }
              const path = join(project, `readme-${block.line}.ts`);
              writeFileSync(path, program(block).text);
              try {
                const ran = run(`npx tsx ${basename(path)}`, project, 120_000);
                expect(ran.status, `${file}:${block.line}: ${described(ran)}`).toBe(0);
                expectOutput(file, (o) => o.block !== undefined && block.lines.some((l) => l.includes(o.block!)), ran.stdout);
              } finally {
                rmSync(path);
              }
            } else if (block.lang === 'jsonc' || block.lang === 'json') {
              const value = parseJsonc(block.lines);
              if (block.name !== undefined) writeFileSync(join(project, block.name), `${JSON.stringify(value, null, 2)}\n`);
            } else if (block.lang === 'text') {
              // A diagram: the folders it names are there.
              const folders = block.lines.join('\n').match(/[\w-]+\/(?:[\w-]+\/)*(?:<\w+>\/)?/g) ?? [];
              expect(folders.length).toBeGreaterThan(0);
              for (const folder of folders) expect(existsSync(join(checkout, folder.replace(/<\w+>\/$/, ''))), `${file}:${block.line}: ${folder}`).toBe(true);
            } else {
              throw new Error(`${file}:${block.line}: a block of kind '${block.lang}', which this test cannot run: give it a language (sh, ts, jsonc, text)`);
            }
          },
          900_000,
        );

        if (block.lang === 'sh' && block.lines.some((l) => /^npm install && npx qmp-codegen generate\b/.test(l))) {
          it(`${file}:${block.line}: the set-up leaves a fresh checkout as it was (package-lock.json is what npm writes; generated/ is fresh)`, () => {
            const status = execFileSync('git', ['status', '--porcelain'], { cwd: checkout, encoding: 'utf8' });
            expect(status).toBe('');
          });
        }
      }
    });
  }

  it('every output this test expects was met (its command or block is still in the README)', () => {
    expect(OUTPUTS.filter((o) => !outputsChecked.has(o))).toEqual([]);
  });

  it('every named file is used by a shell line after it', () => {
    const commands = FILES.flatMap((file) => blocksOf[file]!.flatMap((b) => (b.lang === 'sh' ? shellSteps(b).map((s) => s.command) : [])));
    const compiled = (name: string) =>
      name
        .replace(/\.ts$/, '.js')
        .replace(/\.cts$/, '.cjs')
        .replace(/\.mts$/, '.mjs');
    for (const name of named.keys())
      expect(
        commands.some((c) => c.split(/[\s;&|]+/).some((word) => word === name || word === compiled(name))),
        name,
      ).toBe(true);
  });

  it("every TypeScript block type-checks under the README's tsconfig.json, and each line that says it does not compile does not", () => {
    expect(typescriptBlocks.length).toBeGreaterThan(0);
    const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    mkdirSync(typecheckDir, { recursive: true });
    symlinkSync(join(project, 'node_modules'), join(typecheckDir, 'node_modules'));
    writeFileSync(join(typecheckDir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const files: string[] = [];
    const where = new Map<string, { block: Block; offset: number; expectError: number | undefined }>();
    for (const block of typescriptBlocks) {
      const extension = block.name?.endsWith('.cts') ? '.cts' : '.ts';
      const stem = `${block.file.replace(/\W/g, '-')}-${block.line}`;
      const whole = program(block);
      writeFileSync(join(typecheckDir, stem + extension), whole.text);
      files.push(stem + extension);
      where.set(stem + extension, { block, offset: whole.offset, expectError: undefined });
      for (const index of notCompiling(block)) {
        const variant = block.lines.map((text, i) => (i === index ? uncomment(text) : text));
        const name = `${stem}-not-${index}${extension}`;
        const live = program(block, variant);
        writeFileSync(join(typecheckDir, name), live.text);
        files.push(name);
        where.set(name, { block, offset: live.offset, expectError: index });
      }
    }
    writeFileSync(join(typecheckDir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files }));
    const ran = run(`${join(project, 'node_modules/.bin/tsc')} -p . --pretty false`, typecheckDir, 300_000);
    const errors = [...`${ran.stdout}${ran.stderr}`.matchAll(/^(\S+?)\((\d+),\d+\): error (TS\d+: .*)$/gm)].map((m) => ({
      file: m[1]!,
      line: Number(m[2]),
      message: m[3]!,
    }));
    const unexpected: string[] = [];
    for (const error of errors) {
      const at = where.get(error.file);
      if (at === undefined) {
        unexpected.push(`${error.file}:${error.line}: ${error.message}`);
        continue;
      }
      const index = error.line - 1 - at.offset;
      if (at.expectError === index) continue;
      unexpected.push(`${at.block.file}:${at.block.line + 1 + index}: ${error.message}`);
    }
    expect(unexpected, ran.stdout).toEqual([]);
    if (errors.length === 0) expect(ran.status, described(ran)).toBe(0);
    for (const [name, at] of where) {
      if (at.expectError === undefined) continue;
      const line = at.expectError + 1 + at.offset;
      expect(
        errors.some((e) => e.file === name && e.line === line),
        `${at.block.file}:${at.block.line + 1 + at.expectError} says it does not compile`,
      ).toBe(true);
    }
  }, 300_000);
});
