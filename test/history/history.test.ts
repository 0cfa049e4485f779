/**
 * `qmp-codegen history` over this checkout's spec/ (22 releases: the text documents of 0.13–2.8,
 * their schemas from 1.0, the schemas of 7.2, 10.0.2 and 10.2, 11.1.3's query-qmp-schema reply).
 * Each expected fact is checked in the documents, named beside it.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { openCorpus, releaseHistory, releasesOf } from '../../codegen/history/index.js';
import { readTarget } from '../../codegen/generate/read-target.js';
import { referenceOf } from '../../codegen/emit/reference/index.js';
import { targets } from '../../codegen/targets.js';
import { projectRoot } from '../support/typecheck.js';

const spec = join(projectRoot, 'spec');
const history = releaseHistory(openCorpus(spec));
const releases = (from: string, to: string): string[] => {
  const all = history.releases.map((r) => r.release);
  return all.slice(all.indexOf(from), all.indexOf(to) + 1);
};

async function cli(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const error = vi.spyOn(console, 'error').mockImplementation((line) => void (err += `${String(line)}\n`));
  try {
    return { status: await main(['history', ...args]), out, err };
  } finally {
    write.mockRestore();
    error.mockRestore();
  }
}

describe('the history of a command, event or part, from the documents', () => {
  it('reads every release folder of spec/, oldest first, each by the documents it has', () => {
    expect(history.releases.map((r) => `${r.release}:${r.documents}`)).toEqual([
      ...['0.13.0', '0.14.0', '0.15.0'].map((r) => `${r}:text`),
      ...['1.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.6.0', '1.7.0', '2.0.0', '2.1.0', '2.2.0', '2.4.0', '2.5.0', '2.6.0', '2.7.0', '2.8.0'].map(
        (r) => `${r}:text+schema`,
      ),
      ...['7.2.0', '10.0.2', '10.2.0'].map((r) => `${r}:schema`),
      '11.1.3:introspection',
    ]);
  });

  it('query-cpus: in every release from 0.13.0 to 2.8.0 (qmp-commands.txt), gone by 7.2.0 (removed in 6.0); its Since: 0.14.0 is a finding', () => {
    const h = history.of('query-cpus')!;
    expect(h.kind).toBe('command');
    expect(h.present).toEqual(releases('0.13.0', '2.8.0'));
    expect(h.changes).toEqual([
      { release: '0.13.0', kind: 'added', first: true },
      { release: '7.2.0', after: '2.8.0', kind: 'removed' },
    ]);
    // 0.13.0's qmp-commands.txt:686 documents query-cpus; 2.8.0's schema says 'Since: 0.14.0'
    expect(h.findings).toHaveLength(1);
    expect(h.findings[0]).toMatchObject({ since: '0.14.0', problem: 'after-first', firstWith: '0.13.0' });
    expect(h.findings[0]!.places.at(-1)).toEqual({ release: '2.8.0', file: join(spec, 'qemu-2.8.0/qapi-schema/qapi-schema.json'), line: 1026 });
  });

  it('query-cpus-fast: not in 2.8.0, in 7.2.0 to 11.1.3 (11.1.3 by its query-qmp-schema reply)', () => {
    const h = history.of('query-cpus-fast')!;
    expect(h.present).toEqual(releases('7.2.0', '11.1.3'));
    expect(h.changes).toEqual([{ release: '7.2.0', after: '2.8.0', kind: 'added' }]);
    expect(h.findings).toEqual([]);
  });

  it('migrate.blk: an argument from 0.13.0 (qmp-commands.txt) to 7.2.0 (migration.json:1489), gone in 10.0.2 (removed in 9.1)', () => {
    const h = history.of('migrate.blk')!;
    expect(h.kind).toBe('member');
    expect(h.present).toEqual(releases('0.13.0', '7.2.0'));
    expect(h.changes).toEqual([
      { release: '0.13.0', kind: 'added', first: true },
      { release: '10.0.2', after: '7.2.0', kind: 'removed' },
    ]);
  });

  it("migrate: each argument's changes in the release that shows them, detach deprecated in 10.2.0 and gone in 11.1.3", () => {
    const changes = history.of('migrate')!.changes.map((c) => `${c.release} ${c.kind}${c.of ? ` ${c.of}` : ''}${c.names ? ` ${c.names.join(',')}` : ''}`);
    expect(changes).toEqual([
      '0.13.0 added',
      // 1.1.0's schema is the first with migrate (1.0's lacks it), with '*detach'
      '1.1.0 added member detach',
      '7.2.0 added member resume',
      // 10.0.2's migration.json:1724: '*uri', '*channels', no blk or inc
      '10.0.2 added member channels',
      '10.0.2 removed member blk,inc',
      // 10.2.0's migration.json:1819: '*detach': { …, 'features': [ 'deprecated' ] }
      '10.2.0 deprecated member detach',
      '11.1.3 removed member detach',
    ]);
  });

  it('a Since: line naming a release whose documents lack the command is a finding (query-migrationthreads says 7.2; 7.2.0 has none)', () => {
    const h = history.of('query-migrationthreads')!;
    expect(h.present).toEqual(['10.0.2', '10.2.0']);
    expect(h.changes.map((c) => `${c.release} ${c.kind}`)).toEqual(['10.0.2 added', '10.0.2 deprecated', '11.1.3 removed']);
    expect(h.findings).toHaveLength(1);
    expect(h.findings[0]).toMatchObject({ since: '7.2', problem: 'not-after-absent', lastWithout: '7.2.0', firstWith: '10.0.2' });
    expect(h.findings[0]!.places.at(-1)).toEqual({ release: '10.2.0', file: join(spec, 'qemu-10.2.0/qapi-schema/qapi/migration.json'), line: 2428 });
  });

  it('a type member in a reply, found where the schema before it uses the type (IOThreadInfo.poll-weight, new in 11.1)', () => {
    const h = history.of('IOThreadInfo.poll-weight')!;
    expect(h.present).toEqual(['11.1.3']);
    expect(h.changes).toEqual([{ release: '11.1.3', after: '10.2.0', kind: 'added' }]);
  });

  it('says where documents cannot tell: text documents name no types (StatusInfo.singlestep, from 1.0 to 7.2.0)', () => {
    const h = history.of('StatusInfo.singlestep')!;
    expect(h.releases.filter((r) => r.status === 'unknown').map((r) => `${r.release}: ${r.reason}`)).toEqual(
      ['0.13.0', '0.14.0', '0.15.0'].map((r) => `${r}: text documents name no types`),
    );
    expect(h.present).toEqual(releases('1.0', '7.2.0'));
    expect(h.changes.at(-1)).toEqual({ release: '10.0.2', after: '7.2.0', kind: 'removed' });
  });

  it('the guest agent is a corpus of its own (--family qga)', () => {
    const qga = releaseHistory(openCorpus(spec, { family: 'qga' }));
    expect(qga.of('guest-get-devices')!.changes).toEqual([{ release: '7.2.0', after: '2.8.0', kind: 'added' }]);
    expect(history.of('guest-get-devices')).toBeUndefined();
  });

  it("reads qemu-ga 11.1.3 by its guest-info: its commands' presence, their arguments unknown there, compared across it", () => {
    const qga = releaseHistory(openCorpus(spec, { family: 'qga' }));
    expect(qga.releases.at(-1)).toMatchObject({ release: '11.1.3', documents: 'guest-info', typeNames: 'none' });
    expect(qga.of('guest-get-load')!.present).toEqual(['10.0.2', '10.2.0', '11.1.3']);
    const input = qga.of('guest-exec.input-data')!;
    expect(input.releases.at(-1)).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('guest-info, which names its commands, not their arguments'),
    });
    // No argument is 'removed' by a release that does not list arguments, nor any type.
    expect(qga.of('guest-exec')!.changes).toEqual([{ release: '2.5.0', after: '2.4.0', kind: 'added' }]);
    expect(qga.of('GuestExecStatus')!.releases.at(-1)!.status).toBe('unknown');
    // Built only on Windows: missing from a Linux agent's list by configuration, not removed.
    // The reference of qga-11.1.3 then says its commands are in 11.1.3.
    expect(
      releasesOf(
        readTarget(
          targets.find((t) => t.name === 'qga-11.1.3')!,
          projectRoot,
        ),
        qga,
      ).get('guest-get-load'),
    ).toEqual(['10.0.2–11.1.3']);
    expect(qga.of('guest-get-devices')!.releases.at(-1)).toMatchObject({
      status: 'unknown',
      reason: "one build's guest-info, and guest-get-devices is built only if CONFIG_WIN32",
    });
  });
});

describe('qmp-codegen history', () => {
  it('prints what changed when, and the Since: lines that disagree', async () => {
    const run = await cli('query-cpus', '--spec', spec);
    expect(run.status).toBe(0);
    expect(run.out).toContain('query-cpus: command\n  in 18 of 22 releases of the corpus: 0.13.0–2.8.0\n  not in: 7.2.0–11.1.3\n');
    expect(run.out).toContain('  7.2.0   removed (last in 2.8.0)\n');
    expect(run.out).toMatch(/spec\/qemu-2\.8\.0\/qapi-schema\/qapi-schema\.json:1026: query-cpus: says since 0\.14\.0, but 0\.13\.0's documents already have/);
  });

  it('--json gives the history and the corpus as data', async () => {
    const run = await cli('migrate.blk', '--json', '--spec', spec);
    const json = JSON.parse(run.out) as { corpus: { release: string }[]; history: { path: string; present: string[]; changes: unknown[] } };
    expect(json.corpus).toHaveLength(22);
    expect(json.history.path).toBe('migrate.blk');
    expect(json.history.present.at(-1)).toBe('7.2.0');
    expect(json.history.changes).toEqual(history.of('migrate.blk')!.changes);
  });

  it('a name no release has: exit 1 with similar names; bad usage: exit 2', async () => {
    const missing = await cli('query-cpuz', '--spec', spec);
    expect(missing.status).toBe(1);
    expect(missing.err).toMatch(/no release of .* \(22, 0\.13\.0 to 11\.1\.3\) has query-cpuz; similar names: query-cpus/);
    expect((await cli('--spec', spec)).status).toBe(2);
    expect((await cli('migrate', '--family', 'qmp', '--spec', spec)).err).toBe('qmp-codegen history: --family is qemu or qga, not qmp\n');
    expect((await cli('migrate', '--spec', join(spec, 'nowhere'))).status).toBe(2);
  });

  it('--findings lists every Since: line that disagrees, each with its file and line', async () => {
    const run = await cli('--findings', '--spec', spec);
    expect(run.status).toBe(0);
    const all = history.findings();
    expect(all.length).toBeGreaterThan(50);
    expect(run.out).toContain(`${all.length} Since: lines disagree with the history computed from 22 releases' documents`);
    for (const f of all) expect(f.places.length).toBeGreaterThan(0);
  });
});

it("the reference shows each command's, event's and type's releases from the history (qemu-7.2.0: query-cpus-fast in 7.2.0–11.1.3)", () => {
  const model = readTarget(
    targets.find((t) => t.name === 'qemu-7.2.0')!,
    projectRoot,
  );
  const map = releasesOf(model, history);
  expect(map.get('query-cpus-fast')).toEqual(['7.2.0–11.1.3']);
  expect(map.get('migrate')).toEqual(['0.13.0–11.1.3']);
  // a type's: the releases whose documents name it so (text documents name none; 2.9–7.1 are not in spec/)
  expect(map.get('StatusInfo')).toEqual(['1.0–11.1.3']);
  expect(map.get('SocketAddressLegacy')).toEqual(['7.2.0–11.1.3']);
  const ref = referenceOf(model, { title: 'x', releases: map });
  expect(ref.entries.find((e) => e.name === 'query-cpus-fast')!.releases).toEqual(['7.2.0–11.1.3']);
});
