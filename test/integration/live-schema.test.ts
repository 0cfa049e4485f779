/**
 * A running QEMU 7.2 as an input: its query-qmp-schema reply agrees with the 7.2 source schema
 * under the Linux x86_64 configuration, `generate --from` makes bindings of it, and `diff` of the
 * 10.2 schema against it names what the 10.2 bindings use that this QEMU lacks.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { loadModel } from '../../codegen/frontends/inputs.js';
import { readModel } from '../../codegen/frontends/index.js';
import type { ModelDiff } from '../../codegen/diff/compare.js';
import { StructuralComparison } from '../frontends/introspect/structural.js';
import { describeWithQemu, killAll, startQemu, type RunningQemu } from '../runtime/helpers/qemu.js';
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

describeWithQemu('a live QEMU 7.2 as an input', () => {
  let vm: RunningQemu;
  beforeAll(async () => {
    vm = await startQemu();
  });
  afterAll(killAll);

  it('agrees with the 7.2 schema configured for Linux x86_64', async () => {
    const live = await loadModel([`unix:${vm.socket}`]);
    expect(live.source.frontend).toBe('introspection');
    expect(live.source.release).toMatch(/^7\.2\./);
    const schema = readModel([join(projectRoot, 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json')], { conditions: ['linux-x86_64-7.2'] });
    expect(new StructuralComparison(schema, live).run()).toEqual([]);
  });

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

  it('diff of the 10.2 schema against it: what 10.2 bindings use that this QEMU lacks, exit 1', async () => {
    const { result, stdout } = await quietly(() => main(['diff', join(projectRoot, 'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json'), `unix:${vm.socket}`, '--json']));
    expect(result).toBe(1);
    const diff = JSON.parse(stdout) as ModelDiff;
    const missing = diff.changes.filter((c) => c.subject === 'command' && c.kind === 'removed').map((c) => c.name);
    expect(missing).toContain('qom-list-get');
    expect(missing).toContain('query-accelerators');
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
});
