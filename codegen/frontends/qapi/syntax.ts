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
import type { codes } from './codes.js';

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
  code: (typeof codes)['missingComma' | 'trailingComma' | 'unknownEscape' | 'docOpenJunk' | 'docOpenMissing' | 'docCloseJunk' | 'docUnterminated'];
  offset: number;
  text?: string;
  /** Where the doc comment a slip is about opens. */
  from?: number;
}

const slipMessages: Record<Slip['code'], (slip: Slip, source: SourceText) => string> = {
  'missing-comma': () => "missing ',' between two members; read as if it were there, as QEMU 1.x did",
  'trailing-comma': () => "',' before the closing bracket; ignored, as QEMU 1.x did",
  'unknown-escape': () => "a backslash before a character other than '\\' in a string: QEMU's parser knows only '\\\\'; read as the character itself",
  'doc-open-junk': (s) => `text after '##' opening a doc comment ('${s.text?.trim()}'); read as its first line`,
  'doc-open-missing': () => "doc comment without its opening '##' line; read from its first '# @' line",
  'doc-close-junk': (s) => `doc comment closed by '##${s.text}' instead of '##'`,
  'doc-unterminated': (s, source) =>
    `doc comment opened at line ${source.locate(s.from ?? s.offset).line} not closed by a '##' line; it ends here, at its last comment line`,
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
    diagnostics.warn(slip.code, slipMessages[slip.code](slip, source), source.locate(slip.offset));
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
    if (open !== undefined)
      return new SchemaError(source.locate(offset - at.column + 1 + open), 'missing terminating "\'" (the string runs to the end of the line)');
  }
  return new SchemaError(at, inSchemaTerms(source.text, offset, error));
}

/** What peggy's expectation may hold: a literal token, a character class, a rule's name, the end. */
interface Expectation {
  type: 'literal' | 'class' | 'any' | 'end' | 'other';
  text?: string;
  description?: string;
}

/**
 * Peggy's `Expected "#", "'", "}", or [ \t\r\n\x0C\x0B] but "," found` in the schema's terms:
 * what may stand there (a key, a value, `:`, `,` or a closing bracket; spaces and comments always
 * may, so they go unsaid) and what does, with the slip it most likely is.
 */
function inSchemaTerms(text: string, offset: number, error: PeggySyntaxError): string {
  const expected = ((error.expected ?? []) as Expectation[]).filter(
    (e) => e.type !== 'class' && !(e.type === 'literal' && (e.text === '#' || e.text === '##')),
  );
  const literals = new Set(expected.filter((e) => e.type === 'literal').map((e) => e.text));
  const wanted: string[] = [];
  const isValue = literals.has('{') && literals.has('[') && literals.has("'");
  if (isValue && literals.has('true')) wanted.push("a value ('string', true, false, {...} or [...])");
  else if (literals.has('{') && expected.some((e) => e.type === 'end')) wanted.push('a new definition ({ ... })');
  else if (literals.has("'")) wanted.push(literals.has('}') ? "a key ('name')" : "a 'string'");
  for (const token of [':', ',', '}', ']']) if (literals.has(token)) wanted.push(token === ':' ? "':' after the key" : `'${token}'`);
  if (expected.some((e) => e.type === 'end')) wanted.push('the end of the file');
  const found = error.found ?? '';
  const before = text.slice(0, offset).trimEnd().at(-1) ?? '';
  let cause = '';
  if (found === '"') cause = "QAPI strings take single quotes: 'name'";
  else if (found === ',' && (before === ',' || before === '{' || before === '[')) cause = 'a comma with nothing before it';
  else if (/[0-9-]/.test(found)) cause = "QAPI has no numbers: a value is a 'string', true, false, an object or a list";
  else if (/[A-Za-z_]/.test(found)) cause = "a bare word: names are quoted ('name')";
  else if (found === ';') cause = "members are separated by ','";
  else if (found === '}' || found === ']') {
    const open = unclosedBracket(text.slice(0, offset));
    const closes = open !== undefined && (text[open] === '{') === (found === '}');
    if (open === undefined) cause = 'nothing is open for it to close';
    else if (!closes) {
      const line = text.slice(0, open).split('\n').length;
      cause = `it does not close the '${text[open]}' opened at line ${line}, column ${open - text.lastIndexOf('\n', open - 1)}`;
    } else if (literals.has(':')) cause = 'a key without its value';
  }
  const alternatives = wanted.length <= 1 ? (wanted[0] ?? 'something else') : `${wanted.slice(0, -1).join(', ')} or ${wanted.at(-1)}`;
  const shown = found === '\n' || found === '\r' ? 'the end of the line' : found === "'" ? `"'"` : `'${found}'`;
  return `expected ${alternatives} here, found ${shown}${cause ? ` (${cause})` : ''}`;
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
