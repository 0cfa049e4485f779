// The last step of `npm run build`: one small generation into a scratch folder, so that V8's
// compiled code of ts-morph and prettier is cached (codegen/compile-cache.ts) before the first
// real one. Failing here costs only that time later, so it never fails the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'qmp-warm-'));
const spec = new URL('../spec/qemu-0.13.0/', import.meta.url).pathname;
const cli = new URL('../bin/qmp-codegen.js', import.meta.url).pathname;
const result = spawnSync(
  process.execPath,
  [cli, 'generate', '--commands', join(spec, 'qmp-commands.txt'), '--events', join(spec, 'qmp-events.txt'), '--out', out],
  { encoding: 'utf8' },
);
if (result.status !== 0) console.warn(`compile cache not warmed (generation failed):\n${result.stderr}`);
rmSync(out, { recursive: true, force: true });
