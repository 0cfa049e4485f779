import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  exactIntegers,
  findWideIntegers,
  formatPath,
  isRounded,
  locateJsonError,
  MAX_EXACT_DIGITS,
  parseJsonExactly,
  parseMessage,
  ROUNDED_KEPT,
  toJson,
} from '../../runtime/json.js';
import { QmpProtocolError } from '../../runtime/errors.js';

describe('parseMessage', () => {
  it('parses a message', () => {
    expect(parseMessage('{"return": {"running": true}, "id": 3}', 0)).toEqual({ return: { running: true }, id: 3 });
  });

  it('locates invalid JSON in bytes from the start of the stream', () => {
    const error = (() => {
      try {
        parseMessage('{"return": "é", }', 100);
      } catch (e) {
        return e as QmpProtocolError;
      }
    })();
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect(error!.offset).toBe(100);
    // the fault is the "}" after ", " — 16 characters in, 17 bytes (é is two)
    expect(error!.position).toBe(117);
  });
});

describe('locateJsonError', () => {
  it.each([
    ['{"a":}', 5],
    ['{"a":1', 6],
    ['nope', 1],
    ['{"a":1}x', 7],
    ['\u00ff{}', 0],
    ['{"a": tru}', 9],
    ['[1, 2,]', 6],
    ['{"a": "\\x"}', 8],
    ['{"a": "\\u12G4"}', 11],
    ['{"a": -}', 6],
    ['{"a": 01}', 7],
    ['"unterminated', 13],
    ['{"a": "\u0001"}', 7],
    ['', 0],
    ['{"a": [1, {"b": nul}]}', 19],
    ['{"a" 1}', 5],
    ['{"a": 1,}', 8],
    ['[1 2]', 3],
  ])('%j goes wrong at %i', (text, at) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(locateJsonError(text)).toBe(at);
  });

  it('finds a fault deep inside nested arrays where it is', () => {
    const depth = 100_000;
    const text = `${'['.repeat(depth)}x${']'.repeat(depth)}`;
    expect(locateJsonError(text)).toBe(depth);
    expect(locateJsonError(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth - 1)}]]`)).toBe(6 * depth + 1 + 2 * (depth - 1) + 1);
  });

  it('finds no fault in valid JSON (it agrees with JSON.parse)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(locateJsonError(text)).toBe(text.length);
      }),
    );
  });

  it('never points past a fault JSON.parse sees', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ minLength: 1, maxLength: 2 }), (text, at, junk) => {
        const broken = text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1));
        let valid = true;
        try {
          JSON.parse(broken);
        } catch {
          valid = false;
        }
        const located = locateJsonError(broken);
        if (valid) expect(located).toBe(broken.length);
        else expect(located).toBeLessThanOrEqual(broken.length);
      }),
    );
  });
});

describe('integers beyond 2^53', () => {
  it('finds them with their paths, and nothing else: digits in strings and keys, floats, the largest safe integers', () => {
    const text =
      '{"return": [{"a-b": 18446744073709551615, "s": "12345678901234567890", "12345678901234567890": 1},' +
      ' {"f": 1.2345678901234567890, "e": 12345678901234567e3, "max": 9007199254740991, "min": -9007199254740991,' +
      ' "n": [-9007199254740993, {"\\"q\\"": 9007199254740992}]}], "id": 1}';
    expect(findWideIntegers(text)).toEqual([
      { path: ['return', 0, 'a-b'], literal: '18446744073709551615' },
      { path: ['return', 1, 'n', 0], literal: '-9007199254740993' },
      { path: ['return', 1, 'n', 1, '"q"'], literal: '9007199254740992' },
    ]);
    expect(findWideIntegers('{"return": {"x": 123456789012345}, "id": 2}')).toEqual([]);
    // after an empty object, a string in the array is a value, not a key
    expect(findWideIntegers('{"return": [{}, "k", 9007199254740993]}')).toEqual([{ path: ['return', 2], literal: '9007199254740993' }]);
  });

  it('tells a rounded integer from one a double holds exactly', () => {
    expect(isRounded('9007199254740993')).toBe(true);
    expect(isRounded('18446744073709551615')).toBe(true);
    expect(isRounded('9007199254740992')).toBe(false); // 2^53
    expect(isRounded('1152921504606846976')).toBe(false); // 2^60
    expect(isRounded('9'.repeat(400))).toBe(true); // beyond a double's range: Infinity
  });

  it('reports the rounded ones of a message, the first few with paths and all in the count', () => {
    // 2^53 + odd: between 2^53 and 2^54 doubles are 2 apart, so none of these is held exactly
    const many = `{"return": [${Array.from({ length: 25 }, (_, i) => String(2n ** 53n + 1n + 2n * BigInt(i))).join(', ')}, 9007199254740992]}`;
    const rounded = exactIntegers(many, { value: JSON.parse(many) }, false);
    expect(rounded.count).toBe(25); // 2^53 itself is exact: not counted
    expect(rounded.first).toHaveLength(ROUNDED_KEPT);
    expect(rounded.first[1]).toEqual({ path: 'return[1]', literal: '9007199254740995' });
    expect(exactIntegers('{"return": 1}', { value: {} }, false)).toEqual({ count: 0, first: [] });
  });

  it('keeps a literal too long to be any QAPI integer as JSON.parse read it, and reports it', () => {
    const text = `{"return": ${'7'.repeat(MAX_EXACT_DIGITS + 1)}, "ok": 18446744073709551615}`;
    const message = JSON.parse(text) as Record<string, unknown>;
    const rounded = exactIntegers(text, { value: message }, true);
    expect(message).toEqual({ return: Infinity, ok: 18446744073709551615n });
    expect(rounded.count).toBe(1);
    expect(rounded.first[0]!.path).toBe('return');
  });

  it('finds the integers of a deeply nested message with their paths', () => {
    const depth = 20_000;
    const text = `${'['.repeat(depth)}18446744073709551615${']'.repeat(depth)}`;
    const found = findWideIntegers(text);
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toHaveLength(depth);
    const box = { value: JSON.parse(text) as unknown };
    exactIntegers(text, box, true);
    let node = box.value;
    for (let i = 0; i < depth; i++) node = (node as unknown[])[0];
    expect(node).toBe(18446744073709551615n);
  });

  it('puts the exact bigint in place, and a "__proto__" key stays an own property', () => {
    const text = '{"return": {"__proto__": {"x": 9007199254740993}, "list": [9007199254740995]}}';
    const message = JSON.parse(text) as { return: Record<string, unknown> };
    exactIntegers(text, { value: message }, true);
    expect(Object.getOwnPropertyDescriptor(message.return, '__proto__')!.value).toEqual({ x: 9007199254740993n });
    expect(message.return.list).toEqual([9007199254740995n]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves a repeated key as JSON.parse did: the last one wins', () => {
    const text = '{"a": 9007199254740993, "a": 5}';
    const message = JSON.parse(text) as Record<string, unknown>;
    exactIntegers(text, { value: message }, true);
    expect(message).toEqual({ a: 5 });
    const twice = '{"a": 9007199254740993, "a": 9007199254740992}'; // both read as the same double
    const again = JSON.parse(twice) as Record<string, unknown>;
    exactIntegers(twice, { value: again }, true);
    expect(again).toEqual({ a: 9007199254740992n });
    const nested = '{"a": [9007199254740993], "a": [1]}';
    const inner = JSON.parse(nested) as Record<string, unknown>;
    exactIntegers(nested, { value: inner }, true);
    expect(inner).toEqual({ a: [1] });
  });

  it('parses exactly and writes back exactly, a bare integer included; a string that looks like the tag stays a string', () => {
    expect(parseJsonExactly('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseJsonExactly('{"a": [1, -9007199254740993]}')).toEqual({ a: [1, -9007199254740993n] });
    expect(toJson({ a: [1, -9007199254740993n], s: 'qmp-bigint-0:1' })).toBe('{"a":[1,-9007199254740993],"s":"qmp-bigint-0:1"}');
    expect(toJson(2n ** 64n - 1n, 2)).toBe('18446744073709551615');
    expect(() =>
      toJson({
        f: Object.assign(
          {},
          {
            get x(): never {
              throw new TypeError('boom');
            },
          },
        ),
      }),
    ).toThrow('boom');
  });

  it('writes paths as a reader would', () => {
    expect(formatPath(['return', 0, 'a-b', 'c'])).toBe('return[0]["a-b"].c');
  });

  it('property: any JSON with wide integers in it, parsed and widened, is the value that was written', () => {
    const wide = fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).chain((n) => fc.constantFrom(n, -n));
    // A double JSON writes as an integer literal beyond 2^53 (2^60 is "1152921504606846976") reads
    // back, rightly, as a bigint: the generated doubles stay clear of that.
    const scalar = fc
      .jsonValue({ maxDepth: 0 })
      .filter((v) => typeof v !== 'number' || Math.abs(v) <= Number.MAX_SAFE_INTEGER || !/^-?\d+$/.test(JSON.stringify(v)));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        scalar,
        wide,
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('tree'), { maxKeys: 4, noNullPrototype: true }),
      ),
    }));
    const write = (value: unknown): string =>
      typeof value === 'bigint'
        ? String(value)
        : Array.isArray(value)
          ? `[${value.map(write).join(',')}]`
          : typeof value === 'object' && value !== null
            ? `{${Object.entries(value)
                .map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`)
                .join(',')}}`
            : Object.is(value, -0)
              ? '-0'
              : JSON.stringify(value);
    fc.assert(
      fc.property(tree, (value) => {
        const text = write({ return: value });
        const message = JSON.parse(text) as unknown;
        exactIntegers(text, { value: message }, true);
        expect(message).toEqual({ return: value });
      }),
      { numRuns: 500 },
    );
  });
});
