/**
 * The package as a user gets it: `npm pack`, installed into a fresh project, a small TypeScript
 * consumer compiled against it (runtime from the package root, bindings by subpath) and run
 * against each peer (QEMU 7.2, 10.0.2, 11.1.3) with that release's bindings; the bins are there
 * and start. Installed once; only the consumer's run is per peer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers, describeWithQemu, killAll, startQemu, type Peer } from '../runtime/helpers/qemu.js';
import { projectRoot } from '../support/typecheck.js';

const work = mkdtempSync(join(tmpdir(), 'qmp-package-'));
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/**
 * The bindings a user of this peer's release imports: its own target, or (while 11.1.3's is not
 * generated yet) the newest bundled one, as such a user would.
 */
function bindingsFor(peer: Peer): string {
  const own = { '7.2': 'qemu-7.2.0', '10.0': 'qemu-10.0.2', '11.1': 'qemu-11.1.3' }[peer.name];
  return existsSync(join(projectRoot, 'generated', own, 'index.ts')) ? own : 'qemu-10.2.0';
}

const tsc = (app: string) => execFileSync(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, encoding: 'utf8' });

// Packing, compiling and the bins need no QEMU: only the consumer's runs are per peer (and skip without one).
describe('the npm package, installed', () => {
  let app: string;
  beforeAll(() => {
    npm(['pack', '--pack-destination', work], projectRoot);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', join(work, tarball), 'typescript@6.0.2', '@types/node@20'], app);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'ESNext.Disposable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          types: ['node'],
          skipLibCheck: false,
        },
      }),
    );
  }, 240_000);
  afterAll(async () => {
    await killAll();
    rmSync(work, { recursive: true, force: true });
  });

  describeWithPeers(
    (peer) => `a typed consumer against ${peer.label}, with qmp-sdk/${bindingsFor(peer)}`,
    (peer) => {
      it('compiles and runs', async () => {
        const vm = await startQemu(peer, ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none']);
        writeFileSync(
          join(app, 'main.ts'),
          `import { QmpClient } from 'qmp-sdk';
import { queryStatus, stop, waitForEvent, type Commands, type Events } from 'qmp-sdk/${bindingsFor(peer)}';

await using client = await QmpClient.connect<Commands, Events>(process.argv[2]!);
const status = await queryStatus(client);
const stopped = waitForEvent(client, 'STOP', { timeout: 5000 });
await stop(client);
const event = await stopped;
const version = await client.execute('query-version');
console.log(JSON.stringify({ status: status.status, event: event.event, major: version.qemu.major, minor: version.qemu.minor }));
`,
        );
        tsc(app);
        const out = execFileSync(process.execPath, [join(app, 'main.js'), vm.socket], { cwd: app, encoding: 'utf8' });
        expect(JSON.parse(out)).toEqual({ status: 'running', event: 'STOP', major: peer.major, minor: peer.minor });
      }, 120_000);
    },
  );

  it('rejects a misspelt argument at compile time', () => {
    writeFileSync(
      join(app, 'main.ts'),
      `import { eject } from 'qmp-sdk/qemu-7.2.0';\nimport { QmpClient } from 'qmp-sdk';\nconst c = await QmpClient.connect('x');\nawait eject(c, { devise: 'cd0' });\n`,
    );
    let output = '';
    try {
      tsc(app);
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toMatch(/devise/);
  }, 60_000);

  it("exports each target's JSON Schema as qmp-sdk/<target>/schema.json", () => {
    const script =
      "import schema from 'qmp-sdk/qemu-7.2.0/schema.json' with { type: 'json' }; console.log(schema.$id, Object.keys(schema.properties.commands.properties).length);";
    const out = execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' });
    expect(out.trim()).toBe('qmp-sdk/qemu-7.2.0/schema.json 216');
  });

  it('installs the bins', () => {
    for (const bin of ['qmp-codegen', 'qmp-shell', 'qmp', 'qga']) {
      const help = execFileSync(join(app, 'node_modules/.bin', bin), ['--help'], { encoding: 'utf8' });
      expect(help, bin).toMatch(/usage/);
    }
  });

  // The native part is an optional peer: first the package as installed (without it), then with it beside.
  describeWithQemu('passing a descriptor (getfd), without and with the optional qmp-sdk-scm-rights', () => {
    const getfd = (socket: string, file: string): Record<string, unknown> => {
      const script = `import { openSync } from 'node:fs';
import { FdPassingUnavailableError, QmpClient } from 'qmp-sdk';
const client = await QmpClient.connect(process.argv[1]);
let outcome;
try {
  outcome = { reply: await client.execute('getfd', { fdname: 'f' }, { fd: openSync(process.argv[2], 'r') }) };
} catch (error) {
  outcome = { name: error.name, message: error.message, isClass: error instanceof FdPassingUnavailableError };
}
const status = await client.execute('query-status');
console.log(JSON.stringify({ ...outcome, running: status.running }));
await client.close();
`;
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, socket, file], { cwd: app, encoding: 'utf8' })) as Record<
        string,
        unknown
      >;
    };
    const heldBy = (pid: number, file: string) => readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === file);

    it('without it: the call rejects with FdPassingUnavailableError saying what to install; the connection goes on', async () => {
      expect(existsSync(join(app, 'node_modules/qmp-sdk-scm-rights'))).toBe(false);
      const vm = await startQemu();
      const file = join(work, 'marker-without');
      writeFileSync(file, '');
      expect(getfd(vm.socket, file)).toEqual({
        name: 'FdPassingUnavailableError',
        message: expect.stringMatching(
          /^getfd: passing a file descriptor needs the optional native module qmp-sdk-scm-rights \(it is not installed\); install it with `npm install qmp-sdk-scm-rights`/,
        ),
        isClass: true,
        running: true,
      });
      expect(heldBy(vm.pid, file)).toBe(false);
    }, 60_000);

    it('with it packed and installed beside (built by node-gyp): QEMU holds the descriptor', async () => {
      npm(['pack', '--pack-destination', work], join(projectRoot, 'native/qmp-sdk-scm-rights'));
      const tarball = readdirSync(work).find((f) => f.startsWith('qmp-sdk-scm-rights-') && f.endsWith('.tgz'))!;
      npm(['install', join(work, tarball)], app);
      const vm = await startQemu();
      const file = join(work, 'marker-with');
      writeFileSync(file, '');
      expect(getfd(vm.socket, file)).toEqual({ reply: {}, running: true });
      expect(heldBy(vm.pid, file)).toBe(true);
    }, 180_000);
  });
});
