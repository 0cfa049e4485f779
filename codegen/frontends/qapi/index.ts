/**
 * The QAPI schema front end: a schema's entry file (`qapi-schema.json`) and the files it
 * includes → the IR. Syntax: schema.peggy; doc comments: doc.peggy; QEMU's expression checks:
 * definitions.ts; the IR: model.ts.
 */
import { Diagnostics } from '../../ir/diagnostics.js';
import type { QmpModel } from '../../ir/types.js';
import { configureModel } from '../../ir/conditions.js';
import { checkDefinitions } from './definitions.js';
import { buildModel } from './model.js';
import { checkSchema } from './checks.js';
import { readSchema } from './reader.js';

export { SchemaError } from './errors.js';

export interface SchemaOptions {
  /**
   * Config symbols that are true in the chosen build, or names of presets (see
   * `configurationPresets`); `if` conditions are evaluated against them and what they exclude is
   * left out. Without it every definition is kept, with its `if`.
   */
  conditions?: readonly string[] | undefined;
}

export function parseSchema(entryFile: string, options: SchemaOptions = {}): QmpModel {
  const diagnostics = new Diagnostics();
  const read = readSchema(entryFile, diagnostics);
  const definitions = checkDefinitions(read.expressions, diagnostics);
  const built = buildModel(definitions, diagnostics);
  checkSchema(definitions, read.pragmas, diagnostics);
  const model: QmpModel = {
    irVersion: 1,
    source: { frontend: 'qapi', files: read.files, modules: read.modules },
    commands: built.commands,
    events: built.events,
    types: built.types,
    diagnostics: diagnostics.list,
  };
  const release = /qemu-(\d+\.\d+(?:\.\d+)?)/.exec(entryFile)?.[1];
  if (release !== undefined) model.source.release = release;
  if (options.conditions === undefined) return model;
  return configureModel(model, options.conditions);
}
