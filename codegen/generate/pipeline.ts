/**
 * documents → model → TypeScript files, formatted. Shared by `generate`, `generate --check` and
 * watch mode; writes nothing itself.
 */
import type { QmpModel } from '../ir/types.js';
import { FormatPool } from '../emit/format-pool.js';
import { trace } from '../trace.js';
import { JsonSchemaEmitter } from '../emit/jsonschema/schema.js';
import { renderRangeReport } from '../range/report.js';

/**
 * `schema.json`: the target's JSON Schema (every command's arguments and return, every event's
 * data, named types under `$defs`), for validating what a QEMU sends or a user passes; exported
 * as `qmp-sdk/<target>/schema.json`.
 */
function schemaFile(model: QmpModel, id: string, sourceDescription: string): GeneratedFile {
  const schema = new JsonSchemaEmitter(model).targetSchema(model, { id, title: `QMP commands and events of ${sourceDescription}` });
  return { path: 'schema.json', text: `${JSON.stringify(schema, null, 2)}\n` };
}

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface Generation {
  files: GeneratedFile[];
  /** One line each, for the user: name clashes, contradicting examples, skipped examples. */
  notes: string[];
}

export interface Formatter {
  formatFiles(files: { path: string; text: string }[]): Promise<GeneratedFile[]>;
}

/** Formats in this thread. */
const inProcess: Formatter = FormatPool.inProcess();

export async function generateFiles(
  model: QmpModel,
  options: { runtimeImport: string; sourceDescription: string; schemaId?: string; regenerate?: string },
  formatter: Formatter = inProcess,
): Promise<Generation> {
  // ts-morph is loaded only when something must be emitted.
  trace('model read');
  const { emitTarget } = await import('../emit/typescript/target.js');
  trace('ts-morph loaded');
  const target = emitTarget(model, options);
  trace('emitted');
  const files = await formatter.formatFiles(target.files);
  trace('formatted');
  files.push(schemaFile(model, options.schemaId ?? 'schema.json', options.sourceDescription));
  const notes: string[] = [];
  if (model.source.frontend === 'range') {
    // A range target says what it leaves out and where its releases conflict (RANGE.md).
    files.push({ path: 'RANGE.md', text: renderRangeReport(model) });
    const count = (code: string): number => model.diagnostics.filter((d) => d.code === code).length;
    notes.push(
      `range of QEMU ${(model.source.releases ?? []).join(', ')}: ${count('range-conflict')} conflicts, ${count('range-absent')} commands and events and ${count('range-left-out')} sent members, values and examples left out (RANGE.md)`,
    );
  }
  for (const c of target.clashes) notes.push(`name clash: ${c.for} is named ${c.given} (${c.wanted} was taken)`);
  const { requests, replies, events, contradictions, skipped } = target.examples;
  notes.push(
    `examples: ${requests} requests, ${replies} replies, ${events} events type-checked; ${contradictions.length} contradict the documents; ${skipped.length} not checkable`,
  );
  for (const c of contradictions) {
    notes.push(
      `  ${c.loc.file}:${c.loc.line}:${c.loc.column}: ${c.kind} of ${c.subject} contradicts the documents: ${c.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return { files, notes };
}
