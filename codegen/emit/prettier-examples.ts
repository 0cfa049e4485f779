/**
 * The examples' type-test functions in prettier's form, without prettier's parser: each statement
 * (a call with a JSON argument, a typed constant with a JSON value, comments) is turned into the
 * doc prettier's own JavaScript printer builds for it, and laid out by prettier's doc printer. The
 * docs follow prettier 3's `src/language-js/print/` (object.js, array.js, property.js,
 * assignment.js, call-arguments.js, member-chain.js, variable declarations and blocks) for the few
 * node types a JSON example can hold; the tests compare with prettier on random values.
 */
import { createRequire } from 'node:module';
import type { Doc } from 'prettier';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type DocModule = typeof import('prettier/doc');

let prettierDoc: DocModule | undefined;

/** prettier's doc builders and printer (a small module, without parsers). */
function docModule(): DocModule {
  if (!prettierDoc) {
    prettierDoc = createRequire(import.meta.url)('prettier/doc') as DocModule;
  }
  return prettierDoc;
}

const header = /^export async function [A-Za-z_$][A-Za-z0-9_$]*\(client: QmpCaller\): Promise<void> \{$/;
const call = /^await api\.([A-Za-z_$][A-Za-z0-9_$]*)\(client(?:, (.*))?\);$/;
const constant = /^\{ const _: (Commands|Events)\["([^"\\]*)"\](\['returns'\])? = (.*); \}$/;

/**
 * An examples function (`export async function checkX(client: QmpCaller): Promise<void> {` and
 * its statements, as the emitter prints them) in prettier's form, or undefined.
 */
export function exampleFunction(code: string[], printWidth: number): string[] | undefined {
  if (code.length < 3 || !header.test(code[0]!) || code.at(-1) !== '}') return undefined;
  // The signature breaks as any function's does; none is that long, so the simple case is enough.
  if (code[0]!.length > printWidth) return undefined;
  const statements: Statement[] = [];
  let verbatim = false;
  for (const line of code.slice(1, -1)) {
    const text = line.trim();
    if (verbatim || text.startsWith('//')) {
      // After `// prettier-ignore` and its comments, prettier keeps the statement as written.
      if (text === '// prettier-ignore') verbatim = true;
      else if (!text.startsWith('//')) verbatim = false;
      statements.push({ line: text });
      continue;
    }
    const statement = exampleStatement(text, printWidth);
    if (statement === undefined) return undefined;
    statements.push(statement);
  }
  if (verbatim) return undefined;
  // Most statements fit on their line with no group broken: prettier prints them flat, and so does
  // this, without its doc printer. The others are laid out by it.
  if (statements.every((s) => !('value' in s))) {
    const body = statements.flatMap((s) => ('line' in s ? [`  ${s.line}`] : 'block' in s ? ['  {', `    ${s.block}`, '  }'] : []));
    return [code[0]!, ...body, '}'];
  }
  const d = docModule();
  const { hardline, join, indent } = d.builders;
  const docs = statements.map((s): Doc => {
    if ('line' in s) return s.line;
    if ('block' in s) return ['{', indent([hardline, s.block]), hardline, '}'];
    return s.value(d);
  });
  const body: Doc = [indent([hardline, join(hardline, docs)]), hardline, '}'];
  const { formatted } = d.printer.printDocToString([code[0]!, body], { printWidth, tabWidth: 2, useTabs: false, endOfLine: 'lf' } as never);
  return formatted.split('\n');
}

/** A statement printed flat (a line, or a block around one declaration), or as prettier's doc. */
type Statement = { line: string } | { block: string } | { value: (d: DocModule) => Doc };

/** One statement of an examples function, or undefined when it is not one the emitter writes. */
function exampleStatement(text: string, printWidth: number): Statement | undefined {
  const request = call.exec(text);
  if (request) {
    const args = request[2] === undefined ? undefined : json(request[2]);
    if (args === null) return undefined;
    const flat = args === undefined ? '' : flatValue(args.value);
    const line = flat === undefined ? undefined : `await api.${request[1]}(client${args === undefined ? '' : `, ${flat}`});`;
    if (line !== undefined && line.length + 2 <= printWidth) return { line };
    return { value: (d) => ['await ', d.builders.group(['api', '.', request[1]!, callArguments(d, args)]), ';'] };
  }
  const typed = constant.exec(text);
  if (typed) {
    const value = json(typed[4]!);
    if (value === null || /[^\x20-\x7e]/.test(typed[2]!)) return undefined;
    const type = `${typed[1]}[${printString(typed[2]!)}]${typed[3] ?? ''}`;
    const flat = flatValue(value.value);
    const declaration = flat === undefined ? undefined : `const _: ${type} = ${flat};`;
    if (declaration !== undefined && declaration.length + 4 <= printWidth) return { block: declaration };
    return {
      value: (d) => {
        const { group, indent, hardline } = d.builders;
        return ['{', indent([hardline, group(['const', ' ', assignment(d, ['_', ': ', type], ' =', value.value, false), ';'])]), hardline, '}'];
      },
    };
  }
  return undefined;
}

/**
 * A value on one line as prettier prints it when it fits (`{ a: 1, b: [2, 3] }`), or undefined
 * when some array in it is one prettier always breaks.
 */
function flatValue(value: Json): string | undefined {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) {
    if (alwaysBreaks(value)) return undefined;
    const items = value.map(flatValue);
    return items.some((i) => i === undefined) ? undefined : `[${items.join(', ')}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const members = entries.map(([key, member]) => {
    const flat = flatValue(member);
    return flat === undefined ? undefined : `${printKey(key)}: ${flat}`;
  });
  return members.some((m) => m === undefined) ? undefined : `{ ${members.join(', ')} }`;
}

function scalar(value: null | boolean | number | string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return isNegative(value) ? `-${printNumber(JSON.stringify(value).slice(1))}` : printNumber(JSON.stringify(value));
  return printString(value);
}

/** An array of two or more objects (or arrays) of more than one member each: prettier always breaks it. */
function alwaysBreaks(value: Json[]): boolean {
  return (
    value.length > 1 &&
    value.every((element, i) => {
      const next = value[i + 1];
      if (!isObject(element) && !Array.isArray(element)) return false;
      if (next !== undefined && Array.isArray(next) !== Array.isArray(element)) return false;
      if (next !== undefined && !isObject(next) && !Array.isArray(next)) return false;
      return (Array.isArray(element) ? element.length : Object.keys(element).length) > 1;
    })
  );
}

/** The JSON text as a value, when printing it back gives the same text (so nothing is lost); else null. */
function json(text: string): { value: Json } | null {
  // Non-ASCII text would need prettier's string width (and identifier rules) for keys.
  if (/[^\x20-\x7e]/.test(text)) return null;
  try {
    const value = JSON.parse(text) as Json;
    return JSON.stringify(value) === text ? { value } : null;
  } catch {
    return null;
  }
}

/** `(client)` or `(client, value)`: printCallArguments, hugging a last object or array argument. */
function callArguments(d: DocModule, args: { value: Json } | undefined): Doc {
  const { group, indent, line, softline, ifBreak, conditionalGroup, breakParent } = d.builders;
  if (args === undefined) return group(['(', indent([softline, 'client']), ifBreak(','), softline, ')']);
  const head: Doc[] = [['client', ',', line]];
  const last = valueDoc(d, args.value);
  const allBrokenOut = (): Doc => group(['(', indent([line, ...head, last]), ifBreak(','), line, ')'], { shouldBreak: true });
  const v = args.value;
  const expandable = (isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0 && !isConcise(v));
  if (!expandable) return group(['(', indent([softline, ...head, last]), ifBreak(','), softline, ')'], { shouldBreak: d.utils.willBreak(last) });
  if (d.utils.willBreak(last)) return [breakParent, conditionalGroup([['(', ...head, group(last, { shouldBreak: true }), ')'], allBrokenOut()])];
  return conditionalGroup([['(', ...head, last, ')'], ['(', ...head, group(last, { shouldBreak: true }), ')'], allBrokenOut()]);
}

/** printAssignment, with chooseLayout's cases for a JSON value on the right. */
function assignment(d: DocModule, left: Doc, operator: string, value: Json, isProperty: boolean): Doc {
  const { group, indent, line, lineSuffixBoundary, indentIfBreak } = d.builders;
  const right = valueDoc(d, value);
  // "wrapping object properties with very short keys usually doesn't add much value"
  const shortKey = isProperty && typeof left === 'string' && left.length < 2 + 3;
  let layout: 'break-after-operator' | 'never-break-after-operator' | 'fluid';
  if (typeof value === 'string') layout = shortKey ? 'never-break-after-operator' : 'break-after-operator';
  else if (shortKey || typeof value === 'boolean' || (typeof value === 'number' && !isNegative(value))) layout = 'never-break-after-operator';
  else layout = 'fluid';
  switch (layout) {
    case 'break-after-operator':
      return group([group(left), operator, group(indent([line, right]))]);
    case 'never-break-after-operator':
      return group([group(left), operator, ' ', right]);
    case 'fluid': {
      const groupId = Symbol('assignment');
      return group([group(left), operator, group(indent(line), { id: groupId }), lineSuffixBoundary, indentIfBreak(right, { groupId })]);
    }
  }
}

function valueDoc(d: DocModule, value: Json): Doc {
  if (value === null || typeof value !== 'object') return scalar(value);
  const { group, indent, line, softline, ifBreak, fill, join } = d.builders;
  if (Array.isArray(value)) {
    if (value.length === 0) return group(['[', ']']);
    const id = Symbol('array');
    const shouldBreak = alwaysBreaks(value);
    if (isConcise(value)) {
      const trailingComma = ifBreak(',', '', { groupId: id });
      const parts: Doc[] = [];
      value.forEach((element, i) => {
        if (i > 0) parts.push(line);
        parts.push([valueDoc(d, element), i === value.length - 1 ? trailingComma : ',']);
      });
      return group(['[', indent([softline, fill(parts)]), softline, ']'], { shouldBreak, id });
    }
    const elements = join(
      [',', line],
      value.map((element) => group(valueDoc(d, element))),
    );
    return group(['[', indent([softline, elements, ifBreak(',')]), softline, ']'], { shouldBreak, id });
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return group(['{', '}']);
  const parts = entries.map(([key, member], i): Doc => [i > 0 ? [',', line] : '', group(assignment(d, printKey(key), ':', member, true))]);
  return group(['{', indent([line, ...parts]), ifBreak(','), line, '}']);
}

/** Numbers only (signed too): prettier fills such an array, several to a line. */
function isConcise(value: Json[]): boolean {
  return value.length > 0 && value.every((element) => typeof element === 'number');
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON's `-1` is prettier's unary minus on `1`. */
function isNegative(value: number): boolean {
  return JSON.stringify(value).startsWith('-');
}

/** A key bare when it is an identifier name, else a string (TypeScript: numbers stay quoted). */
function printKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : printString(key);
}

/** prettier's printString with `singleQuote`: single quotes unless the text holds more of them. */
function printString(value: string): string {
  const raw = JSON.stringify(value);
  const content = raw.slice(1, -1);
  const doubles = content.split('"').length - 1;
  const singles = content.split("'").length - 1;
  if (singles > doubles) return raw;
  return `'${content.replace(/\\(["'\\])|(["'])/g, (match: string, escaped?: string, unescaped?: string) => (escaped ? (escaped === '"' ? '"' : match) : unescaped === "'" ? "\\'" : unescaped!))}'`;
}

/** prettier's printNumber. */
function printNumber(raw: string): string {
  if (raw.length === 1) return raw;
  return raw
    .toLowerCase()
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(?=\d)/, '$1$2')
    .replace(/^([+-]?[\d.]+)e[+-]?0+$/, '$1')
    .replace(/^([+-])?\./, '$10.')
    .replace(/(\.\d+?)0+(?=e|$)/, '$1')
    .replace(/\.(?=e|$)/, '');
}
