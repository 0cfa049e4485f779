/** `qmp-codegen docs INPUT... --out DIR`: the static HTML reference and its Markdown twin. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { targets } from '../targets.js';
import { isInputError, loadModel } from '../frontends/inputs.js';
import { entries } from '../emit/reference/view.js';
import type { QmpModel } from '../ir/types.js';

export async function docsCommand({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  if (positionals.length === 0 && values.out === undefined) return docsForTargets();
  if (positionals.length === 0 || typeof values.out !== 'string') {
    console.error('qmp-codegen docs: give the documents and --out DIR (or neither, for every configured target)');
    return 2;
  }
  return writeReference(positionals, values.out, values.if as string[] | undefined, typeof values.title === 'string' ? values.title : undefined);
}

/** `npm run docs`: a reference per configured target under reference/, with an index page. */
async function docsForTargets(): Promise<number> {
  const out = join(packageRoot, 'reference');
  for (const t of targets) {
    // A range target's model is its releases' merged, not its documents read together.
    const load = t.range ? async () => (await import('../generate/read-target.js')).readTarget(t, packageRoot) : undefined;
    const code = await writeReference(
      t.inputs.map((i) => join(packageRoot, i)),
      join(out, t.name),
      t.configuration,
      `QMP reference — ${t.name}`,
      load,
    );
    if (code !== 0) return code;
  }
  const links = targets.map((t) => `<li><a href="${t.name}/index.html">${t.name}</a> (<a href="${t.name}/reference.md">Markdown</a>)</li>`).join('\n');
  writeFileSync(
    join(out, 'index.html'),
    `<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>QMP references</title>\n<h1>QMP references</h1>\n<ul>\n${links}\n</ul>\n</html>\n`,
  );
  console.log(`${join(out, 'index.html')}: the references of ${targets.length} targets`);
  return 0;
}

async function writeReference(
  inputs: string[],
  outDir: string,
  conditions: string[] | undefined,
  givenTitle: string | undefined,
  load: () => Promise<QmpModel> = () => loadModel(inputs, { conditions }),
): Promise<number> {
  let model;
  try {
    model = await load();
  } catch (error) {
    if (isInputError(error)) {
      console.error(`qmp-codegen docs: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const { bindModel } = await import('../emit/typescript/target.js');
  const { signatureText } = await import('../emit/typescript/commands.js');
  const { renderHtml } = await import('../emit/reference/html.js');
  const { renderMarkdown } = await import('../emit/reference/markdown.js');
  const bindings = bindModel(model);
  const signatures = new Map(bindings.commands.map((b) => [b.command.name, signatureText(b)]));
  const list = entries(model, signatures);
  const typeNames = new Set(model.types.map((t) => t.name));
  const title = givenTitle ?? `QMP reference${model.source.release ? ` — QEMU ${model.source.release}` : ''}`;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.html'), renderHtml(title, list, typeNames));
  writeFileSync(join(outDir, 'reference.md'), renderMarkdown(title, list, typeNames));
  console.log(`${outDir}: index.html, reference.md (${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types)`);
  return 0;
}
