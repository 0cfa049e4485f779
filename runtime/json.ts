/**
 * Reading one message's JSON. `JSON.parse` is the parser: it is native, fast, and safe
 * against prototype pollution by construction — a `"__proto__"` or `"constructor"` key becomes
 * an ordinary own property (CreateDataProperty), never a prototype. The runtime keeps it that
 * way: it never copies parsed values with assignment or `Object.assign`, and uses no `eval`.
 *
 * On failure V8 does not always say where the fault is, so `locateJsonError` finds the first
 * offending character by scanning again (only on the error path).
 */
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
