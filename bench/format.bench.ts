/**
 * What the formatting fast path buys (issue 18: keep it only where a user feels it): each target's
 * emitted TypeScript printed by `printWithoutPrettier` statement by statement, against prettier
 * formatting the same files, in one process, prettier warmed. The fast path is what a cold
 * generation (no format cache: a first run, a new release, a generator upgrade) pays instead.
 */
import * as prettier from 'prettier';
import { prettierOptions, printWithoutPrettier, splitStatements } from '../codegen/emit/format.js';
import { emitTarget } from '../codegen/emit/typescript/target.js';
import { readTarget } from '../codegen/generate/read-target.js';
import { packageRoot } from '../codegen/paths.js';
import { targets } from '../codegen/targets.js';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await prettier.format('const a = 1;\n', { ...prettierOptions, filepath: 'warm.ts' });
for (const name of ['qemu-2.8.0', 'qemu-7.2.0', 'qemu-10.2.0']) {
  const target = targets.find((t) => t.name === name);
  if (!target) continue;
  const files = emitTarget(readTarget(target, packageRoot), { runtimeImport: '../../runtime/index.js', sourceDescription: name }).files.filter((f) =>
    f.path.endsWith('.ts'),
  );
  let statements = 0;
  let printed = 0;
  const fast: number[] = [];
  const slow: number[] = [];
  for (let run = 0; run < 3; run++) {
    let start = performance.now();
    statements = printed = 0;
    for (const file of files) {
      for (const statement of splitStatements(file.text)) {
        statements++;
        if (printWithoutPrettier(statement) !== undefined) printed++;
      }
    }
    fast.push(performance.now() - start);
    start = performance.now();
    for (const file of files) await prettier.format(file.text, { ...prettierOptions, filepath: file.path });
    slow.push(performance.now() - start);
  }
  const [f, s] = [median(fast), median(slow)];
  console.log(
    `${name}: fast path ${f.toFixed(0)} ms (${printed}/${statements} statements) vs prettier on the same files ${s.toFixed(0)} ms: ${(s / f).toFixed(1)}× (median of 3)`,
  );
}
