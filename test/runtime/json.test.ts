import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findWideIntegers, formatPath, isRounded, locateJsonError, parseJsonExactly, parseMessage, toJson, widenInteger } from '../../runtime/json.js';
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
  ])('%j goes wrong at %i', (text, at) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toBe(at);
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
  });

  it('puts the exact bigint in place, and a "__proto__" key stays an own property', () => {
    const text = '{"return": {"__proto__": {"x": 9007199254740993}, "list": [9007199254740995]}}';
    const message = JSON.parse(text) as { return: Record<string, unknown> };
    for (const integer of findWideIntegers(text)) widenInteger(message, integer);
    expect(Object.getOwnPropertyDescriptor(message.return, '__proto__')!.value).toEqual({ x: 9007199254740993n });
    expect(message.return.list).toEqual([9007199254740995n]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves a repeated key as JSON.parse did: the last one wins', () => {
    const text = '{"a": 9007199254740993, "a": 5}';
    const message = JSON.parse(text) as Record<string, unknown>;
    for (const integer of findWideIntegers(text)) widenInteger(message, integer);
    expect(message).toEqual({ a: 5 });
  });

  it('parses exactly and writes back exactly, a bare integer included; a string that looks like the tag stays a string', () => {
    expect(parseJsonExactly('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseJsonExactly('{"a": [1, -9007199254740993]}')).toEqual({ a: [1, -9007199254740993n] });
    expect(toJson({ a: [1, -9007199254740993n], s: 'qmp-bigint-0:1' })).toBe('{"a":[1,-9007199254740993],"s":"qmp-bigint-0:1"}');
    expect(toJson(2n ** 64n - 1n, 2)).toBe('18446744073709551615');
    expect(() => toJson({ f: Object.assign({}, { get x(): never { throw new TypeError('boom'); } }) })).toThrow('boom');
  });

  it('writes paths as a reader would', () => {
    expect(formatPath(['return', 0, 'a-b', 'c'])).toBe('return[0]["a-b"].c');
  });

  it('property: any JSON with wide integers in it, parsed and widened, is the value that was written', () => {
    const wide = fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).chain((n) => fc.constantFrom(n, -n));
    // A double JSON writes as an integer literal beyond 2^53 (2^60 is "1152921504606846976") reads
    // back, rightly, as a bigint: the generated doubles stay clear of that.
    const scalar = fc.jsonValue({ maxDepth: 0 }).filter((v) => typeof v !== 'number' || Math.abs(v) <= Number.MAX_SAFE_INTEGER || !/^-?\d+$/.test(JSON.stringify(v)));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar, wide, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('tree'), { maxKeys: 4, noNullPrototype: true })),
    }));
    const write = (value: unknown): string =>
      typeof value === 'bigint'
        ? String(value)
        : Array.isArray(value)
          ? `[${value.map(write).join(',')}]`
          : typeof value === 'object' && value !== null
            ? `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`
            : Object.is(value, -0)
              ? '-0'
              : JSON.stringify(value);
    fc.assert(
      fc.property(tree, (value) => {
        const text = write({ return: value });
        const message = JSON.parse(text) as unknown;
        for (const integer of findWideIntegers(text)) widenInteger(message, integer);
        expect(message).toEqual({ return: value });
      }),
      { numRuns: 500 },
    );
  });
});
