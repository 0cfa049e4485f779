/**
 * One line of shell input → a QMP command. Two forms, as QEMU's own qmp-shell reads them:
 * `command key=value ...` (a value is JSON where it parses as JSON — numbers, true, null,
 * "quoted", {...}, [...] — and a plain string otherwise; `a.b=1` nests as `{"a": {"b": 1}}`), and a
 * raw JSON request `{"execute": ..., "arguments": ...}`. Integers beyond 2^53 stay exact (`bigint`).
 */
import { parseJsonExactly } from '../../runtime/index.js';

export interface ShellCommand {
  name: string;
  args: Record<string, unknown>;
}

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError';
  constructor(
    message: string,
    /** 1-based column in the input line where the problem is. */
    readonly column: number,
  ) {
    super(`column ${column}: ${message}`);
  }
}

export function parseShellLine(line: string): ShellCommand | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const lead = line.length - line.trimStart().length;
  if (text.startsWith('{')) return parseRawJson(text, lead);
  const words = splitWords(text, lead);
  const [first, ...rest] = words;
  const args: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const word of rest) {
    const eq = word.text.indexOf('=');
    if (eq <= 0) throw new ShellSyntaxError(`expected key=value, got "${word.text}"`, word.column);
    const key = word.text.slice(0, eq);
    setPath(args, key.split('.'), parseValue(word.text.slice(eq + 1)), word.column);
  }
  return { name: first!.text, args: { ...args } };
}

function parseRawJson(text: string, lead: number): ShellCommand {
  let value: unknown;
  try {
    value = parseJsonExactly(text);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    throw new ShellSyntaxError(`not valid JSON: ${(error as Error).message}`, lead + 1 + (at ? Number(at[1]) : 0));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShellSyntaxError('a raw request must be a JSON object', lead + 1);
  const request = value as Record<string, unknown>;
  const name = request.execute ?? request['exec-oob'];
  if (typeof name !== 'string') throw new ShellSyntaxError('a raw request needs "execute": "<command>"', lead + 1);
  const args = request.arguments ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ShellSyntaxError('"arguments" must be a JSON object', lead + 1);
  return { name, args: args as Record<string, unknown> };
}

/** Splits on spaces outside quotes and brackets, so `a={"x": 1}` and `b="two words"` stay whole. */
function splitWords(text: string, lead: number): { text: string; column: number }[] {
  const words: { text: string; column: number }[] = [];
  let depth = 0;
  let quote = false;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === undefined || (/\s/.test(c) && depth === 0 && !quote)) {
      if (start !== -1) words.push({ text: text.slice(start, i), column: lead + start + 1 });
      start = -1;
      continue;
    }
    if (start === -1) start = i;
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  if (quote) throw new ShellSyntaxError('unterminated string', lead + text.length);
  if (depth > 0) throw new ShellSyntaxError('unclosed { or [', lead + text.length);
  return words;
}

function parseValue(text: string): unknown {
  if (/^(-?\d|true$|false$|null$|["{[])/.test(text)) {
    try {
      return parseJsonExactly(text);
    } catch {
      // Not JSON after all (e.g. `1x`, a path starting with a digit): a plain string.
    }
  }
  return text;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, column: number): void {
  let node = target;
  path.forEach((key, i) => {
    if (key === '') throw new ShellSyntaxError(`empty key in "${path.join('.')}"`, column);
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new ShellSyntaxError(`"${key}" is not a usable key`, column);
    if (i === path.length - 1) {
      if (Object.hasOwn(node, key)) throw new ShellSyntaxError(`"${path.join('.')}" is given twice`, column);
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === undefined) node = node[key] = {} as Record<string, unknown>;
    else if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else throw new ShellSyntaxError(`"${path.slice(0, i + 1).join('.')}" is both a value and an object`, column);
  });
}
