/**
 * IR documentation → TSDoc (ts-morph JSDoc structures), so every generated declaration documents
 * itself on hover: description, notes, `@since`, `@deprecated`, `@throws`, `@returns`, `@example`.
 */
import { StructureKind, type JSDocStructure, type JSDocTagStructure } from './ts-morph.js';
import type { Doc, Example } from '../../ir/types.js';

/**
 * Makes document prose safe inside a `/** … *\/` comment: a `*\/` would end it, and QAPI's
 * `@member` references would read as TSDoc tags, so they become code spans.
 */
export function docText(text: string): string {
  return text
    .replace(/\*\//g, '*\u2215')
    .replace(/(^|[\s([{,;"'])@([A-Za-z_][\w.-]*)/g, '$1`$2`')
    .trimEnd();
}

export interface DocParts {
  doc?: Doc | undefined;
  /** A summary used when the documents give no description. */
  fallback?: string;
  since?: string | undefined;
  deprecated?: string | undefined;
  examples?: Example[] | undefined;
  /** Extra free-form paragraphs appended after the description (e.g. where the type came from). */
  extra?: string[];
}

export function jsDoc(parts: DocParts): JSDocStructure | undefined {
  const { doc } = parts;
  const paragraphs: string[] = [];
  const description = doc?.description.trim() || parts.fallback || '';
  if (description) paragraphs.push(docText(description));
  for (const p of parts.extra ?? []) paragraphs.push(docText(p));
  const tags: JSDocTagStructure[] = [];
  const tag = (tagName: string, text?: string): void => {
    tags.push({ kind: StructureKind.JSDocTag, tagName, ...(text ? { text: docText(text) } : {}) });
  };
  for (const note of doc?.notes ?? []) tag('remarks', note);
  for (const section of doc?.sections ?? []) tag('remarks', `${section.title}: ${section.text}`);
  if (doc?.returns) tag('returns', doc.returns);
  for (const error of doc?.errors ?? []) tag('throws', error);
  if (parts.deprecated !== undefined) tag('deprecated', parts.deprecated || 'Deprecated in the QMP documents.');
  if (parts.since) tag('since', parts.since);
  for (const example of parts.examples ?? []) tags.push(exampleTag(example));
  if (paragraphs.length === 0 && tags.length === 0) return undefined;
  return { kind: StructureKind.JSDoc, description: paragraphs.join('\n\n'), tags };
}

function exampleTag(example: Example): JSDocTagStructure {
  const lines = example.messages
    .filter((m) => m.text.trim() !== '')
    .map((m) => (m.direction === 'text' ? m.text : `${m.direction} ${m.text.replace(/\n/g, '\n   ')}`));
  // TSDoc reads the rest of the @example line as the example's title.
  const title = docText(example.title ?? '').replace(/\n/g, ' ');
  // A fenced block keeps the transcript's layout in editors' hovers.
  const body = lines.join('\n').replace(/\*\//g, '*\u2215').replace(/```/g, "'''");
  return { kind: StructureKind.JSDocTag, tagName: 'example', text: `${title}\n\`\`\`text\n${body}\n\`\`\`` };
}
