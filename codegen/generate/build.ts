/**
 * The expensive half of `generate`: reading documents into a model, emitting and formatting
 * files, writing what differs, and the upgrade reports. Loaded only when a target is not up to
 * date, so a regeneration that finds nothing to do never loads a front end, ts-morph or prettier.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isInputError, loadModel } from '../frontends/inputs.js';
import { formatDiagnostic, sortDiagnostics } from '../ir/diagnostics.js';
import type { Diagnostic, QmpModel } from '../ir/types.js';
import { relocateModel } from '../ir/relocate.js';
import { diffModels } from '../diff/compare.js';
import { renderMarkdown as renderDiffMarkdown } from '../diff/render.js';
import { generateFiles, type Generation } from './pipeline.js';
import { writeStamp } from './stamp.js';
import { FormatPool } from '../emit/format-pool.js';
import { FormatCache } from '../emit/format-cache.js';
import { cacheRoot, packageRoot } from '../paths.js';
import type { TargetConfig, UpgradeReportConfig } from '../targets.js';
import { readTarget } from './read-target.js';
import { reportStampKey, stampKey, type Job, type RangeRelease } from './job.js';
import { mergeReleases, RangeMergeError } from '../range/merge.js';
import { NamesFromError } from './names-from.js';
import { describeModel, namingFiles, withAgentInfo, withReleaseNames } from './introspected.js';

type Loaded = { model: QmpModel; diagnostics: Diagnostic[] } | { error: string };

/** Reads a job's documents; a document that cannot be used is an error message, not a throw. */
export async function loadJob(job: Job): Promise<Loaded> {
  if (job.range) return loadRange(job, job.range);
  let model: QmpModel;
  try {
    model = await loadModel(job.inputs, { conditions: job.conditions });
    if (job.relocateTo !== undefined) model = relocateModel(model, job.relocateTo);
    model = withAgentInfo(model, job.agentInfo);
    model = withReleaseNames(model, job.namesFrom).model;
  } catch (error) {
    if (isInputError(error) || error instanceof NamesFromError) return { error: error.message };
    throw error;
  }
  return checked(model);
}

/** Each release read as a target of its own (its errors stop the job), then merged. */
async function loadRange(job: Job, releases: RangeRelease[]): Promise<Loaded> {
  const models: { label: string; model: QmpModel }[] = [];
  for (const release of releases) {
    const loaded = await loadJob({
      ...job,
      name: `${job.name} (QEMU ${release.label})`,
      inputs: release.inputs,
      conditions: release.conditions,
      range: undefined,
      namesFrom: release.namesFrom,
      agentInfo: release.agentInfo,
    });
    if ('error' in loaded) return { error: `QEMU ${release.label}: ${loaded.error}` };
    models.push({ label: release.label, model: loaded.model });
  }
  try {
    return checked(mergeReleases(models));
  } catch (error) {
    if (error instanceof RangeMergeError) return { error: error.message };
    throw error;
  }
}

function checked(model: QmpModel): Loaded {
  const diagnostics = sortDiagnostics(model.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    return { error: [...errors.map(formatDiagnostic), `${errors.length} errors in the documents; nothing written`].join('\n') };
  }
  return { model, diagnostics };
}

/** A configured target's schema is the package's `qmp-sdk/<target>/schema.json`; a user's is named after its folder. */
function schemaId(job: Job): string {
  return job.relocateTo !== undefined ? `qmp-sdk/${job.name}/schema.json` : `${basename(job.outDir)}/schema.json`;
}

/** A job's files, emitted and formatted, in memory. */
export async function generateJob(job: Job, model: QmpModel): Promise<Generation> {
  return generateFiles(
    model,
    {
      runtimeImport: job.runtimeImport,
      sourceDescription: describeModel(model, describeSources(job), job.namesFrom, job.agentInfo),
      schemaId: schemaId(job),
      ...(job.regenerate !== undefined ? { regenerate: job.regenerate } : {}),
    },
    await formatPool(),
  );
}

/** Generates a job's files and writes those that differ; returns what it wrote. */
export async function writeJob(job: Job, model: QmpModel): Promise<{ stale: Staleness[]; generation: Generation }> {
  const generation = await generateJob(job, model);
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
  const naming = job.namesFrom ? namingFiles(job.namesFrom) : [];
  if (model.source.files.length === 0) return [...job.inputs, ...naming];
  return [...model.source.files.map((f) => resolve(job.relocateTo ?? process.cwd(), f)), ...naming];
}

export function describeSources(job: Job): string {
  return job.inputs.map((i) => relative(packageRoot, i).replace(/^(\.\.\/)+/, '')).join(', ');
}

let formatter: Promise<FormatPool> | undefined;

/** The format cache, or none where its folder cannot be made (a read-only install): formatting still works. */
function formatCache(): FormatCache | undefined {
  try {
    return FormatCache.open(cacheRoot);
  } catch {
    return undefined;
  }
}

/** The formatting threads, started on first use and kept for every target of the run. */
export function formatPool(): Promise<FormatPool> {
  formatter ??= Promise.resolve(FormatPool.start(formatCache()));
  return formatter;
}

export async function closeFormatPool(): Promise<void> {
  await (await formatter)?.close();
}

/**
 * `generated/upgrades/*.md`: the diff of two configured targets, regenerated (or, with `check`,
 * compared) with them. Returns what it found or did.
 */
export function writeUpgradeReport(report: UpgradeReportConfig, check: boolean): 'fresh' | 'up to date' | 'written' | 'stale' {
  const path = join(packageRoot, report.out);
  const key = reportStampKey(report);
  const read = (t: TargetConfig): QmpModel => readTarget(t, packageRoot);
  const [oldModel, newModel] = [read(report.old), read(report.new)];
  const text = renderDiffMarkdown(diffModels(oldModel, newModel));
  const inputs = [...new Set([oldModel, newModel].flatMap((m) => m.source.files.map((f) => join(packageRoot, f))))];
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) {
    if (!check) writeStamp(path, key, inputs, dirname(path), [{ path: basename(path), text }]);
    return check ? 'fresh' : 'up to date';
  }
  if (check) return 'stale';
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  writeStamp(path, key, inputs, dirname(path), [{ path: basename(path), text }]);
  return 'written';
}

export type Staleness = { path: string; state: 'missing' | 'differs' | 'not generated any more' };

export function compare(outDir: string, files: { path: string; text: string }[]): Staleness[] {
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
