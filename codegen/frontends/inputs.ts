/**
 * What a user may name as one input on the command line: a document, several joined with commas
 * (`qmp-commands.txt,qmp-events.txt`), or a release folder holding QEMU's documents (its text
 * documents, or else its schema's entry file).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionClosedError, QmpError, QmpProtocolError, QmpTimeoutError } from '../../runtime/index.js';
import { InputError, readModel, type ReadOptions } from './index.js';
import { liveTarget, readLiveModel } from './live.js';
import { SchemaError } from './qapi/errors.js';
import { ConfigurationError, configureModel } from '../ir/conditions.js';
import { ModelFormatError } from '../ir/json.js';
import type { QmpModel } from '../ir/types.js';

const folderLayouts = [
  ['qmp-commands.txt', 'qmp-events.txt'],
  ['qapi-schema/qapi/qapi-schema.json'],
  ['qapi-schema/qapi-schema.json'],
  ['qapi/qapi-schema.json'],
  ['qapi-schema.json'],
];

export function expandInput(spec: string): string[] {
  if (spec.includes(',') && !existsSync(spec)) return spec.split(',').flatMap(expandInput);
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    for (const layout of folderLayouts) {
      const files = layout.map((f) => join(spec, f)).filter((f) => existsSync(f));
      if (files.length > 0) return files;
    }
    throw new Error(`${spec}: a folder, but it holds no qmp-commands.txt, qmp-events.txt or qapi-schema.json`);
  }
  return [spec];
}

/**
 * One side of `diff`, or the inputs of `parse`/`generate`/`docs`: documents (as above), IR JSON,
 * or a running QEMU (`unix:PATH`, `HOST:PORT`). A live QEMU's model is already one build's, so
 * `--if` changes nothing there.
 */
export async function loadModel(specs: string[], options: ReadOptions = {}): Promise<QmpModel> {
  if (specs.length === 1) {
    const target = liveTarget(specs[0]!);
    if (target !== undefined) {
      const model = await readLiveModel(specs[0]!, target);
      return options.conditions ? configureModel(model, options.conditions) : model;
    }
  }
  return readModel(specs.flatMap(expandInput), options);
}

/**
 * Whether `error` is the input's fault, not ours: a document of no known kind or a broken schema,
 * or a live input that could not be read (refused, closed, timed out, a file that is not there).
 * Commands print its message as one line; anything else is a defect, and keeps its stack.
 */
export function isInputError(error: unknown): error is Error {
  return (
    error instanceof InputError ||
    error instanceof SchemaError ||
    error instanceof ConfigurationError ||
    error instanceof ModelFormatError ||
    error instanceof ConnectionClosedError ||
    error instanceof QmpTimeoutError ||
    error instanceof QmpProtocolError ||
    error instanceof QmpError ||
    (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string')
  );
}
