import type { QmpModel } from '../../ir/types.js';

export interface SchemaOptions {
  /** Config symbols that are true in the chosen build (`if` conditions are evaluated against them). */
  conditions?: readonly string[] | undefined;
}

/** Placeholder until the QAPI schema front end lands. */
export function parseSchema(_entryFile: string, _options: SchemaOptions = {}): QmpModel {
  throw new Error('QAPI schema front end not built yet');
}
