/** The `qmp` tool (vm-info, qom) and qmp-shell's batch mode against each real QEMU peer (7.2, 10.0.2, 11.1.3). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers, killAll, startQemu, type RunningQemu } from '../runtime/helpers/qemu.js';
import { runTool } from '../support/run-tool.js';

describeWithPeers(
  (peer) => `qmp and qmp-shell against ${peer.label}`,
  (peer) => {
    let vm: RunningQemu;
    const version = peer.version.replaceAll('.', '\\.');
    // the default pc machine is named after the release: pc-i440fx-7.2, pc-i440fx-10.0, pc-i440fx-11.1
    const machine = `pc-i440fx-${peer.major}.${peer.minor}-machine`;
    beforeAll(async () => {
      vm = await startQemu(peer, [
        '-M',
        'pc',
        '-accel',
        'tcg',
        '-nodefaults',
        '-display',
        'none',
        '-m',
        '256',
        '-S',
        '-object',
        'throttle-group,id=tg0',
        '-object',
        'iothread,id=io0',
      ]);
    });
    afterAll(killAll);

    it('vm-info tells version, state, machine and memory', async () => {
      const run = await runTool('tools/qmp.ts', ['--address', vm.socket, 'vm-info']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^qemu\\s+${version}`, 'm'));
      expect(run.stdout).toMatch(/^status\s+prelaunch \(not running\)$/m);
      expect(run.stdout).toMatch(new RegExp(`^machine\\s+${machine}$`, 'm'));
      expect(run.stdout).toMatch(/^memory\s+256 MiB$/m);
      expect(run.stdout).toMatch(/^cpus\s+1$/m);
    });

    it('reads the address from QMP_SOCKET and prints JSON with --json', async () => {
      const run = await runTool('tools/qmp.ts', ['vm-info', '--json'], { env: { QMP_SOCKET: vm.socket } });
      expect(JSON.parse(run.stdout)).toMatchObject({ target: 'x86_64', status: 'prelaunch (not running)' });
    });

    it('qom list, get and set', async () => {
      const list = await runTool('tools/qmp.ts', ['-a', vm.socket, 'qom', 'list', '/machine']);
      expect(list.stdout).toMatch(/^type \(string\)$/m);
      expect(list.stdout).toMatch(/^i440fx \(child<i440FX-pcihost>\)$/m);
      const get = await runTool('tools/qmp.ts', ['-a', vm.socket, 'qom', 'get', '/machine.type']);
      expect(get.stdout.trim()).toBe(machine);
      // A throttle group's `limits` can be changed at any time: set them (JSON), read them back.
      const set = await runTool('tools/qmp.ts', ['-a', vm.socket, 'qom', 'set', '/objects/tg0.limits', '{"iops-total": 1234}']);
      expect(set).toMatchObject({ code: 0, stdout: 'ok\n' });
      const back = await runTool('tools/qmp.ts', ['-a', vm.socket, '--json', 'qom', 'get', '/objects/tg0', 'limits']);
      expect(JSON.parse(back.stdout)).toMatchObject({ 'iops-total': 1234 });
      const missing = await runTool('tools/qmp.ts', ['-a', vm.socket, 'qom', 'get', '/machine', 'no-such-property']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/qom-get: GenericError: Property '.*no-such-property' not found/);
    });

    it('qom set and get keep an integer beyond 2^53 exact, in text and in --json', async () => {
      const set = await runTool('tools/qmp.ts', ['-a', vm.socket, 'qom', 'set', '/objects/io0.poll-max-ns', '9007199254740993']);
      expect(set).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
      const get = await runTool('tools/qmp.ts', ['-a', vm.socket, 'qom', 'get', '/objects/io0.poll-max-ns']);
      expect(get).toMatchObject({ code: 0, stdout: '9007199254740993\n', stderr: '' });
      const json = await runTool('tools/qmp.ts', ['-a', vm.socket, '--json', 'qom', 'get', '/objects/io0.poll-max-ns']);
      expect(json.stdout.trim()).toBe('9007199254740993');
    });

    it('qmp-shell reads commands from a pipe, checks them before sending, and exits 1 if one failed', async () => {
      const run = await runTool('tools/qmp-shell.ts', [vm.socket], { input: 'query-status\n{"execute": "query-name"}\nquery-statu\nstop\n' });
      expect(run.stdout).toContain('"status": "prelaunch"');
      expect(run.stdout).toContain('{}');
      expect(run.stderr).toContain('unknown command "query-statu" (did you mean "query-status"?)');
      expect(run.code).toBe(1);
    });

    it('says where it could not connect', async () => {
      const run = await runTool('tools/qmp.ts', ['-a', `${vm.dir}/none.sock`, 'vm-info']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/none\.sock/);
      const none = await runTool('tools/qmp.ts', ['vm-info'], { env: { QMP_SOCKET: '' } });
      expect(none.stderr).toMatch(/address/);
    });
  },
);
