/**
 * `qmp-codegen diff OLD NEW`: what changed for a client between two interfaces, on the wire.
 * Exit 0 when nothing breaks a client, 1 when something does, 2 when an input cannot be read;
 * TypeScript notes (a type renamed, the same on the wire) never make it 1.
 */
import { writeFileSync } from 'node:fs';
import { diffModels } from '../diff/compare.js';
import { renderJson, renderMarkdown, renderText } from '../diff/render.js';
import type { QmpModel } from '../ir/types.js';
import { isInputError, loadModel } from '../frontends/inputs.js';
import { defaultDiffConfiguration } from '../targets.js';

export async function diffCommand({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  if (positionals.length !== 2) {
    console.error('qmp-codegen diff: give exactly two inputs, OLD and NEW');
    return 2;
  }
  const format = values.json === true ? 'json' : typeof values.format === 'string' ? values.format : 'text';
  if (!['text', 'json', 'md'].includes(format)) {
    console.error(`qmp-codegen diff: --format is text, json or md, not ${format}`);
    return 2;
  }
  // Without --if, a Linux x86_64 host, as the committed targets: what it compiles out is not missing.
  const conditions = (values.if as string[] | undefined) ?? defaultDiffConfiguration;
  let models: QmpModel[];
  try {
    models = await Promise.all(positionals.map((p) => loadModel([p], { conditions })));
  } catch (error) {
    if (isInputError(error)) {
      console.error(`qmp-codegen diff: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const diff = diffModels(models[0]!, models[1]!);
  const text = format === 'json' ? renderJson(diff) : format === 'md' ? renderMarkdown(diff) : renderText(diff);
  if (typeof values.out === 'string') writeFileSync(values.out, text);
  else process.stdout.write(text);
  return diff.breaking > 0 ? 1 : 0;
}
