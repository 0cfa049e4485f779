/**
 * Re-roots every file path in a model (locations, diagnostics, `source.files` and `modules`) relative to a
 * folder. The configured targets are read by absolute path, wherever the project is checked out;
 * their models, and so the generated files that quote locations, must not depend on that place.
 */
import { isAbsolute, relative } from 'node:path';
import type { QmpModel } from './types.js';

export function relocateModel(model: QmpModel, root: string): QmpModel {
  const rel = (file: string): string => (isAbsolute(file) ? relative(root, file).split('\\').join('/') : file);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record.file === 'string' && typeof record.line === 'number') record.file = rel(record.file);
    for (const [key, value] of Object.entries(record)) {
      // Example messages' parsed JSON is QEMU's data, not ours: never rewritten.
      if (key !== 'json' && typeof value === 'object') visit(value);
    }
  };
  visit(model);
  model.source.files = model.source.files.map(rel);
  for (const module of model.source.modules ?? []) module.file = rel(module.file);
  return model;
}
