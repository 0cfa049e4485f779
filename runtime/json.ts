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
 * or `text.length` when it ends too early. Iterative, so that a fault deep inside nested
 * arrays is found where it is, and linear: numbers are matched in place, never sliced off.
 */
export function locateJsonError(text: string): number {
  const n = text.length;
  const open: number[] = []; // the brackets still open: `{` or `[`
  let i = 0;
  const space = (): void => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  /** A string at `i`; false with `i` at the fault. */
  const string = (): boolean => {
    if (text.charCodeAt(i) !== QUOTE) return false;
    i++;
    for (;;) {
      const ch = text.charCodeAt(i);
      if (Number.isNaN(ch) || ch < 0x20) return false;
      if (ch === QUOTE) return (i++, true);
      if (ch !== BACKSLASH) {
        i++;
        continue;
      }
      const escape = text[++i];
      if (escape === 'u') {
        for (let k = 1; k <= 4; k++) if (!isHexDigit(text.charCodeAt(i + k))) return ((i += k), false);
        i += 5;
      } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i++;
      else return false;
    }
  };
  /** `"key":` at `i` (after space); false with `i` at the fault. */
  const key = (): boolean => {
    space();
    if (!string()) return false;
    space();
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    return true;
  };
  /** A scalar at `i`; false with `i` at the fault. */
  const scalar = (): boolean => {
    const ch = text[i];
    if (ch === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (ch !== word[0]) continue;
      for (const letter of word) {
        if (text[i] !== letter) return false;
        i++;
      }
      return true;
    }
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (match === null) return false;
    i += match[0].length;
    return true;
  };
  for (;;) {
    // a value
    space();
    const ch = text.charCodeAt(i);
    if (ch === LBRACE || ch === LBRACKET) {
      i++;
      space();
      if (text.charCodeAt(i) === (ch === LBRACE ? RBRACE : RBRACKET)) i++;
      else {
        open.push(ch);
        if (ch === LBRACE && !key()) return Math.min(i, n);
        continue;
      }
    } else if (!scalar()) return Math.min(i, n);
    // what follows a value: close what it ends, or go on to the next member or element
    for (;;) {
      space();
      if (open.length === 0) return i;
      const inside = open[open.length - 1]!;
      const next = text.charCodeAt(i);
      if (next === COMMA) {
        i++;
        if (inside === LBRACE && !key()) return Math.min(i, n);
        break;
      }
      if (next !== (inside === LBRACE ? RBRACE : RBRACKET)) return Math.min(i, n);
      i++;
      open.pop();
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** An integer literal beyond JavaScript's exact integers (±(2^53 − 1)), and where it sits. */
export interface WideInteger {
  /** Keys and indexes from the message's root to the value, e.g. `['return', 'features', 0]`. */
  readonly path: readonly (string | number)[];
  /** The literal as the server wrote it. */
  readonly literal: string;
}

/** The integers of a message that were delivered rounded: how many, and the first few. */
export interface RoundedIntegers {
  readonly count: number;
  /** The first `ROUNDED_KEPT`, in document order, with their paths as a reader writes them. */
  readonly first: readonly { readonly path: string; readonly literal: string }[];
}

/** How many rounded integers a report names; the rest are counted (a guest may send millions). */
export const ROUNDED_KEPT = 10;
/**
 * Longest literal made a `bigint`. QAPI's widest integer has 20 digits; `BigInt` of a hostile
 * 64 MiB literal would block for seconds, so such a literal stays as `JSON.parse` read it (and
 * is reported rounded).
 */
export const MAX_EXACT_DIGITS = 1024;
const NONE: RoundedIntegers = Object.freeze({ count: 0, first: Object.freeze([]) });

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

/** A character that continues a number literal: digits, `.`, `e`, `E`, `+`, `-`. */
function isNumberPart(code: number): boolean {
  return isDigit(code) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === MINUS;
}

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

/** An integer literal (valid JSON: no leading zeros) beyond ±(2^53 − 1). */
function isWideInteger(literal: string): boolean {
  const digits = literal.charCodeAt(0) === MINUS ? literal.slice(1) : literal;
  for (let i = 0; i < digits.length; i++) if (!isDigit(digits.charCodeAt(i))) return false;
  return digits.length > MAX_SAFE_DIGITS.length || (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS);
}

/** True when the double `JSON.parse` made of `literal` is not the literal's value. */
export function isRounded(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return true; // beyond 1.8e308: Infinity
  return BigInt(value) !== BigInt(literal);
}

type Container = Record<string | number, unknown>;

/**
 * Calls `visit` for each integer of `text` (valid JSON) beyond 2^53, in document order, with
 * its parent and key in `box.value` (the value `text` parsed to) and its path on demand. One
 * pass over the text, O(1) per character: the scan keeps a stack of keys and of the parsed
 * containers it is inside, so neither the path nor a walk from the root is made per integer.
 * A container whose parsed value is not there (a repeated key: JSON keeps the last) is not
 * followed, and nothing inside it is visited with a parent.
 */
function walkWideIntegers(
  text: string,
  box: { value: unknown } | undefined,
  visit: (literal: string, parent: Container | undefined, key: string | number, path: () => (string | number)[]) => void,
): void {
  if (!hasLongDigitRun(text)) return;
  const keys: (string | number)[] = ['value']; // a number: the index in an array; a string: the key in an object
  const parents: (Container | undefined)[] = [box];
  const path = () => keys.slice(1);
  let expectingKey = false;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      const end = endOfString(text, i);
      if (expectingKey) {
        keys[keys.length - 1] = decodeString(text, i, end);
        expectingKey = false;
      }
      i = end;
    } else if (ch === LBRACE || ch === LBRACKET) {
      const parent = parents[parents.length - 1];
      const key = keys[keys.length - 1]!;
      const node = parent !== undefined && Object.hasOwn(parent, key) ? parent[key] : undefined;
      const matches = typeof node === 'object' && node !== null && Array.isArray(node) === (ch === LBRACKET);
      parents.push(matches ? (node as Container) : undefined);
      keys.push(ch === LBRACKET ? 0 : '');
      expectingKey = ch === LBRACE;
      i++;
    } else if (ch === RBRACE || ch === RBRACKET) {
      parents.pop();
      keys.pop();
      expectingKey = false; // `{}` closes before any key
      i++;
    } else if (ch === COMMA) {
      const last = keys.length - 1;
      const key = keys[last]!;
      if (typeof key === 'number') keys[last] = key + 1;
      else expectingKey = true;
      i++;
    } else if (ch === MINUS || isDigit(ch)) {
      let end = i + 1;
      while (end < text.length && isNumberPart(text.charCodeAt(end))) end++;
      if (end - i >= MAX_SAFE_DIGITS.length) {
        const literal = text.slice(i, end);
        if (isWideInteger(literal)) visit(literal, parents[parents.length - 1], keys[keys.length - 1]!, path);
      }
      i = end;
    } else i++;
  }
}

/** The index just past the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === BACKSLASH) i += 2;
    else if (ch === QUOTE) return i + 1;
    else i++;
  }
}

/** The string between `start` (its quote) and `end` (past its closing quote). */
function decodeString(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  return inner.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/**
 * The integers beyond 2^53 in `parsed.value` (parsed from `text`; boxed, for when the value itself
 * is such an integer): with `exact`, each is put in place
 * as a `bigint` (own properties only, defined rather than assigned, so a `"__proto__"` key stays
 * an ordinary property; a value that is no longer that integer's, as after a repeated key, is
 * left); without, nothing changes. Returns those delivered rounded: without `exact`, the ones a
 * double does not hold exactly; with it, literals longer than `MAX_EXACT_DIGITS`. Linear in
 * `text`, and a few reads when it has no 16-digit run.
 */
export function exactIntegers(text: string, parsed: { value: unknown }, exact: boolean): RoundedIntegers {
  let count = 0;
  const first: { path: string; literal: string }[] = [];
  walkWideIntegers(text, exact ? parsed : undefined, (literal, parent, key, path) => {
    if (exact && literal.length <= MAX_EXACT_DIGITS) {
      const current = parent !== undefined && Object.hasOwn(parent, key) ? parent[key] : undefined;
      // a bigint here was put by an earlier occurrence of a repeated key: the later one wins
      if (parent !== undefined && (current === Number(literal) || typeof current === 'bigint')) {
        Object.defineProperty(parent, key, { value: BigInt(literal), writable: true, enumerable: true, configurable: true });
      }
      return;
    }
    if (!exact && !isRounded(literal)) return;
    if (count++ < ROUNDED_KEPT) first.push({ path: formatPath(path()), literal });
  });
  return count === 0 ? NONE : { count, first };
}

/** Every integer beyond 2^53 in `text` (valid JSON), with its path: for tests and tools. */
export function findWideIntegers(text: string): WideInteger[] {
  const found: WideInteger[] = [];
  walkWideIntegers(text, undefined, (literal, _parent, _key, path) => found.push({ path: path(), literal }));
  return found;
}

/** `return.features[0]["a-b"]`: a path as a reader would write it. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`))
    .join('');
}

/** `JSON.parse`, with integers beyond 2^53 as exact `bigint`s (what `integers: 'bigint'` gives). */
export function parseJsonExactly(text: string): unknown {
  const box = { value: JSON.parse(text) as unknown };
  exactIntegers(text, box, true);
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
