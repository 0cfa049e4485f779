/**
 * `qmp-codegen generate` as a user runs it in their own project (a working directory outside this
 * package), through the CLI's source entry.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

const project = mkdtempSync(join(tmpdir(), 'user-project-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function qmpCodegen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const tsx = pathToFileURL(createRequire(join(projectRoot, 'package.json')).resolve('tsx')).href;
  const cli = pathToFileURL(join(projectRoot, 'codegen/cli.ts')).href;
  const entry = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  const run = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', entry, ...args], { cwd: project, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

it("with no inputs in a user's project, says what to pass (it once failed on the package's own spec/ with ENOENT, or rebuilt the package)", () => {
  const run = qmpCodegen('generate');
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^qmp-codegen generate: name what to generate from, and where to:\n {2}qmp-codegen generate --schema /);
  expect(run.stderr).toContain('--from /run/vm.qmp --out src/qmp');
  expect(run.stderr).not.toContain('ENOENT');
  expect(readdirSync(project)).toEqual([]);
}, 60_000);

it("with inputs and --out, writes the target into the user's project, importing the installed runtime", () => {
  const run = qmpCodegen('generate', '--schema', join(projectRoot, 'spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json'), '--out', 'src/qga');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(readdirSync(join(project, 'src/qga')).sort()).toEqual(expect.arrayContaining(['commands.ts', 'index.ts', 'types.ts']));
  expect(readFileSync(join(project, 'src/qga/commands.ts'), 'utf8')).toContain("from 'qmp-sdk/runtime';");
}, 60_000);
