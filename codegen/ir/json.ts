import { locateJsonError } from '../../runtime/json.js';
import type { QmpModel } from './types.js';

/**
 * The IR's JSON form is the model itself, stringified with two-space indentation and a final
 * newline, so that committed models diff well and the same model gives the same bytes.
 */
export function modelToJson(model: QmpModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/**
 * `text`, read from `file`, as JSON; where it is not, a `ModelFormatError` names the file, line
 * and column of the fault and shows the line (JSON.parse says only "at position 60").
 */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = text.indexOf('\n', at);
    const line = text.slice(0, lineStart).split('\n').length;
    const lineText = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    const shown = lineText.length > 120 ? lineText.slice(Math.max(0, at - lineStart - 60), at - lineStart + 60) : lineText;
    const caret = ' '.repeat(lineText.length > 120 ? Math.min(60, at - lineStart) : at - lineStart);
    const what =
      at >= text.trimEnd().length
        ? 'the text ends before the JSON value does (a bracket or a string is never closed)'
        : `unexpected ${JSON.stringify(text[at])}${likelyCause(text, at)}`;
    throw new ModelFormatError(`${file}:${line}:${at - lineStart + 1}: not JSON: ${what}\n  ${shown}\n  ${caret}^`);
  }
}

/** The slip a JSON fault at `at` most likely is, judged from the characters around it. */
function likelyCause(text: string, at: number): string {
  const before = text.slice(0, at).trimEnd().at(-1) ?? '';
  const here = text[at]!;
  if ((here === '}' || here === ']') && before === ',') return ' (a trailing comma, which JSON does not allow)';
  if (here === ',' && (before === ',' || before === '[' || before === '{')) return ' (a comma with no value before it)';
  if (/["{[\d\-tfn]/.test(here) && /["}\]\del]/.test(before)) return ' (a comma missing before it?)';
  if (here === "'") return ' (JSON strings take double quotes)';
  return '';
}

/** Reads IR JSON written by `modelToJson` (e.g. `qmp-codegen parse --out`), checking its shape. */
export function modelFromJson(text: string, file = '<input>'): QmpModel {
  const value = parseJsonFile(text, file);
  if (typeof value !== 'object' || value === null) throw new ModelFormatError(`${file}: not an IR object`);
  const model = value as Partial<QmpModel>;
  if (model.irVersion !== 1) {
    throw new ModelFormatError(`${file}: irVersion ${String(model.irVersion)} is not supported (expected 1)`);
  }
  for (const key of ['commands', 'events', 'types', 'diagnostics'] as const) {
    if (!Array.isArray(model[key])) throw new ModelFormatError(`${file}: "${key}" must be an array`);
  }
  return model as QmpModel;
}
