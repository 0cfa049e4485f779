/**
 * `qmp-codegen generate`: with no inputs, every configured target from `spec/` into `generated/`;
 * with inputs (`--commands F --events F`, `--schema ENTRY`, or documents as positionals) and
 * `--out DIR`, one target. `--check` writes nothing and exits 1 listing every stale file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { InputError } from '../frontends/index.js';
import { isConnectionError, loadModel } from './inputs.js';
import { formatDiagnostic, sortDiagnostics } from '../ir/diagnostics.js';
import type { Diagnostic, QmpModel } from '../ir/types.js';
import { readTarget, targets, upgradeReports, type TargetConfig, type UpgradeReportConfig } from '../targets.js';
import { relocateModel } from '../ir/relocate.js';
import { diffModels } from '../diff/compare.js';
import { renderMarkdown as renderDiffMarkdown } from '../diff/render.js';
import { generateFiles, type Generation } from '../generate/pipeline.js';
import { generatorFingerprint, isUpToDate, writeStamp } from '../generate/stamp.js';
import { FormatPool } from '../emit/format-pool.js';
import { FormatCache } from '../emit/format-cache.js';
import { cacheRoot, packageRoot } from '../paths.js';


export interface Job {
  /** For configured targets: file paths in the model are made relative to this folder. */
  relocateTo?: string;
  name: string;
  inputs: string[];
  outDir: string;
  runtimeImport: string;
  conditions?: string[] | undefined;
}

export async function generateCommand({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  const check = values.check === true;
  let jobs: Job[];
  try {
    jobs = resolveJobs(values, positionals);
  } catch (error) {
    console.error(`qmp-codegen generate: ${(error as Error).message}`);
    return 2;
  }
  if (values.watch === true) {
    const { watchJobs } = await import('../generate/watch.js');
    return watchJobs(jobs);
  }
  let failed = false;
  for (const job of jobs) {
    const result = await runJob(job, { check, verbose: values.verbose === true });
    if (!result) failed = true;
  }
  await (await formatter)?.close();
  const configured = jobs.length > 0 && jobs[0]!.outDir.startsWith(join(packageRoot, 'generated'));
  if (configured && !failed && values.target === undefined) for (const report of upgradeReports) if (!writeUpgradeReport(report, check)) failed = true;
  return failed ? 1 : 0;
}

function resolveJobs(values: Record<string, unknown>, positionals: string[]): Job[] {
  const inputs = [
    ...(typeof values.commands === 'string' ? [values.commands] : []),
    ...(typeof values.events === 'string' ? [values.events] : []),
    ...(typeof values.schema === 'string' ? [values.schema] : []),
    ...(typeof values.from === 'string' ? [values.from] : []),
    ...positionals,
  ];
  const conditions = values.if as string[] | undefined;
  if (inputs.length === 0) {
    if (typeof values.out === 'string') throw new Error('--out needs inputs (--commands/--events, --schema, or documents)');
    const wanted = values.target as string[] | undefined;
    const unknown = wanted?.filter((w) => !targets.some((t) => t.name === w)) ?? [];
    if (unknown.length > 0) throw new Error(`no configured target ${unknown.join(', ')} (there are ${targets.map((t) => t.name).join(', ')})`);
    return targets.filter((t) => !wanted || wanted.includes(t.name)).map((t) => ({
      name: t.name,
      inputs: t.inputs.map((i) => join(packageRoot, i)),
      relocateTo: packageRoot,
      outDir: join(packageRoot, 'generated', t.name),
      runtimeImport: '../../runtime/index.js',
      conditions: t.configuration,
    }));
  }
  if (typeof values.out !== 'string') throw new Error('name the output folder with --out DIR');
  const outDir = resolve(values.out);
  return [
    {
      name: relative(process.cwd(), outDir) || '.',
      inputs,
      outDir,
      runtimeImport: typeof values['runtime-import'] === 'string' ? values['runtime-import'] : defaultRuntimeImport(outDir),
      conditions,
    },
  ];
}

/** Inside this project, a relative path to `runtime/`; elsewhere, the installed package's runtime. */
function defaultRuntimeImport(outDir: string): string {
  const rel = relative(packageRoot, outDir);
  if (rel.startsWith('..') || resolve(rel) === rel) return 'qmp-sdk/runtime';
  return relative(outDir, join(packageRoot, 'runtime', 'index.js')).replace(/^(?!\.)/, './');
}

type Loaded = { model: QmpModel; diagnostics: Diagnostic[] } | { error: string };

/** Reads a job's documents; a document that cannot be used is an error message, not a throw. */
export async function loadJob(job: Job): Promise<Loaded> {
  let model: QmpModel;
  try {
    model = await loadModel(job.inputs, { conditions: job.conditions });
    if (job.relocateTo !== undefined) model = relocateModel(model, job.relocateTo);
  } catch (error) {
    if (error instanceof InputError || (error as Error).name === 'SchemaError' || isConnectionError(error)) return { error: (error as Error).message };
    throw error;
  }
  const diagnostics = sortDiagnostics(model.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    return { error: [...errors.map(formatDiagnostic), `${errors.length} errors in the documents; nothing written`].join('\n') };
  }
  return { model, diagnostics };
}

/** Generates a job's files and writes those that differ; returns what it wrote. */
export async function writeJob(job: Job, model: QmpModel): Promise<{ stale: Staleness[]; generation: Generation }> {
  const generation = await generateFiles(model, { runtimeImport: job.runtimeImport, sourceDescription: describeSources(job) }, await formatPool());
  const stale = compare(job.outDir, generation.files);
  mkdirSync(job.outDir, { recursive: true });
  for (const s of stale) {
    const path = join(job.outDir, s.path);
    if (s.state === 'not generated any more') rmSync(path);
    else writeFileSync(path, generation.files.find((f) => f.path === s.path)!.text);
  }
  writeStamp(job.outDir, stampKey(job), sourceFiles(job, model), job.outDir, generation.files);
  return { stale, generation };
}

/** Every document the model was read from (a schema's includes too), as absolute paths. */
export function sourceFiles(job: Job, model: QmpModel): string[] {
  if (model.source.files.length === 0) return job.inputs;
  return model.source.files.map((f) => resolve(job.relocateTo ?? process.cwd(), f));
}

function describeSources(job: Job): string {
  return job.inputs.map((i) => relative(packageRoot, i).replace(/^(\.\.\/)+/, '')).join(', ');
}

function stampKey(job: Job): string {
  return JSON.stringify({ generator: generatorFingerprint(), inputs: job.inputs, conditions: job.conditions, runtime: job.runtimeImport });
}

let formatter: Promise<FormatPool> | undefined;

/** The formatting threads, started on first use and kept for every target of the run. */
function formatPool(): Promise<FormatPool> {
  formatter ??= FormatCache.open(cacheRoot).then(
    (cache) => FormatPool.start(cache),
    () => FormatPool.start(),
  );
  return formatter;
}

async function runJob(job: Job, { check, verbose }: { check: boolean; verbose: boolean }): Promise<boolean> {
  if (!check && isUpToDate(job.outDir, stampKey(job))) {
    console.log(`${job.name}: up to date`);
    return true;
  }
  void formatPool(); // its worker loads prettier while the documents are parsed
  const loaded = await loadJob(job);
  if ('error' in loaded) {
    console.error(`${job.name}: ${loaded.error}`);
    return false;
  }
  const { model, diagnostics } = loaded;
  if (verbose) for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (check) {
    const generation = await generateFiles(model, { runtimeImport: job.runtimeImport, sourceDescription: describeSources(job) }, await formatPool());
    const stale = compare(job.outDir, generation.files);
    if (stale.length === 0) {
      console.log(`${job.name}: fresh`);
      return true;
    }
    console.error(`${job.name}: generated files are stale (run \`qmp-codegen generate\`):`);
    for (const s of stale) console.error(`  ${relative(process.cwd(), join(job.outDir, s.path))}: ${s.state}`);
    return false;
  }
  const { stale, generation } = await writeJob(job, model);
  const warnings = diagnostics.length;
  console.log(`${job.name}: ${stale.length} files written, ${generation.files.length - stale.length} unchanged; ${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types; ${warnings} warnings${verbose || warnings === 0 ? '' : ' (--verbose lists them)'}`);
  for (const note of verbose ? generation.notes : generation.notes.filter((n) => !n.startsWith('  '))) console.log(`  ${note}`);
  return true;
}

/** `generated/upgrades/*.md`: the diff of two configured targets, regenerated and checked with them. */
function writeUpgradeReport(report: UpgradeReportConfig, check: boolean): boolean {
  const path = join(packageRoot, report.out);
  const key = JSON.stringify({ generator: generatorFingerprint(), report });
  if (!check && isUpToDate(path, key)) {
    console.log(`${report.out}: up to date`);
    return true;
  }
  const read = (t: TargetConfig): QmpModel => readTarget(t, packageRoot);
  const [oldModel, newModel] = [read(report.old), read(report.new)];
  const text = renderDiffMarkdown(diffModels(oldModel, newModel));
  const inputs = [...new Set([oldModel, newModel].flatMap((m) => m.source.files.map((f) => join(packageRoot, f))))];
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) {
    if (!check) writeStamp(path, key, inputs, dirname(path), [{ path: basename(path), text }]);
    console.log(`${report.out}: ${check ? 'fresh' : 'up to date'}`);
    return true;
  }
  if (check) {
    console.error(`${report.out}: stale (run \`qmp-codegen generate\`)`);
    return false;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  writeStamp(path, key, inputs, dirname(path), [{ path: basename(path), text }]);
  console.log(`${report.out}: written`);
  return true;
}

export type Staleness = { path: string; state: 'missing' | 'differs' | 'not generated any more' };

function compare(outDir: string, files: { path: string; text: string }[]): Staleness[] {
  const stale: Staleness[] = [];
  for (const file of files) {
    const path = join(outDir, file.path);
    if (!existsSync(path)) stale.push({ path: file.path, state: 'missing' });
    else if (readFileSync(path, 'utf8') !== file.text) stale.push({ path: file.path, state: 'differs' });
  }
  const expected = new Set(files.map((f) => f.path));
  if (existsSync(outDir)) {
    for (const name of readdirSync(outDir)) {
      if (/\.ts$/.test(name) && !expected.has(name)) stale.push({ path: name, state: 'not generated any more' });
    }
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : 1));
}
