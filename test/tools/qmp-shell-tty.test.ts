/**
 * qmp-shell as a person uses it: in a real terminal (tmux), against each real QEMU peer (7.2, 10.0.2, 11.1.3). Tab completes
 * command names, a command's reply is printed, and a STOP event shows up after `stop`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { describeWithPeers, killAll, startQemu, type RunningQemu } from '../runtime/helpers/qemu.js';
import { projectRoot } from '../support/typecheck.js';

const haveTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!haveTmux && process.env.CI) throw new Error('tmux is missing: .ci/run installs it');
const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (session: string): string => tmux('capture-pane', '-p', '-t', session, '-S', '-200');

async function waitFor(session: string, pattern: RegExp, what: string): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const text = screen(session);
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen(session)}`);
}

describeWithPeers(
  (peer) => `qmp-shell in a terminal, against ${peer.label}`,
  (peer) => {
    // no dot: tmux reads one in a target as session.window
    const session = `qmp-shell-test-${process.pid}-${peer.name.replace('.', '_')}`;
    let vm: RunningQemu;
    beforeAll(async () => {
      if (!haveTmux) return;
      vm = await startQemu(peer, ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none']);
      // The TypeScript entry through tsx, so the test needs no build; HOME keeps history private.
      const command = `HOME=${vm.dir} ${process.execPath} --import tsx ${join(projectRoot, 'test/support/run-main.ts')} tools/qmp-shell.ts ${vm.socket}`;
      tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', '-c', projectRoot, command);
    });
    afterAll(async () => {
      if (haveTmux) spawnSync('tmux', ['kill-session', '-t', session]);
      await killAll();
    });

    it.skipIf(!haveTmux)(
      'completes query-st<TAB>, runs query-status, shows STOP after stop',
      async () => {
        await waitFor(session, /^\(QEMU\)\s*$/m, 'the prompt');
        tmux('send-keys', '-t', session, 'query-st', 'Tab');
        await waitFor(session, /\(QEMU\) query-stat/, 'completion of the common prefix');
        // One key per write: readline treats several keys in one chunk as a paste, without completion.
        tmux('send-keys', '-t', session, 'Tab');
        // readline lists the candidates in columns under the prompt.
        await waitFor(session, /query-stats\s+query-stats-schemas\s+query-status/, 'the three candidates');
        tmux('send-keys', '-t', session, 'u');
        await waitFor(session, /query-statu\s*$/m, 'the typed u');
        tmux('send-keys', '-t', session, 'Tab');
        await waitFor(session, /\(QEMU\) query-status\s*$/m, 'completion to query-status');
        tmux('send-keys', '-t', session, 'Enter');
        await waitFor(session, /"status": "running"/, 'the reply of query-status');
        tmux('send-keys', '-t', session, 'stop', 'Enter');
        await waitFor(session, /event STOP at \d+\.\d{6}: \{\}/, 'the STOP event');
        tmux('send-keys', '-t', session, 'eject devise=cd0', 'Enter');
        await waitFor(session, /unknown member "devise" \(did you mean "device"\?\)/, 'the argument check');
      },
      60_000,
    );
  },
);
