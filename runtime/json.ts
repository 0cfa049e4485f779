/**
 * Reading one message's JSON. `JSON.parse` is the parser: it is native, fast, and safe
 * against prototype pollution by construction — a `"__proto__"` or `"constructor"` key becomes
 * an ordinary own property (CreateDataProperty), never a prototype. The runtime keeps it that
 * way: it never copies parsed values with assignment or `Object.assign`, and uses no `eval`.
 *
 * On failure V8 does not always say where the fault is, so `locateJsonError` finds the first
 * offending character by scanning again (only on the error path).
 */
import { randomBytes } from 'node:crypto';
import { QmpProtocolError } from './errors.js';
import { EXCERPT_LENGTH } from './framing.js';

/** Parses a message; throws `QmpProtocolError` naming the byte where the JSON goes wrong. */
export function parseMessage(text: string, offset: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text);
    const position = offset + Buffer.byteLength(text.slice(0, at), 'utf8');
    throw new QmpProtocolError(`invalid JSON from the server: ${(error as Error).message}`, {
      offset,
      position,
      excerpt: text.slice(0, EXCERPT_LENGTH),
    });
  }
}

/**
 * The index of the first character at which `text` stops being one JSON value (RFC 8259),
 * or `text.length` when it ends too early.
 */
export function locateJsonError(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      const ch = text.charCodeAt(i);
      if (Number.isNaN(ch) || ch < 0x20) fail();
      if (ch === 0x22) return void i++;
      if (ch === 0x5c) {
        i++;
        const escape = text[i];
        if (escape === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) ((i += k), fail());
          i += 5;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i++;
        else fail();
      } else i++;
    }
  };
  const number = (): void => {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (match === null || match[0] === '' || match[0] === '-') fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === '}') return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    } else if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ']') return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else fail();
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (at) {
    // A number is the fault's index; anything else (nesting too deep to scan) says nothing.
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

/** An integer literal beyond JavaScript's exact integers (±(2^53 − 1)), and where it sits. */
export interface WideInteger {
  /** Keys and indexes from the message's root to the value, e.g. `['return', 'features', 0]`. */
  readonly path: readonly (string | number)[];
  /** The literal as the server wrote it. */
  readonly literal: string;
}

/**
 * Whether `text` has a run of 16 digits, as every integer beyond 2^53 has. Such a run covers
 * some index that is a multiple of 16, so only those are looked at: a dozen reads for a
 * typical event, against a regular expression's 250 ns (every timestamp digit starts a try).
 */
function hasLongDigitRun(text: string): boolean {
  for (let i = 0; i < text.length; i += 16) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let start = i;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end - start < 16 && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= 16) return true;
  }
  return false;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

const INTEGER = /^-?\d+$/;
const NONE: readonly WideInteger[] = Object.freeze([]);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The integers of a message (already parsed: `text` is valid JSON) that `JSON.parse` cannot
 * hold exactly, in document order. Costs a few reads unless a 16-digit run is present; then
 * one pass that tracks strings, keys and indexes.
 */
export function findWideIntegers(text: string): readonly WideInteger[] {
  if (!hasLongDigitRun(text)) return NONE;
  const found: WideInteger[] = [];
  const path: (string | number)[] = [];
  const inArray: boolean[] = [];
  let expectingKey = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = endOfString(text, i);
      if (expectingKey) {
        path[path.length - 1] = JSON.parse(text.slice(i, end)) as string;
        expectingKey = false;
      }
      i = end;
    } else if (ch === '{' || ch === '[') {
      inArray.push(ch === '[');
      path.push(ch === '[' ? 0 : '');
      expectingKey = ch === '{';
      i++;
    } else if (ch === '}' || ch === ']') {
      inArray.pop();
      path.pop();
      expectingKey = false; // `{}` closes before any key
      i++;
    } else if (ch === ',') {
      if (inArray[inArray.length - 1] === true) (path[path.length - 1] as number)++;
      else expectingKey = true;
      i++;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let end = i + 1;
      while (end < text.length && '0123456789.eE+-'.includes(text[end]!)) end++;
      const literal = text.slice(i, end);
      if (literal.length >= 16 && INTEGER.test(literal)) {
        const value = BigInt(literal);
        if (value > MAX_SAFE || value < -MAX_SAFE) found.push({ path: [...path], literal });
      }
      i = end;
    } else i++;
  }
  return found;
}

/** The index just past the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c) i += 2;
    else if (ch === 0x22) return i + 1;
    else i++;
  }
}

/** True when the double `JSON.parse` made of `literal` is not the literal's value. */
export function isRounded(literal: string): boolean {
  return BigInt(Number(literal)) !== BigInt(literal);
}

/**
 * Puts `BigInt(literal)` where `JSON.parse` put the rounded number. Own properties only,
 * defined rather than assigned, so a `"__proto__"` key stays an ordinary property. A path
 * whose value is no longer that number (a repeated key, of which JSON keeps the last) is left.
 */
export function widenInteger(root: unknown, integer: WideInteger): void {
  let parent: unknown = undefined;
  let node: unknown = root;
  for (const key of integer.path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return;
    parent = node;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || node !== Number(integer.literal)) return;
  Object.defineProperty(parent, integer.path[integer.path.length - 1]!, { value: BigInt(integer.literal), writable: true, enumerable: true, configurable: true });
}

/** `return.features[0]["a-b"]`: a path as a reader would write it. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`))
    .join('');
}

/** `JSON.parse`, with integers beyond 2^53 as exact `bigint`s (what `integers: 'bigint'` gives). */
export function parseJsonExactly(text: string): unknown {
  const box = { value: JSON.parse(text) as unknown }; // a parent, for when the value itself is the integer
  for (const integer of findWideIntegers(text)) widenInteger(box, { path: ['value', ...integer.path], literal: integer.literal });
  return box.value;
}

/**
 * `JSON.stringify`, with a `bigint` written as its digits (`JSON.stringify` refuses it), so that a
 * `uint64` beyond 2^53 goes out exactly. Values without one cost nothing more.
 */
export function toJson(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  // Each bigint becomes a string no value can hold (a random tag), then its digits.
  const tag = `qmp-bigint-${randomBytes(8).toString('hex')}:`;
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${tag}${v}` : v), space);
  return json.replaceAll(new RegExp(`"${tag}(-?\\d+)"`, 'g'), '$1');
}
