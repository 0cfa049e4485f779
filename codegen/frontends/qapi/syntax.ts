/**
 * Typed access to schema.peggy: one file's text → its top-level expressions and doc comments,
 * with the slips QEMU tolerated reported as located warnings, and a syntax error thrown as a
 * `SchemaError` naming the place and what was expected there.
 */
import { parse, SyntaxError as PeggySyntaxError } from './schema.parser.js';
import type { Diagnostics } from '../../ir/diagnostics.js';
import { SchemaError } from './errors.js';
import type { SourceText } from './source.js';
import type { DocLine } from './doc-lines.js';

export type SchemaValue = SchemaObject | SchemaArray | SchemaString | SchemaBoolean;

export interface SchemaObject {
  kind: 'object';
  offset: number;
  entries: SchemaEntry[];
}

export interface SchemaEntry {
  key: string;
  keyOffset: number;
  value: SchemaValue;
}

export interface SchemaArray {
  kind: 'array';
  offset: number;
  items: SchemaValue[];
}

export interface SchemaString {
  kind: 'string';
  offset: number;
  value: string;
}

export interface SchemaBoolean {
  kind: 'boolean';
  offset: number;
  value: boolean;
}

/** A `##` block, its lines told apart by doc.peggy; `heading` follows `##` (normally nothing). */
export interface DocCommentText {
  kind: 'doc';
  offset: number;
  heading: string;
  lines: DocLine[];
}

export type TopLevelItem = SchemaObject | DocCommentText;

interface Slip {
  code: 'missing-comma' | 'trailing-comma' | 'doc-open-junk' | 'doc-open-missing' | 'doc-close-junk' | 'doc-unterminated';
  offset: number;
  text?: string;
}

const slipMessages: Record<Slip['code'], (slip: Slip) => string> = {
  'missing-comma': () => "missing ',' between two members; read as if it were there, as QEMU 1.x did",
  'trailing-comma': () => "',' before the closing bracket; ignored, as QEMU 1.x did",
  'doc-open-junk': (s) => `text after '##' opening a doc comment ('${s.text?.trim()}'); read as its first line`,
  'doc-open-missing': () => "doc comment without its opening '##' line; read from its first '# @' line",
  'doc-close-junk': (s) => `doc comment closed by '##${s.text}' instead of '##'`,
  'doc-unterminated': () => "doc comment not closed by a '##' line; it ends at the first line that is not a comment",
};

export function parseSchemaText(source: SourceText, diagnostics: Diagnostics): TopLevelItem[] {
  let result: { items: TopLevelItem[]; slips: Slip[] };
  try {
    result = parse(source.text) as { items: TopLevelItem[]; slips: Slip[] };
  } catch (error) {
    if (error instanceof PeggySyntaxError) throw syntaxError(source, error);
    throw error;
  }
  for (const slip of result.slips) {
    diagnostics.warn(slip.code, slipMessages[slip.code](slip), source.locate(slip.offset));
  }
  return result.items;
}

/** Peggy's "Expected …" names tokens; at the end of input the open bracket is the real news. */
function syntaxError(source: SourceText, error: PeggySyntaxError): SchemaError {
  const offset = error.location.start.offset;
  if (error.found === null) {
    const open = unclosedBracket(source.text);
    if (open !== undefined) {
      return new SchemaError(source.locate(open), `'${source.text[open]}' is never closed (the file ends first)`);
    }
    return new SchemaError(source.locate(offset), 'unexpected end of file');
  }
  const at = source.locate(offset);
  if (at.column === 1 && source.text[offset] === '{') {
    const open = unclosedBracket(source.text.slice(0, offset));
    if (open !== undefined) {
      const from = source.locate(open);
      return new SchemaError(from, `'${source.text[open]}' is not closed before the next definition at line ${at.line}`);
    }
  }
  if (error.found === '\n' || error.found === '\r') {
    const open = openQuote(source.text.slice(offset - at.column + 1, offset));
    if (open !== undefined) return new SchemaError(source.locate(offset - at.column + 1 + open), 'missing terminating "\'" (the string runs to the end of the line)');
  }
  return new SchemaError(at, error.message.replace(/\.$/, ''));
}

/** Where the string left open on this line starts, if one is. */
function openQuote(line: string): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < line.length; i++) {
    if (open === undefined && line[i] === '#') return undefined;
    if (open !== undefined && line[i] === '\\') i++;
    else if (line[i] === "'") open = open === undefined ? i : undefined;
  }
  return open;
}

/** The innermost bracket still open at the end of the text (strings and comments skipped). */
function unclosedBracket(text: string): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === "'") {
      while (++i < text.length && text[i] !== "'" && text[i] !== '\n') if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') open.push(i);
    else if (c === '}' || c === ']') open.pop();
  }
  return open.at(-1);
}
