/**
 * `generate --watch` on a real schema (QEMU 7.2's guest agent): an edit regenerates the bindings
 * and prints the interface change; a broken document prints the error, keeps the last good output,
 * and watching goes on.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { watchJobs } from '../../codegen/generate/watch.js';
import { projectRoot } from '../support/typecheck.js';

mkdirSync(join(projectRoot, '.cache'), { recursive: true });
const dir = mkdtempSync(join(projectRoot, '.cache', 'watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('regenerates on change, reports what changed, survives a broken document', async () => {
  const schema = join(dir, 'qga-schema.json');
  copyFileSync(join(projectRoot, 'spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json'), schema);
  const out = join(dir, 'out');
  const log: string[] = [];
  const waitForLog = async (pattern: RegExp): Promise<string> => {
    for (let waited = 0; waited < 20_000; waited += 25) {
      const line = log.find((l) => pattern.test(l));
      if (line) return line;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no log line matches ${pattern}; the log:\n${log.join('\n')}`);
  };
  const stop = new AbortController();
  const job = { name: 'qga', inputs: [schema], outDir: out, runtimeImport: '../../runtime/index.js' };
  const watching = watchJobs([job], { debounceMs: 50, signal: stop.signal, log: (l) => log.push(l) });

  await waitForLog(/^watching for changes/);
  const before = readFileSync(join(out, 'commands.ts'), 'utf8');
  expect(before).not.toContain('guestHello');

  // An edit: a new command with one argument.
  writeFileSync(
    schema,
    `${readFileSync(schema, 'utf8')}\n##\n# @guest-hello:\n#\n# Says hello.\n#\n# @name: to whom\n##\n{ 'command': 'guest-hello', 'data': { 'name': 'str' } }\n`,
  );
  await waitForLog(/qga: regenerated, \d+ files written; 1 interface changes \(0 breaking\)/);
  expect(log).toContain('  compatible command guest-hello added');
  const after = readFileSync(join(out, 'commands.ts'), 'utf8');
  expect(after).toContain('export function guestHello(');

  // A break: an unbalanced brace. The error is shown, the last good output stays.
  writeFileSync(schema, `${readFileSync(schema, 'utf8')}\n{ 'command': 'guest-broken'\n`);
  const error = await waitForLog(/not regenerated, the last good output stays/);
  expect(error).toMatch(/qga-schema\.json:\d+:\d+/);
  expect(readFileSync(join(out, 'commands.ts'), 'utf8')).toBe(after);

  // Fixed again: back to work.
  writeFileSync(schema, readFileSync(schema, 'utf8').replace("\n{ 'command': 'guest-broken'\n", '\n'));
  await waitForLog(/qga: regenerated, \d+ files written; 0 interface changes/);

  stop.abort();
  expect(await watching).toBe(0);
}, 60_000);
