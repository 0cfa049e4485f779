/**
 * The range target against real QEMUs of its releases: every query a bare `pc` machine answers is
 * answered as the range's received types have it (no member they lack, none they require
 * missing, no enum value they do not list), and what it sends is taken by each.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTarget } from '../../codegen/generate/read-target.js';
import { ConformanceChecker } from '../../codegen/ir/conformance.js';
import type { QmpModel } from '../../codegen/ir/types.js';
import { targets } from '../../codegen/targets.js';
import { QmpClient, QmpError } from '../../runtime/index.js';
import * as qmp from '../../generated/qemu-7.2-to-11.1/index.js';
import { describeWithPeers, killAll, startQemu } from '../runtime/helpers/qemu.js';
import { projectRoot } from '../support/typecheck.js';

const rangeName = 'qemu-7.2-to-11.1';
let range: QmpModel | undefined;
const model = (): QmpModel =>
  (range ??= readTarget(
    targets.find((t) => t.name === rangeName)!,
    projectRoot,
  ));

describeWithPeers(
  (peer) => `${rangeName} against ${peer.label}`,
  (peer) => {
    const covered = (): boolean => (model().source.releases ?? []).some((r) => r.startsWith(`${peer.major}.${peer.minor}.`));
    let client: QmpClient;
    beforeAll(async () => {
      const vm = await startQemu(peer, ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none']);
      client = await QmpClient.connect(vm.socket);
    });
    afterAll(async () => {
      await client.close();
      await killAll();
    });

    it("answers every argument-less query as the range's received types have it", async (context) => {
      if (!covered()) return context.skip(`${peer.label} is not a release of ${rangeName}`);
      const checker = new ConformanceChecker(model());
      // The same replies against one release's own types, the other end of the range: not all
      // admitted (7.2 sends query-status's singlestep, gone by 10.0; later ones send what 7.2 lacks).
      const other = readTarget(
        targets.find((t) => t.name === (peer.major === 7 ? 'qemu-10.2.0' : 'qemu-7.2.0'))!,
        projectRoot,
      );
      const single = new ConformanceChecker(other);
      const elsewhere: string[] = [];
      const queries = model().commands.filter((c) => c.name.startsWith('query-') && c.arguments.every((a) => a.optional) && !c.argumentsType);
      const problems: string[] = [];
      let answered = 0;
      for (const command of queries) {
        let reply: unknown;
        try {
          reply = await client.execute(command.name as qmp.CommandName);
        } catch (error) {
          if (error instanceof QmpError) continue; // not on this machine (no SEV, no SGX, no migration yet…)
          throw error;
        }
        answered++;
        const issues = command.returns ? checker.check(reply, command.returns, `${command.name}`) : [];
        problems.push(...issues.map((i) => `${i.path}: ${i.message}`));
        const there = other.commands.find((c) => c.name === command.name)?.returns;
        if (there) elsewhere.push(...single.check(reply, there, command.name).map((i) => `${i.path}: ${i.message}`));
      }
      expect(problems).toEqual([]);
      expect(answered).toBeGreaterThan(40);
      expect(elsewhere.length).toBeGreaterThan(0);
    }, 60_000);

    it('takes what the range sends', async (context) => {
      if (!covered()) return context.skip(`${peer.label} is not a release of ${rangeName}`);
      await qmp.migrateSetCapabilities(client, { capabilities: [{ capability: 'xbzrle', state: true }] });
      const capabilities = await qmp.queryMigrateCapabilities(client);
      expect(capabilities.find((c) => c.capability === 'xbzrle')?.state).toBe(true);
      await qmp.migrateSetParameters(client, { 'max-bandwidth': 1_000_000 });
      expect((await qmp.queryMigrateParameters(client))['max-bandwidth']).toBe(1_000_000);
    });
  },
);
