/**
 * The QAPI schema front end: in-process parse time of the 7.2 and 10.2 schemas (warm), the
 * introspection front end on the 7.2 reply, and whole-process `qmp-codegen parse` (`npm run
 * build` first) beside QEMU's own generator on the same schema where `../shared/anchors` exists.
 * Ratios are against baselines measured in this run; the machines are shared and noisy.
 *
 * In-process times use the compiled modules in dist/ (what the CLI runs) when they exist: under
 * tsx every function of the grammars' parsers is wrapped to keep its name, which costs a third.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { modelFromIntrospection as FromIntrospection } from '../codegen/frontends/introspect/index.js';
import type { parseSchema as ParseSchema } from '../codegen/frontends/qapi/index.js';

const root = resolve('.');
const cli = join(root, 'bin/qmp-codegen.js');
const anchors = resolve(root, '../shared/anchors');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const schemas = [
  { release: '7.2', entry: 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json', anchor: 'qapi-gen-7.2' },
  { release: '10.2', entry: 'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json', anchor: 'qapi-gen-10.2' },
];
/** What the later whole `generate` (parse + emit) must not exceed: QEMU 7.2's generator, 1.13 s. */
const inProcessAim = 150;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Median wall time of `run`, and its median CPU time (this process, all threads): on a shared,
 * loaded machine the wall time also counts waiting for a core; the CPU time does not.
 */
function measure(label: string, count: number, run: () => void): number {
  const wall: number[] = [];
  const cpu: number[] = [];
  // No forced gc() between runs: after one, V8 shrinks the heap and the next parse pays to
  // grow it again (measured: four times the CPU), which is not what a warm process sees.
  for (let i = 0; i < count; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const m = median(wall);
  console.log(`${label}: ${m.toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (medians of ${count})`);
  return Math.min(m, median(cpu));
}

function spawnTimed(command: string, args: string[]): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return elapsed;
}

const built = existsSync(join(root, 'dist/codegen/cli.js'));
const from = built ? '../dist/codegen/frontends' : '../codegen/frontends';
const { parseSchema } = (await import(`${from}/qapi/index.js`)) as { parseSchema: typeof ParseSchema };
const { modelFromIntrospection } = (await import(`${from}/introspect/index.js`)) as { modelFromIntrospection: typeof FromIntrospection };
console.log(`in-process times from ${built ? 'dist/ (compiled)' : 'the sources under tsx (dist/ absent)'}`);

// In process, warm: the first parses let the JIT settle, then the median of the next ones.
for (const { release, entry } of schemas) {
  for (let i = 0; i < 3; i++) parseSchema(entry);
  const ms = measure(`parse ${release} schema in process (warm)`, runs * 2, () => parseSchema(entry));
  console.log(`  aim: under ${inProcessAim} ms (CPU, or wall if less) → ${ms < inProcessAim ? 'met' : 'NOT met'}`);
}
const reply = JSON.parse(readFileSync('spec/qemu-7.2.0/query-qmp-schema.json', 'utf8')) as unknown;
for (let i = 0; i < 3; i++) modelFromIntrospection(reply, 'reply.json');
measure('introspection 7.2 reply in process (warm)', runs * 2, () => modelFromIntrospection(reply, 'reply.json'));

// Whole process, as a user runs it, against QEMU's generator on the same schema.
if (!built) {
  console.log('dist/ absent: run `npm run build` first; whole-process times skipped');
} else {
  const scratch = mkdtempSync(join(tmpdir(), 'qmp-qapi-bench-'));
  try {
    for (const { release, entry, anchor } of schemas) {
      const out = join(scratch, `model-${release}.json`);
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(spawnTimed('node', [cli, 'parse', entry, '--out', out, '--quiet']));
      const ours = median(samples);
      console.log(`qmp-codegen parse ${release} (whole process): ${ours.toFixed(0)} ms (median of ${runs})`);
      if (!existsSync(join(anchors, anchor))) {
        console.log(`  ../shared/anchors absent: QEMU generator ratio skipped`);
        continue;
      }
      const theirs: number[] = [];
      for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
        const code = `import sys; sys.path.insert(0, ${JSON.stringify(join(anchors, anchor))}); from qapi.main import main; sys.argv = ['qapi-gen', '-o', ${JSON.stringify(join(scratch, `qemu-${release}-${i}`))}, '-b', ${JSON.stringify(entry)}]; main()`;
        theirs.push(spawnTimed('python3', ['-c', code]));
      }
      const baseline = median(theirs);
      console.log(`QEMU's own generator (${anchor}) on the same schema: ${baseline.toFixed(0)} ms (median of ${theirs.length})`);
      console.log(`qmp-codegen parse ${release} / QEMU generator: ${ours.toFixed(0)} ms (${(ours / baseline).toFixed(2)}× baseline)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
