/**
 * `qmp-codegen parse` on text documents, through the CLI's own entry (run from source, so the
 * test does not depend on a fresh `dist/`): exit 0 with warnings, 1 when a file is no known kind
 * or the document has errors, diagnostics as `file:line:column: severity: message [code]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot } from './documents.js';

const work = mkdtempSync(join(tmpdir(), 'textdoc-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function qmpCodegen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const entry = "const { main } = await import('./codegen/cli.ts'); process.exitCode = await main(process.argv.slice(1));";
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('qmp-codegen parse (text documents)', () => {
  it('reads 2.8.0 commands and events into one model: exit 0, warnings located', () => {
    const out = join(work, 'model.json');
    const run = qmpCodegen('parse', 'spec/qemu-2.8.0/qmp-commands.txt', 'spec/qemu-2.8.0/qmp-events.txt', '--out', out);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^spec\/qemu-2\.8\.0\/qmp-commands\.txt:590:1: warning: heading "dump" has no underline \[heading-underline-missing\]$/m);
    const model = JSON.parse(readFileSync(out, 'utf8')) as { source: { release: string }; commands: { name: string }[]; events: unknown[] };
    expect(model.source.release).toBe('2.8.0');
    expect(model.commands.map((c) => c.name)).toContain('dump-guest-memory');
    expect(model.events.length).toBe(36);
  }, 60_000);

  it('a file that is no QMP document of any kind: exit 1, file:line:column and the line', () => {
    const run = qmpCodegen('parse', 'spec/qemu-2.8.0/qmp-spec.txt');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('spec/qemu-2.8.0/qmp-spec.txt:1:23: not a QMP document of any known kind');
    expect(run.stderr).toContain('                      QEMU Machine Protocol Specification');
  }, 60_000);

  it('a .hx file: exit 0, locations in the .hx itself', () => {
    const hx = join(fixturesDir, 'rhel7-qmp-commands.hx');
    const run = qmpCodegen('parse', hx, '--quiet');
    expect(run.status).toBe(0);
    const model = JSON.parse(run.stdout) as { commands: { name: string; loc: { line: number } }[] };
    expect(model.commands.find((c) => c.name === '__com.redhat_drive_add')?.loc.line).toBe(119);
  }, 60_000);

  it('a .hx file whose markers are out of order: exit 1, the error at its line', () => {
    const lines = readFileSync(join(fixturesDir, 'rhel7-qmp-commands.hx'), 'utf8').split('\n');
    const broken = join(work, 'broken.hx');
    writeFileSync(broken, [...lines.slice(0, 60), ...lines.slice(61)].join('\n'));
    const run = qmpCodegen('parse', broken, '--out', join(work, 'broken.json'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${broken}:68:1: error: SQMP inside the SQMP block opened on line 5`);
  }, 60_000);
});
