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

/** Reads IR JSON written by `modelToJson` (e.g. `qmp-codegen parse --out`), checking its shape. */
export function modelFromJson(text: string, file = '<input>'): QmpModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`${file}: not JSON: ${(error as Error).message}`);
  }
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
