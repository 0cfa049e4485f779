/**
 * documents → model → TypeScript files, formatted. Shared by `generate`, `generate --check` and
 * watch mode; writes nothing itself.
 */
import type { QmpModel } from '../ir/types.js';
import { FormatPool } from '../emit/format-pool.js';
import { trace } from '../trace.js';

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
  options: { runtimeImport: string; sourceDescription: string },
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
  const notes: string[] = [];
  for (const c of target.clashes) notes.push(`name clash: ${c.for} is named ${c.given} (${c.wanted} was taken)`);
  const { requests, replies, events, contradictions, skipped } = target.examples;
  notes.push(
    `examples: ${requests} requests, ${replies} replies, ${events} events type-checked; ${contradictions.length} contradict the documents; ${skipped.length} not checkable`,
  );
  for (const c of contradictions) {
    notes.push(`  ${c.loc.file}:${c.loc.line}:${c.loc.column}: ${c.kind} of ${c.subject} contradicts the documents: ${c.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  return { files, notes };
}
