import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { locateJsonError, parseMessage } from '../../runtime/json.js';
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
