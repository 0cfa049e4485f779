/**
 * The code generator as a library (`qmp-sdk/codegen`): the same steps the CLI runs, for build
 * scripts that regenerate bindings themselves.
 */
export * from './model.js';
export { Diagnostics, formatDiagnostic, sortDiagnostics } from './ir/diagnostics.js';
export { modelToJson, modelFromJson, ModelFormatError } from './ir/json.js';
export { readModel, classifyInputs, InputError, type ReadOptions } from './frontends/index.js';
export { detectInput, type InputKind } from './frontends/detect.js';
export { generateFiles, type Generation, type GeneratedFile } from './generate/pipeline.js';
export { diffModels, type Change, type ChangeKind, type ModelDiff } from './diff/compare.js';
export { renderText as renderDiffText, renderJson as renderDiffJson, renderMarkdown as renderDiffMarkdown } from './diff/render.js';
