/** `qmp-codegen docs INPUT... --out DIR`: the static HTML reference (an index, a page per module, a search) and its Markdown twin. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import { targets, type TargetConfig } from '../targets.js';
import { isInputError, loadModel } from '../frontends/inputs.js';
import type { Location, QmpModel, SchemaModule } from '../ir/types.js';

export async function docsCommand({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  if (positionals.length === 0 && values.out === undefined) return docsForTargets();
  if (positionals.length === 0 || typeof values.out !== 'string') {
    console.error('qmp-codegen docs: give the documents and --out DIR (or neither, for every configured target)');
    return 2;
  }
  const conditions = values.if as string[] | undefined;
  let model;
  try {
    model = await loadModel(positionals, { conditions });
  } catch (error) {
    if (isInputError(error)) {
      console.error(`qmp-codegen docs: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const title = typeof values.title === 'string' ? values.title : `QMP reference${model.source.release ? ` — QEMU ${model.source.release}` : ''}`;
  await writeReference(model, values.out, { title, configuration: conditions });
  return 0;
}

/** `npm run docs`: a reference per configured target under reference/, and the index of targets. */
async function docsForTargets(): Promise<number> {
  const out = join(packageRoot, 'reference');
  const summaries: { name: string; title: string; summary: string }[] = [];
  const histories = await import('../history/index.js');
  const corpus = {
    qemu: histories.releaseHistory(histories.openCorpus(join(packageRoot, 'spec'))),
    qga: histories.releaseHistory(histories.openCorpus(join(packageRoot, 'spec'), { family: 'qga' })),
  };
  for (const t of targets) {
    const { model, modules, places } = await readForDocs(t);
    // Each command's, event's and type's releases, from the documents of every release in spec/.
    const history = corpus[t.name.startsWith('qga-') ? 'qga' : 'qemu'];
    const releases = histories.releasesOf(model, history);
    const title = `QMP reference — ${t.name}`;
    // The folder is the generator's own: what an earlier run wrote and this one would not goes.
    rmSync(join(out, t.name), { recursive: true, force: true });
    summaries.push({
      name: t.name,
      title,
      summary: await writeReference(model, join(out, t.name), {
        title,
        configuration: t.configuration,
        modules,
        places,
        releases,
        targetsHref: '../index.html',
      }),
    });
  }
  const { renderTargetsIndex } = await import('../emit/reference/index.js');
  writeFileSync(join(out, 'index.html'), renderTargetsIndex(summaries));
  console.log(`${join(out, 'index.html')}: the references of ${targets.length} targets`);
  return 0;
}

/** A target's model; a range target's is its releases' merged, with each release's modules to arrange it by. */
async function readForDocs(t: TargetConfig): Promise<{ model: QmpModel; modules?: SchemaModule[][]; places?: Map<string, Location> }> {
  const { readTarget } = await import('../generate/read-target.js');
  const { arrangementOf } = await import('../emit/reference/index.js');
  // A reply named from a documented release is arranged as that release's schema.
  if (t.namesFrom) {
    const model = readTarget(t, packageRoot);
    return { model, ...arrangementOf([readTarget(t.namesFrom, packageRoot), model]) };
  }
  if (!t.range) return { model: readTarget(t, packageRoot) };
  const { mergeReleases } = await import('../range/merge.js');
  const { releaseLabel } = await import('../generate/job.js');
  const releases = t.range.map((r) => ({ label: releaseLabel(r), model: readTarget(r, packageRoot) }));
  return { model: mergeReleases(releases), ...arrangementOf(releases.map((r) => r.model)) };
}

async function writeReference(
  model: QmpModel,
  outDir: string,
  options: {
    title: string;
    configuration?: string[] | undefined;
    modules?: SchemaModule[][] | undefined;
    places?: Map<string, Location> | undefined;
    releases?: Map<string, string[]>;
    targetsHref?: string;
  },
): Promise<string> {
  const { referenceFiles, describeSource } = await import('../emit/reference/index.js');
  const description = describeSource(model, options.configuration);
  const files = referenceFiles(model, {
    title: options.title,
    description,
    ...(options.modules ? { modules: options.modules } : {}),
    ...(options.places ? { places: options.places } : {}),
    ...(options.releases ? { releases: options.releases } : {}),
    ...(options.targetsHref ? { targetsHref: options.targetsHref } : {}),
  });
  for (const file of files) {
    mkdirSync(dirname(join(outDir, file.path)), { recursive: true });
    writeFileSync(join(outDir, file.path), file.content);
  }
  const pages = files.filter((f) => f.path.endsWith('.html')).length;
  console.log(`${outDir}: ${pages} pages, reference.md (${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types)`);
  return `${description}: ${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types`;
}
