/**
 * The light half of the code generator's library (`qmp-sdk/codegen/model`): the intermediate
 * model's types, reading a running QEMU's `query-qmp-schema` into it, and checking JSON values
 * against it. No grammar, no ts-morph, no prettier: what a tool that talks to QEMU needs
 * (`qmp-shell` completes and checks commands with it) without paying for the rest at start-up.
 */
export type * from './ir/types.js';
export { modelFromIntrospection } from './frontends/introspect/index.js';
export { ConformanceChecker, type ConformanceIssue } from './ir/conformance.js';
