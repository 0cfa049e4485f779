import type { QmpModel } from '../../ir/types.js';

/** Placeholder until the introspection front end lands. */
export function modelFromIntrospection(_reply: unknown, _file: string): QmpModel {
  throw new Error('introspection front end not built yet');
}
