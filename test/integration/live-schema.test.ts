/**
 * A running QEMU (each peer: 7.2, 10.0.2, 11.1.3) as an input: its query-qmp-schema reply agrees
 * with its release's source schema in spec/ under the Linux x86_64 configuration (where spec/
 * holds that release), `generate --from` makes bindings of it, and `diff` of the 10.2 schema
 * against it names what the 10.2 bindings use that this QEMU lacks.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { loadModel } from '../../codegen/frontends/inputs.js';
import { readModel } from '../../codegen/frontends/index.js';
import type { ModelDiff } from '../../codegen/diff/compare.js';
import { StructuralComparison } from '../frontends/introspect/structural.js';
import { configurationPresets } from '../../codegen/ir/conditions.js';
import { describeWithPeers, killAll, startQemu, type Peer, type RunningQemu } from '../runtime/helpers/qemu.js';
import { projectRoot, typecheck } from '../support/typecheck.js';

async function quietly<T>(run: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const result = await run();
    return { result, stdout: [...out.mock.calls.map((c) => String(c[0])), ...log.mock.calls.map((c) => `${c.join(' ')}\n`)].join('') };
  } finally {
    out.mockRestore();
    log.mockRestore();
  }
}

/** The peer's release in spec/ (any micro: stable releases keep the schema) and its preset, if both are there. */
function sourceSchema(peer: Peer): { schema: string; preset: string } | undefined {
  const release = readdirSync(join(projectRoot, 'spec')).find((dir) => dir.startsWith(`qemu-${peer.major}.${peer.minor}.`));
  const schema = release && join(projectRoot, 'spec', release, 'qapi-schema/qapi/qapi-schema.json');
  const preset = `linux-x86_64-${peer.major}.${peer.minor}`;
  return schema && existsSync(schema) && preset in configurationPresets ? { schema, preset } : undefined;
}

describeWithPeers(
  (peer) => `a live ${peer.label} as an input`,
  (peer) => {
    let vm: RunningQemu;
    beforeAll(async () => {
      vm = await startQemu(peer);
    });
    afterAll(killAll);

    const source = sourceSchema(peer);
    if (source !== undefined) {
      it(`agrees with the ${peer.major}.${peer.minor} schema configured for Linux x86_64`, async () => {
        const live = await loadModel([`unix:${vm.socket}`]);
        expect(live.source.frontend).toBe('introspection');
        expect(live.source.release).toBe(peer.version);
        const schema = readModel([source.schema], { conditions: [source.preset] });
        expect(new StructuralComparison(schema, live).run()).toEqual([]);
      });
    } else {
      // Nothing to agree with yet: this pins that, so that adding the release to spec/ turns the comparison on.
      it(`has no ${peer.major}.${peer.minor} schema and preset in spec/ to agree with; reads as release ${peer.version}`, async () => {
        expect(sourceSchema(peer)).toBeUndefined();
        const live = await loadModel([`unix:${vm.socket}`]);
        expect(live.source.frontend).toBe('introspection');
        expect(live.source.release).toBe(peer.version);
      });
    }

    it('generates strict-clean bindings from it (generate --from SOCKET)', async () => {
      mkdirSync(join(projectRoot, '.cache'), { recursive: true });
      const out = mkdtempSync(join(projectRoot, '.cache', 'live-'));
      try {
        // The socket's bare path, as the qmp and qga tools take it.
        const { result } = await quietly(() => main(['generate', '--from', vm.socket, '--out', out]));
        expect(result).toBe(0);
        expect(readFileSync(join(out, 'commands.ts'), 'utf8')).toContain("'query-status': {");
        expect(typecheck([join(out, 'index.ts')])).toEqual([]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    // What 10.2's bindings use that each release lacks, in x86_64 terms: qom-list-get is new in
    // 10.1 and query-accelerators in 10.2; query-migrationthreads, which 10.2 documents "Since:
    // 7.2", is in neither 7.2's schema nor its binary, is in 10.0.2, and is gone from 11.1 (10.2
    // carries it deprecated "with no replacement yet").
    const { lacks, has } = {
      '7.2': { lacks: ['qom-list-get', 'query-accelerators', 'query-migrationthreads'], has: [] },
      '10.0': { lacks: ['qom-list-get', 'query-accelerators'], has: ['query-migrationthreads'] },
      '11.1': { lacks: ['query-migrationthreads'], has: ['qom-list-get', 'query-accelerators'] },
    }[peer.name];
    it(`diff of the 10.2 schema against it: ${lacks.join(', ')} missing (breaking, exit 1)${has.length > 0 ? `, ${has.join(', ')} there` : ''}`, async () => {
      const { result, stdout } = await quietly(() =>
        main(['diff', join(projectRoot, 'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json'), `unix:${vm.socket}`, '--json']),
      );
      expect(result).toBe(1);
      const diff = JSON.parse(stdout) as ModelDiff;
      const missing = diff.changes.filter((c) => c.subject === 'command' && c.kind === 'removed').map((c) => c.name);
      for (const name of lacks) expect(missing).toContain(name);
      for (const name of has) expect(missing).not.toContain(name);
      expect(diff.changes.some((c) => c.name === 'get-win32-socket')).toBe(false);
      expect(diff.changes.filter((c) => c.kind === 'removed').every((c) => c.breaking)).toBe(true);
    });

    it('an address nobody listens on is a clear input error (exit 2)', async () => {
      const err = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(await main(['diff', `unix:${vm.dir}/nobody.sock`, `unix:${vm.socket}`])).toBe(2);
        expect(String(err.mock.calls[0]?.[0])).toMatch(/nobody\.sock/);
      } finally {
        err.mockRestore();
      }
    });
  },
);
