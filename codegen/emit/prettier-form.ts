/**
 * Prints, without prettier, the top-level statements whose prettier form is certain: most of a
 * target's code is plain interfaces, type aliases and one-line command functions, and prettier's
 * parse and print of them is most of a cold generation's time. Everything else goes to prettier.
 *
 * The language handled is deliberately small, and each rule is one prettier follows for TypeScript
 * with `prettierOptions`:
 *
 * - `export type Name = T;` on one line, or for a union too wide, broken after `=` (and one member
 *   a line when it does not fit on the next either), as members with such a union are;
 * - `export interface Name extends A, B {` … `}` whose members each sit on their own line,
 *   `key?: T;` or `[key: string]: T;`, or `key?: {` … `};` (an object type that starts with a line
 *   break stays expanded in prettier's output); no blank lines inside; members re-indented;
 * - `export function name(p: T, q?: U): R {` or `export function name<M extends C>(…): R {` with
 *   one `return` statement: kept when the signature fits, otherwise broken one parameter per line
 *   with a trailing comma, as prettier breaks it, the type parameter staying on the first line (and
 *   a `return` call too wide, one argument per line, or broken inside its cast's `Promise<…>`);
 * - imports (broken one name per line when too wide), re-exports, and `export const a = b as T;`;
 * - every line within the print width (ASCII only, so width is length);
 * - `T` a flat type: references (`A`, `A.B`, `Array<T, U>`, `T[]`, `keyof A`), single-quoted strings without
 *   escapes or quotes, integers, joined all by ` | ` or all by ` & ` (mixing them, parentheses,
 *   inline object types and function types are left to prettier);
 * - keys bare when they are identifiers, quoted only when they must be (`quoteProps: 'as-needed'`);
 * - the examples' type-test functions, laid out by prettier's doc printer (`prettier-examples.ts`);
 * - leading `//` lines and JSDoc placeholders (see `format.ts`) on their own lines, a placeholder
 *   before a member indented as that member.
 *
 * The tests check that prettier leaves every statement printed here unchanged: on the generated
 * targets, on every corpus release, and on random statements built to sit at the print width's edge.
 */
import { exampleFunction } from './prettier-examples.js';

const printWidth = 100;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Words that cannot name a type or a parameter (or that change what follows them in a type). */
const reserved = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends finally for function if import in ' +
    'instanceof new return super switch throw try typeof var while with yield let static implements interface package private ' +
    'protected public await keyof infer is asserts unique readonly declare abstract as out satisfies'
  ).split(' '),
);
const placeholder = /^\/\/@@qmp-codegen-jsdoc:\d+$/;
/** A line comment, or a triple-slash directive (`/// <reference types="node" />`): prettier keeps either. */
const commentLine = /^\/\/ \S|^\/\/\/ <reference [a-z]+="[\w./@-]+"(?: preserve="true")? \/>$/;

/**
 * `statement` (one top-level statement, ending in a newline) as prettier prints it with
 * `prettierOptions`, or undefined when it is outside the language above.
 */
export function prettierForm(statement: string): string | undefined {
  if (!statement.endsWith('\n') || /[^\n\x20-\x7e]/.test(statement)) return undefined;
  const lines = statement.slice(0, -1).split('\n');
  // prettier trims trailing spaces, in comments too.
  if (lines.some((l) => l.endsWith(' '))) return undefined;
  let i = 0;
  while (i < lines.length && (placeholder.test(lines[i]!) || commentLine.test(lines[i]!))) i++;
  const code = lines.slice(i);
  // Only comments (a file's header before a blank line): prettier keeps them as they are.
  if (code.length === 0) return lines.every((l) => commentLine.test(l)) ? statement : undefined;
  if (code.some((l) => l.length === 0)) return undefined;
  const head = code[0]!;
  let printed: string[] | undefined;
  if (/^(?:import|export \*|export type \*|export \{ ?\};)/.test(head)) {
    printed = moduleDeclarations(code);
    if (printed?.some((l) => l.length > printWidth)) return undefined;
  } else if (head.startsWith('export async function ')) {
    // Laid out by prettier's doc printer; comments and prettier-ignored lines may be wider.
    printed = exampleFunction(code, printWidth);
  } else {
    if (head.startsWith('export type ')) printed = typeAlias(code);
    else if (head.startsWith('export const ')) printed = constant(code);
    else if (head.startsWith('export interface ')) printed = interfaceDeclaration(code);
    else if (head.startsWith('export function ')) printed = functionDeclaration(code);
    if (printed?.some((l) => l.length > printWidth)) return undefined;
  }
  if (!printed) return undefined;
  return [...lines.slice(0, i), ...printed, ''].join('\n');
}

function typeAlias(code: string[]): string[] | undefined {
  const alias = /^(export type [A-Za-z_$][\w$]*(?:<[A-Za-z_$][\w$]*(?: extends [A-Za-z_$][\w$]*)?(?: = [A-Za-z_$][\w$]*)?>)?) = (.*);$/.exec(code[0]!);
  if (!alias || code.length !== 1) return undefined;
  if (!isFlatType(alias[2]!)) return taggedUnion(alias[1]!, alias[2]!);
  if (code[0]!.length <= printWidth) return code;
  // A union too wide breaks after `=`: on the next line if it fits there, else one member a line.
  const members = breakableUnion(alias[2]!);
  if (!members) return undefined;
  return [`${alias[1]} =`, ...unionLines(alias[2]!, members, '  ')];
}

/** `export const name = value as T;` on one line (a runtime helper typed for a target). */
function constant(code: string[]): string[] | undefined {
  const m = /^export const [A-Za-z_$][\w$]* = [A-Za-z_$][\w$]* as (.*);$/.exec(code[0]!);
  return m && code.length === 1 && isFlatType(m[1]!) ? code : undefined;
}

/**
 * The emitter's discriminated union, `Base & ({ tag: 'a' } | ({ tag: 'b' } & B))`: one line when it
 * fits; else broken after `&`, the parenthesised union on the next line, or inside the
 * parentheses on one line, or one member a line (prettier's intersection and union layouts).
 */
function taggedUnion(head: string, type: string): string[] | undefined {
  const m = /^([A-Za-z_$][\w$]*) & \((.*)\)$/.exec(type);
  if (!m) return undefined;
  const oneLine = `${head} = ${type};`;
  const first = `${head} = ${m[1]} &`;
  if (/^\{.*\} & [A-Za-z_$][\w$]*$/.test(m[2]!)) {
    // A single branch, `Base & ({ tag: 'a' } & A)`: nothing in it breaks.
    if (!isTag(m[2]!.slice(0, m[2]!.lastIndexOf(' & ')))) return undefined;
    return oneLine.length <= printWidth ? [oneLine] : [first, `  ${type.slice(m[1]!.length + 3)};`];
  }
  const members = splitOutsideBrackets(m[2]!, ' | ');
  const isMember = (member: string): boolean => {
    const both = /^\((\{.*\}) & ([A-Za-z_$][\w$]*)\)$/.exec(member);
    return isTag(member) || (both !== null && isTag(both[1]!));
  };
  if (members.length < 2 || !members.every(isMember)) return undefined;
  if (oneLine.length <= printWidth) return [oneLine];
  const union = members.join(' | ');
  if (`  (${union});`.length <= printWidth) return [first, `  (${union});`];
  if (`    ${union}`.length <= printWidth) return [first, '  (', `    ${union}`, '  );'];
  return [first, '  (', ...members.map((x) => `    | ${x}`), '  );'];
}

/** `{ tag: 'value' }`, its key bare or quoted as prettier prints it. */
function isTag(text: string): boolean {
  const t = /^\{ (?:[A-Za-z_$][\w$]*|'([^'"\\]*)'): '[^'"\\]*' \}$/.exec(text);
  return t !== null && (t[1] === undefined || mustQuote(t[1]));
}

/** `text` split at `separator` where no bracket is open. */
function splitOutsideBrackets(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('({<'.includes(c)) depth++;
    else if (')}>'.includes(c)) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A union's lines below the line it belongs to, at `pad`: all on one, or one member each. */
function unionLines(union: string, members: string[], pad: string): string[] {
  if (pad.length + union.length + 1 <= printWidth) return [`${pad}${union};`];
  return members.map((m, i) => `${pad}| ${m}${i === members.length - 1 ? ';' : ''}`);
}

/**
 * The members of a top-level union that prettier may break over lines; undefined for anything
 * else, and for a union it "hugs" (one named type with `null`s), which it never breaks.
 */
function breakableUnion(text: string): string[] | undefined {
  const members = splitOutsideBrackets(text, ' | ');
  if (members.length < 2 || members.some((m) => splitOutsideBrackets(m, ' & ').length > 1)) return undefined;
  const others = members.filter((m) => m !== 'null' && m !== 'void');
  if (others.length === 1 && !/^['0-9]/.test(others[0]!)) return undefined;
  return members;
}

function interfaceDeclaration(code: string[]): string[] | undefined {
  const head = /^export interface [A-Za-z_$][A-Za-z0-9_$]*(?: extends (.*))? \{$/.exec(code[0]!);
  if (!head || (head[1] !== undefined && !isReferenceList(head[1]))) return undefined;
  // No members: prettier closes the braces on the same line.
  if (code.length === 2 && code[1] === '}') return [`${code[0]}}`];
  const printed = [code[0]!];
  const end = members(code, 1, 1, printed);
  if (end !== code.length - 1 || code[end] !== '}') return undefined;
  printed.push('}');
  return printed;
}

/**
 * Reads members from line `start` up to a closing brace, whatever their indentation (ts-morph
 * indents an object type written into a property oddly; prettier re-indents, and so does this),
 * and prints them at `depth`. Returns the line of the closing brace, or -1.
 */
function members(lines: string[], start: number, depth: number, printed: string[]): number {
  const pad = '  '.repeat(depth);
  let count = 0;
  for (let i = start; i < lines.length;) {
    const line = lines[i]!.trimStart();
    if (placeholder.test(line)) {
      // A JSDoc block belongs to the member after it, and takes that member's indentation.
      if (i + 1 >= lines.length || !isMember(lines[i + 1]!.trimStart())) return -1;
      printed.push(pad + line);
      i++;
      continue;
    }
    if (line === '}' || line === '};') return count > 0 ? i : -1;
    const member = /^(?:([A-Za-z_$][A-Za-z0-9_$]*)|'([^'"\\]*)'|\[[A-Za-z_$][A-Za-z0-9_$]*: string\])\??: (.*)$/.exec(line);
    if (!member || (member[2] !== undefined && !mustQuote(member[2]))) return -1;
    const type = member[3]!;
    printed.push(pad + line);
    if (type === '{') {
      const close = members(lines, i + 1, depth + 1, printed);
      if (close < 0 || lines[close]!.trimStart() !== '};') return -1;
      printed.push(`${pad}};`);
      i = close + 1;
    } else {
      if (!type.endsWith(';') || !isFlatType(type.slice(0, -1))) return -1;
      if (pad.length + line.length > printWidth) {
        // A union too wide breaks after the colon, as under a type alias.
        const union = type.slice(0, -1);
        const members = breakableUnion(union);
        const key = `${pad}${line.slice(0, line.length - type.length - 1)}`;
        const generic = /^([A-Za-z_$][\w$]*)<(.*)>$/.exec(union);
        printed.pop();
        if (members) printed.push(key, ...unionLines(union, members, `${pad}  `));
        else if (generic && splitOutsideBrackets(generic[2]!, ', ').length === 1 && !/^[A-Za-z_$][\w$]*$/.test(generic[2]!)) {
          // `Name<T>` too wide, `T` not a plain name: prettier breaks inside the angle brackets.
          printed.push(`${key} ${generic[1]}<`, `${pad}  ${generic[2]}`, `${pad}>;`);
        } else return -1;
      }
      i++;
    }
    count++;
  }
  return -1;
}

function isMember(line: string): boolean {
  return !placeholder.test(line) && line !== '}' && line !== '};';
}

/**
 * Imports and re-exports, one per line: `import type { A, B } from './x.js';` is broken one name per
 * line when it is too wide and names more than one (prettier never breaks a lone name).
 */
function moduleDeclarations(code: string[]): string[] | undefined {
  const printed: string[] = [];
  for (const line of code) {
    if (line === 'export { };') {
      printed.push('export {};');
      continue;
    }
    if (/^export (?:type )?\* from '[^'\\]*';$/.test(line) || line === 'export {};' || /^import \* as [A-Za-z_$][\w$]* from '[^'\\]*';$/.test(line)) {
      printed.push(line);
      continue;
    }
    const named = /^(import (?:type )?)\{ ([^{}]*) \}( from '[^'\\]*';)$/.exec(line);
    if (!named) return undefined;
    const names = named[2]!.split(', ');
    if (!names.every((n) => identifier.test(n))) return undefined;
    if (line.length <= printWidth || names.length === 1) printed.push(line);
    else printed.push(`${named[1]}{`, ...names.map((n) => `  ${n},`), `}${named[3]}`);
  }
  return printed;
}

/**
 * A command function: the signature on one line when it fits, else one parameter per line. A type
 * parameter (`<Mode extends ClientMode>`, one, with a constraint) stays where it is.
 */
function functionDeclaration(code: string[]): string[] | undefined {
  if (code.length !== 3 || code[2] !== '}') return undefined;
  const head = /^(export function [A-Za-z_$][A-Za-z0-9_$]*(?:<([A-Za-z_$][\w$]*) extends ([^()]*)>)?)\((.*)\): (.*) \{$/.exec(code[0]!);
  const body = /^ {2}return [A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\((.*)\)(?: as (.*))?;$/.exec(code[1]!);
  if (!head || !body) return undefined;
  if (head[2] !== undefined && !(isName(head[2]) && isReferenceList(head[3]!) && !head[3]!.includes(', '))) return undefined;
  const [returns, parameterText] = [head[5]!, head[4]!];
  const parameters = parameterList(parameterText);
  if (!parameters || !isFlatType(returns) || !isArgumentList(body[1]!) || (body[2] !== undefined && !isFlatType(body[2]))) return undefined;
  const signature =
    code[0]!.length <= printWidth ? [code[0]!] : parameters.length > 0 ? [`${head[1]}(`, ...parameters.map((p) => `  ${p},`), `): ${returns} {`] : undefined;
  const statement = code[1]!.length <= printWidth ? [code[1]!] : brokenReturn(code[1]!);
  return signature && statement ? [...signature, ...statement, '}'] : undefined;
}

/**
 * `return f('name', args, options) as Promise<T>;` too wide. With `T` a plain name, prettier breaks
 * the arguments one per line. With `T` an array or a generic (`InMode<A, Mode>`), `Promise<…>` can
 * break too, and it is the first place to break when the line fits up to `Promise<`.
 */
function brokenReturn(line: string): string[] | undefined {
  const m = /^ {2}return ([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\((.+)\)(?: as Promise<(.*)>)?;$/.exec(line);
  if (!m) return undefined;
  const [, callee, args, type] = m;
  const brokenArguments = (cast: string): string[] => [`  return ${callee}(`, ...args!.split(', ').map((a) => `    ${a},`), `  )${cast};`];
  if (type === undefined) return brokenArguments('');
  if (identifier.test(type)) return brokenArguments(` as Promise<${type}>`);
  if (!/^[A-Za-z_$][\w$]*(?:\[\])+$/.test(type) && !isGenericReference(type)) return undefined;
  const head = `  return ${callee}(${args}) as Promise<`;
  return head.length <= printWidth ? [head, `    ${type}`, '  >;'] : brokenArguments(` as Promise<${type}>`);
}

/** `a: T, b?: U` split into its parameters, or undefined. */
function parameterList(text: string): string[] | undefined {
  if (text === '') return [];
  const reader = new TypeReader(text);
  const parameters: string[] = [];
  for (;;) {
    const start = reader.at;
    if (!reader.parameter()) return undefined;
    parameters.push(text.slice(start, reader.at));
    if (reader.done()) return parameters;
    if (!reader.literal(', ')) return undefined;
  }
}

/** Call arguments: identifiers and plain strings. */
function isArgumentList(text: string): boolean {
  return text === '' || text.split(', ').every((a) => identifier.test(a) || /^'[^'"\\]*'$/.test(a));
}

/** A quoted key prettier keeps quoted: not an identifier, not a number it would unquote. */
function mustQuote(key: string): boolean {
  return key.length > 0 && !identifier.test(key) && !/^\d/.test(key);
}

/** `Name<…>` and nothing after the closing bracket. */
function isGenericReference(text: string): boolean {
  const p = new TypeReader(text);
  return /^[A-Za-z_$][\w$]*</.test(text) && p.reference() && p.done();
}

function isName(text: string): boolean {
  return identifier.test(text) && !reserved.has(text);
}

function isReferenceList(text: string): boolean {
  return text.split(', ').every((part) => {
    const p = new TypeReader(part);
    return p.reference() && p.done();
  });
}

function isFlatType(text: string): boolean {
  const p = new TypeReader(text);
  return p.flat() && p.done();
}

/** A recursive-descent reader of the flat type language above; each method consumes or fails. */
class TypeReader {
  at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at === this.text.length;
  }

  literal(text: string): boolean {
    if (!this.text.startsWith(text, this.at)) return false;
    this.at += text.length;
    return true;
  }

  /** `name: T` or `name?: T`. */
  parameter(): boolean {
    return this.name() && (this.literal('?: ') || this.literal(': ')) && this.flat();
  }

  /** Operands joined all by ` | ` or all by ` & `. */
  flat(): boolean {
    if (!this.operand()) return false;
    const separator = this.text.startsWith(' | ', this.at) ? ' | ' : this.text.startsWith(' & ', this.at) ? ' & ' : undefined;
    if (separator === undefined) return true;
    while (this.literal(separator)) if (!this.operand()) return false;
    return !this.text.startsWith(' | ', this.at) && !this.text.startsWith(' & ', this.at);
  }

  private operand(): boolean {
    if (this.literal('keyof ')) return this.reference();
    if (!(this.string() || this.integer() || this.reference())) return false;
    while (this.literal('[]'));
    return true;
  }

  /** `A`, `A.B`, `A<T, U>`. */
  reference(): boolean {
    if (!this.name()) return false;
    while (this.literal('.')) if (!this.name()) return false;
    if (!this.literal('<')) return true;
    if (!this.flat()) return false;
    while (this.literal(', ')) if (!this.flat()) return false;
    return this.literal('>');
  }

  private name(): boolean {
    const start = this.at;
    return this.match(/[A-Za-z_$][A-Za-z0-9_$]*/y) && !reserved.has(this.text.slice(start, this.at));
  }

  private string(): boolean {
    return this.match(/'[^'"\\]*'/y);
  }

  private integer(): boolean {
    return this.match(/(?:0|[1-9][0-9]*)(?![\w.])/y);
  }

  private match(pattern: RegExp): boolean {
    pattern.lastIndex = this.at;
    if (!pattern.test(this.text)) return false;
    this.at = pattern.lastIndex;
    return true;
  }
}
