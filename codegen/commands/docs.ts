/** `qmp-codegen docs INPUT... --out DIR`: the static HTML reference and its Markdown twin. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel, InputError } from '../frontends/index.js';
import { expandInput } from './inputs.js';
import { entries } from '../emit/reference/view.js';

export async function docsCommand({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  if (positionals.length === 0 || typeof values.out !== 'string') {
    console.error('qmp-codegen docs: give the documents and --out DIR');
    return 2;
  }
  let model;
  try {
    model = readModel(positionals.flatMap(expandInput), { conditions: values.if as string[] | undefined });
  } catch (error) {
    if (error instanceof InputError || (error as Error).name === 'SchemaError') {
      console.error(`qmp-codegen docs: ${(error as Error).message}`);
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
  const title = typeof values.title === 'string' ? values.title : `QMP reference${model.source.release ? ` — QEMU ${model.source.release}` : ''}`;
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'index.html'), renderHtml(title, list, typeNames));
  writeFileSync(join(values.out, 'reference.md'), renderMarkdown(title, list, typeNames));
  console.log(`${values.out}: index.html, reference.md (${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types)`);
  return 0;
}
