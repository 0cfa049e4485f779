/**
 * `qmp-codegen generate`: with no inputs, every configured target from `spec/` into `generated/`;
 * with inputs (`--commands F --events F`, `--schema ENTRY`, or documents as positionals) and
 * `--out DIR`, one target. `--check` writes nothing and exits 1 listing every stale file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { formatDiagnostic } from '../ir/diagnostics.js';
import { targets, upgradeReports, type TargetConfig } from '../targets.js';
import { isUpToDate } from '../generate/stamp.js';
import { releaseLabel, reportStampKey, stampKey, type Job, type RangeRelease } from '../generate/job.js';
import { packageRoot } from '../paths.js';
import { detectInput } from '../frontends/detect.js';
import { configuredRegenerate, resolveNamesFrom, targetNamesFrom } from '../generate/names-from.js';

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
  const configured = jobs.length > 0 && jobs[0]!.outDir.startsWith(join(packageRoot, 'generated'));
  if (configured && !failed && values.target === undefined) {
    for (const report of upgradeReports) {
      if (!check && isUpToDate(join(packageRoot, report.out), reportStampKey(report))) console.log(`${report.out}: up to date`);
      else {
        const state = (await import('../generate/build.js')).writeUpgradeReport(report, check);
        if (state !== 'stale') console.log(`${report.out}: ${state}`);
        else {
          console.error(`${report.out}: stale (run \`qmp-codegen generate\`)`);
          failed = true;
        }
      }
    }
  }
  if (jobs.some((j) => j.built)) await (await import('../generate/build.js')).closeFormatPool();
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
  if (inputs.length === 0 && values.range === undefined) {
    if (typeof values.out === 'string') throw new Error('--out needs inputs (--commands/--events, --schema, or documents)');
    // The configured targets are this package's own, built from its spec/, which only its source
    // checkout has: in a user's project, no inputs is a slip, not a request to rebuild the package.
    if (!isWithin(process.cwd(), packageRoot) || !existsSync(join(packageRoot, 'spec'))) throw new Error(noInputs);
    const wanted = values.target as string[] | undefined;
    const unknown = wanted?.filter((w) => !targets.some((t) => t.name === w)) ?? [];
    if (unknown.length > 0) throw new Error(`no configured target ${unknown.join(', ')} (there are ${targets.map((t) => t.name).join(', ')})`);
    return targets
      .filter((t) => !wanted || wanted.includes(t.name))
      .map((t) => ({
        name: t.name,
        inputs: t.inputs.map((i) => join(packageRoot, i)),
        relocateTo: packageRoot,
        outDir: join(packageRoot, 'generated', t.name),
        runtimeImport: '../../runtime/index.js',
        conditions: t.configuration,
        ...(t.range ? { range: t.range.map(configuredRelease) } : {}),
        ...(t.namesFrom ? { namesFrom: targetNamesFrom(t.namesFrom) } : {}),
        ...(t.agentInfo ? { agentInfo: join(packageRoot, t.agentInfo) } : {}),
        ...(configuredRegenerate(t) !== undefined ? { regenerate: configuredRegenerate(t) } : {}),
      }));
  }
  if (typeof values.out !== 'string') throw new Error('name the output folder with --out DIR');
  const outDir = resolve(values.out);
  const range = rangeReleases(values, inputs, conditions);
  const namesFrom = typeof values['names-from'] === 'string' ? values['names-from'] : undefined;
  if (range && namesFrom !== undefined)
    throw new Error('--names-from names the types of one reply; a range names its types from its newest documented release');
  // A reply (a running QEMU, or a saved query-qmp-schema reply) takes a documented release's names; documents have their own.
  const reply = !range && (typeof values.from === 'string' || (inputs.length === 1 && isReplyFile(inputs[0]!)));
  if (!reply && !range && namesFrom !== undefined)
    throw new Error(`--names-from names the types of a query-qmp-schema reply (--from, or a saved reply); ${inputs.join(', ')} has QEMU's own names`);
  const naming = reply ? resolveNamesFrom(namesFrom, conditions) : undefined;
  return [
    {
      name: relative(process.cwd(), outDir) || '.',
      inputs: range ? range.flatMap((r) => r.inputs) : inputs,
      outDir,
      runtimeImport: typeof values['runtime-import'] === 'string' ? values['runtime-import'] : defaultRuntimeImport(outDir),
      conditions,
      ...(range ? { range } : {}),
      ...(naming ? { namesFrom: naming } : {}),
      regenerate: regenerateCommand(values, positionals),
    },
  ];
}

/** `qmp-codegen generate …` as it was given: what the files' first line says regenerates them. */
function regenerateCommand(values: Record<string, unknown>, positionals: string[]): string {
  const words = ['qmp-codegen', 'generate'];
  for (const flag of ['commands', 'events', 'schema', 'from', 'names-from', 'range', 'out', 'runtime-import']) {
    if (typeof values[flag] === 'string') words.push(`--${flag}`, values[flag]);
  }
  for (const condition of (values.if as string[] | undefined) ?? []) words.push('--if', condition);
  if (values.merge === true) words.push('--merge');
  words.push(...positionals);
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(' ');
}

function configuredRelease(t: TargetConfig): RangeRelease {
  return {
    label: releaseLabel(t),
    inputs: t.inputs.map((i) => join(packageRoot, i)),
    conditions: t.configuration,
    ...(t.namesFrom ? { namesFrom: targetNamesFrom(t.namesFrom) } : {}),
    ...(t.agentInfo ? { agentInfo: join(packageRoot, t.agentInfo) } : {}),
  };
}

/**
 * The releases of a range: `--range A..B`, the configured releases from A to B (`7.2..10.2`
 * takes QEMU's, `qga-7.2.0..qga-10.2.0` the guest agent's), each with its own build
 * configuration; or `--merge`, each input one release (oldest first) under `--if`.
 */
function rangeReleases(values: Record<string, unknown>, inputs: string[], conditions: string[] | undefined): RangeRelease[] | undefined {
  if (typeof values.range === 'string') {
    if (inputs.length > 0 || values.merge === true)
      throw new Error('--range takes the releases from spec/; give no documents with it (--merge merges documents of your own)');
    if (!existsSync(join(packageRoot, 'spec')))
      throw new Error("--range reads this package's spec/, which only its source checkout has; give your releases' documents with --merge");
    const bounds = /^((?:[a-z]+-)?)(\d+(?:\.\d+)*)\.\.(?:[a-z]+-)?(\d+(?:\.\d+)*)$/.exec(values.range);
    if (!bounds) throw new Error(`--range ${values.range}: expected FROM..TO, e.g. 7.2..10.2 or qga-7.2.0..qga-10.2.0`);
    const [, prefix, from, to] = bounds as unknown as [string, string, string, string];
    const family = prefix === '' ? 'qemu-' : prefix;
    const releases = targets.filter(
      (t) =>
        !t.range &&
        t.name.startsWith(family) &&
        /^\d/.test(t.name.slice(family.length)) &&
        compareVersions(releaseLabel(t), from) >= 0 &&
        compareVersions(releaseLabel(t), to, true) <= 0,
    );
    releases.sort((a, b) => compareVersions(releaseLabel(a), releaseLabel(b)));
    const known = targets.filter((t) => !t.range && t.name.startsWith(family)).map((t) => releaseLabel(t));
    if (releases.length < 2)
      throw new Error(
        `--range ${values.range}: ${releases.length === 0 ? 'no' : 'only one'} configured ${family.slice(0, -1)} release in it (there are ${known.join(', ')})`,
      );
    return releases.map(configuredRelease);
  }
  if (values.merge !== true) return undefined;
  if (inputs.length < 2)
    throw new Error(
      '--merge needs two releases or more, each one input (a release folder, schema, introspection reply, IR JSON, documents joined with commas, or a running QEMU), oldest first',
    );
  return inputs.map((input) => ({ label: labelOf(input), inputs: [input], conditions }));
}

/** What a release given as one input is called: the version in its path, else the input as given. */
function labelOf(input: string): string {
  return /qemu-(\d+\.\d+(?:\.\d+)?)/.exec(input)?.[1] ?? input;
}

/** Compares dotted versions; with `prefix`, `10.2` counts as equal to every `10.2.x` (an upper bound). */
function compareVersions(a: string, b: string, prefix = false): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (prefix && i >= y.length) return 0;
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const noInputs =
  'name what to generate from, and where to:\n' +
  '  qmp-codegen generate --schema qemu/qapi/qapi-schema.json --out src/qmp   (a QAPI schema, 2.9 on)\n' +
  '  qmp-codegen generate qmp-commands.txt qmp-events.txt --out src/qmp      (the text documents, 0.13 to 2.8)\n' +
  '  qmp-codegen generate --from /run/vm.qmp --out src/qmp                   (a running QEMU)\n' +
  "with no inputs, generate rebuilds this package's own targets from its spec/, which only its source checkout has";

/** A saved query-qmp-schema reply, told by its content as the front ends tell it (a missing file is theirs to report). */
function isReplyFile(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  return detectInput(text).kind === 'introspection';
}

function isWithin(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Inside this project, a relative path to `runtime/`; elsewhere, the installed package's runtime. */
function defaultRuntimeImport(outDir: string): string {
  const rel = relative(packageRoot, outDir);
  if (rel.startsWith('..') || resolve(rel) === rel) return 'qmp-sdk/runtime';
  return relative(outDir, join(packageRoot, 'runtime', 'index.js')).replace(/^(?!\.)/, './');
}

async function runJob(job: Job, { check, verbose }: { check: boolean; verbose: boolean }): Promise<boolean> {
  if (!check && isUpToDate(job.outDir, stampKey(job))) {
    console.log(`${job.name}: up to date`);
    return true;
  }
  const { compare, generateJob, loadJob, writeJob } = await import('../generate/build.js');
  job.built = true;
  const loaded = await loadJob(job);
  if ('error' in loaded) {
    console.error(`${job.name}: ${loaded.error}`);
    return false;
  }
  const { model, diagnostics } = loaded;
  if (verbose) for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (check) {
    const stale = compare(job.outDir, (await generateJob(job, model)).files);
    if (stale.length === 0) {
      console.log(`${job.name}: fresh`);
      return true;
    }
    console.error(`${job.name}: generated files are stale (run \`qmp-codegen generate\`):`);
    for (const s of stale) console.error(`  ${relative(process.cwd(), join(job.outDir, s.path))}: ${s.state}`);
    return false;
  }
  const { stale, generation } = await writeJob(job, model);
  const warnings = diagnostics.filter((d) => d.severity !== 'info').length;
  const infos = diagnostics.length - warnings;
  const counts = `${warnings} warnings${infos > 0 ? `, ${infos} notes` : ''}`;
  console.log(
    `${job.name}: ${stale.length} files written, ${generation.files.length - stale.length} unchanged; ${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types; ${counts}${verbose || diagnostics.length === 0 ? '' : ' (--verbose lists them)'}`,
  );
  for (const note of verbose ? generation.notes : generation.notes.filter((n) => !n.startsWith('  '))) console.log(`  ${note}`);
  return true;
}
