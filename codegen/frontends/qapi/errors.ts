import type { Location } from '../../ir/types.js';

/**
 * A schema that cannot be read at all (broken syntax, a missing include file): thrown with a
 * `file:line:column: reason` message. Problems that leave the rest readable are diagnostics.
 */
export class SchemaError extends Error {
  override name = 'SchemaError';

  constructor(
    readonly at: Location,
    readonly reason: string,
  ) {
    super(`${at.file}:${at.line}:${at.column}: ${reason}`);
  }
}
