import { writeFileSync } from 'node:fs';
import { isInputError, loadModel } from '../frontends/inputs.js';
import { formatDiagnostic, sortDiagnostics } from '../ir/diagnostics.js';
import { modelToJson } from '../ir/json.js';

/** `qmp-codegen parse FILE... [--out F]`: exit 0 with warnings, 1 when an input cannot be read. */
export async function parseCommand({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  if (positionals.length === 0) {
    console.error('qmp-codegen parse: name at least one document');
    return 2;
  }
  let model;
  try {
    model = await loadModel(positionals, { conditions: values.if as string[] | undefined });
  } catch (error) {
    if (isInputError(error)) {
      console.error(`qmp-codegen parse: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (!values.quiet) for (const d of sortDiagnostics(model.diagnostics)) console.error(formatDiagnostic(d));
  const json = modelToJson(model);
  if (typeof values.out === 'string') writeFileSync(values.out, json);
  else process.stdout.write(json);
  return model.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
