#!/usr/bin/env node
// npm run bench [NAME...]: runs bench/*.bench.ts one after another, each in its own process (so
// one bench's heap and JIT state do not colour another's). Every bench measures its own baseline
// in the same run and prints ratios: the machines are shared and noisy, absolute times are not
// comparable across runs. `npm run build` first: whole-process benches time the compiled CLI.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, file)], {
    stdio: 'inherit',
    cwd: join(here, '..'),
  });
  if (run.status !== 0) {
    failed++;
    console.log(`${file}: exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;
