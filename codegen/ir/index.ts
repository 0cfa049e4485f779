export type * from './types.js';
export { Diagnostics, formatDiagnostic, sortDiagnostics } from './diagnostics.js';
export { modelToJson, modelFromJson, ModelFormatError } from './json.js';
