/**
 * `qmp-codegen generate --range FROM..TO` and `--merge INPUT...` as a user runs them, in a project
 * of their own, through the CLI's source entry. The guest agent's schemas keep these quick.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

const project = mkdtempSync(join(tmpdir(), 'range-project-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function qmpCodegen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const tsx = pathToFileURL(createRequire(join(projectRoot, 'package.json')).resolve('tsx')).href;
  const cli = pathToFileURL(join(projectRoot, 'codegen/cli.ts')).href;
  const entry = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  const run = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', entry, ...args], { cwd: project, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const qga = (release: string) => join(projectRoot, `spec/qemu-${release}/qapi-schema/qga/qapi-schema.json`);

it('--merge writes bindings true for each input release, with RANGE.md saying what it left out', () => {
  const run = qmpCodegen('generate', '--merge', qga('7.2.0'), qga('10.2.0'), '--if', 'linux-x86_64-7.2', '--if', 'linux-x86_64-10.2', '--out', 'src/qga');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('range of QEMU 7.2.0, 10.2.0: 0 conflicts, 3 commands and events and 1 sent members, values and examples left out (RANGE.md)');
  const report = readFileSync(join(project, 'src/qga/RANGE.md'), 'utf8');
  // guest-get-load is new in 10.0; guest-exec's capture-output took a mode besides a boolean in 8.1.
  expect(report).toContain('- command guest-get-load: left out, only QEMU 10.2.0 has it');
  expect(report).toContain('- command guest-exec: member capture-output: alternative mode left out, only QEMU 10.2.0 accepts it');
  const commands = readFileSync(join(project, 'src/qga/commands.ts'), 'utf8');
  expect(commands).toContain("from 'qmp-sdk/runtime';");
  expect(commands).toMatch(/export function guestExec\b/);
  expect(commands).not.toMatch(/export function guestGetLoad\b/);
}, 60_000);

it('--range takes the configured releases between its bounds, each under its own build configuration', () => {
  const run = qmpCodegen('generate', '--range', 'qga-7.2..qga-10.2', '--out', 'src/qga-range');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('range of QEMU 7.2.0, 10.0.2, 10.2.0:');
  expect(readFileSync(join(project, 'src/qga-range/RANGE.md'), 'utf8')).toMatch(/^# QMP bindings for QEMU 7\.2\.0 to 10\.2\.0\n/);
}, 60_000);

it('says what is wrong with a range, writing nothing', () => {
  const one = qmpCodegen('generate', '--range', '7.2..7.2', '--out', 'src/none');
  expect(one.status).toBe(2);
  expect(one.stderr).toMatch(
    /^qmp-codegen generate: --range 7\.2\.\.7\.2: only one configured qemu release in it \(there are 2\.8\.0, 7\.2\.0, 10\.0\.2, 10\.2\.0/,
  );
  const bad = qmpCodegen('generate', '--range', '7.2-10.2', '--out', 'src/none');
  expect(bad.stderr).toBe('qmp-codegen generate: --range 7.2-10.2: expected FROM..TO, e.g. 7.2..10.2 or qga-7.2.0..qga-10.2.0\n');
  const single = qmpCodegen('generate', '--merge', qga('7.2.0'), '--out', 'src/none');
  expect(single.status).toBe(2);
  expect(single.stderr).toMatch(/^qmp-codegen generate: --merge needs two releases or more/);
  expect(existsSync(join(project, 'src/none'))).toBe(false);
}, 60_000);
