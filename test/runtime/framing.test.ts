import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageFramer } from '../../runtime/framing.js';
import { QmpMessageTooLargeError } from '../../runtime/errors.js';
import { greeting72, qmpPrettyTranscript, qmpTranscript } from './helpers/fixtures.js';

function collect(max = 1 << 20) {
  const frames: [string, number][] = [];
  const faults: QmpMessageTooLargeError[] = [];
  const framer = new MessageFramer(
    max,
    (text, offset) => frames.push([text, offset]),
    (e) => faults.push(e),
  );
  return { framer, frames, faults };
}

const recorded = Buffer.from(qmpTranscript.map((s) => s.receive).join(''), 'latin1');

describe('MessageFramer', () => {
  it("splits QEMU's CRLF-terminated messages, without their CR, with their stream offsets", () => {
    const { framer, frames } = collect();
    framer.push(recorded);
    expect(frames[0]).toEqual([greeting72.slice(0, -2), 0]);
    expect(frames[1]![1]).toBe(greeting72.length);
    for (const [text, offset] of frames) {
      expect(text.endsWith('\r')).toBe(false);
      expect(recorded.toString('latin1', offset, offset + text.length)).toBe(text);
    }
    expect(frames).toHaveLength(recorded.toString('latin1').split('\r\n').length - 1);
    expect(framer.offset).toBe(recorded.length);
  });

  it('gives the same frames however the stream is cut into chunks', () => {
    const whole = collect();
    whole.framer.push(recorded);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: recorded.length - 1 }), { maxLength: 40 }), (cuts) => {
        const { framer, frames } = collect();
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          framer.push(recorded.subarray(at, cut));
          at = cut;
        }
        framer.push(recorded.subarray(at));
        expect(frames).toEqual(whole.frames);
      }),
    );
  });

  it('accepts LF-only lines (the guest agent) and skips blank lines', () => {
    const { framer, frames } = collect();
    framer.push(Buffer.from('{"return": {}}\n\r\n\n{"return": 1}\n'));
    expect(frames).toEqual([
      ['{"return": {}}', 0],
      ['{"return": 1}', 18],
    ]);
  });

  it('decodes UTF-8 split across chunks', () => {
    const { framer, frames } = collect();
    const bytes = Buffer.from('{"return": "héllo"}\n');
    framer.push(bytes.subarray(0, 14)); // inside the two bytes of é
    framer.push(bytes.subarray(14));
    expect(frames).toEqual([['{"return": "héllo"}', 0]]);
  });

  it('faults on a line over the limit, at once and only once, locating it', () => {
    const { framer, frames, faults } = collect(10);
    framer.push(Buffer.from('{"a": 1}\r\n0123456789A\r\n{"b": 2}\n'));
    expect(frames).toEqual([['{"a": 1}', 0]]);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ limit: 10, offset: 10, position: 20, excerpt: '0123456789A\r' });
    framer.push(Buffer.from('{"c": 3}\n'));
    expect(frames).toHaveLength(1); // nothing after a fault
  });

  it('faults on an unterminated line as soon as it passes the limit, keeping no more than that', () => {
    const { framer, faults } = collect(100);
    framer.push(Buffer.from('x'.repeat(60)));
    expect(faults).toHaveLength(0);
    framer.push(Buffer.from('x'.repeat(60)));
    expect(faults).toHaveLength(1);
    expect(faults[0]!.offset).toBe(0);
  });

  it('counts the limit without the line end', () => {
    const { framer, frames, faults } = collect(4);
    framer.push(Buffer.from('1234\r\n'));
    framer.push(Buffer.from('5678'));
    framer.push(Buffer.from('\r'));
    framer.push(Buffer.from('\n'));
    expect(faults).toHaveLength(0);
    expect(frames.map((f) => f[0])).toEqual(['1234', '5678']);
  });

  it('skips to the 0xFF delimiter, dropping a partial line, then frames again', () => {
    const { framer, frames } = collect();
    framer.push(Buffer.from('{"partial'));
    framer.skipToDelimiter();
    framer.push(Buffer.from('{"error": {}}\n'));
    framer.push(Buffer.concat([Buffer.from('stale'), Buffer.of(0xff), Buffer.from('{"return": 1234567}\n')]));
    expect(frames).toEqual([['{"return": 1234567}', 23 + 6]]);
  });

  it('honours a switch to delimiter mode made by a frame handler mid-chunk', () => {
    const frames: string[] = [];
    const framer: MessageFramer = new MessageFramer(
      1000,
      (text) => {
        frames.push(text);
        if (text === 'first') framer.skipToDelimiter();
      },
      () => {},
    );
    framer.push(Buffer.concat([Buffer.from('first\nskipped\n'), Buffer.of(0xff), Buffer.from('second\n')]));
    expect(frames).toEqual(['first', 'second']);
  });

  it('frames a pretty=on monitor (QEMU 7.2, recorded) by JSON value, one frame a message, however it is cut', () => {
    const pretty = Buffer.from(qmpPrettyTranscript.map((step) => step.receive).join(''), 'latin1');
    const whole = collect();
    whole.framer.push(pretty);
    const values = whole.frames.map(([text]) => JSON.parse(text) as Record<string, unknown>);
    expect(values.map((v) => Object.keys(v).sort().join(','))).toEqual([
      'QMP',
      'id,return',
      'id,return',
      'event,timestamp',
      'id,return',
      'error,id',
      'id,return',
    ]);
    expect(whole.frames[1]![1]).toBe(qmpPrettyTranscript[0]!.receive.length);
    for (const [text, offset] of whole.frames) expect(pretty.toString('latin1', offset, offset + text.length)).toBe(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: pretty.length - 1 }), { maxLength: 60 }), (cuts) => {
        const { framer, frames } = collect();
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          framer.push(pretty.subarray(at, cut));
          at = cut;
        }
        framer.push(pretty.subarray(at));
        expect(frames).toEqual(whole.frames);
      }),
    );
  });

  it('follows strings in a multi-line value: brackets and escaped quotes inside them do not count', () => {
    const { framer, frames } = collect();
    framer.push(Buffer.from('{\n  "return": "} ] \\" {",\n  "id": [1\n]}\n{"return": 2}\n'));
    expect(frames.map(([text]) => JSON.parse(text) as unknown)).toEqual([{ return: '} ] " {', id: [1] }, { return: 2 }]);
  });

  it('faults on a multi-line value that grows past the limit, at its first byte', () => {
    const { framer, faults } = collect(100);
    framer.push(Buffer.from('{"a": 1}\n{\n'));
    for (let i = 0; i < 20; i++) framer.push(Buffer.from('  "key": "value",\n'));
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ offset: 9, limit: 100 });
  });

  it('holds an unfinished message in memory of at most the limit, however small the reads', () => {
    const limit = 64 * 1024;
    const { framer, faults } = collect(limit);
    const byte = Buffer.from('x');
    framer.push(Buffer.from('{"return": "'));
    for (let i = 0; i < limit - 20; i++) framer.push(byte);
    expect(faults).toHaveLength(0);
    expect(framer.heldCapacity).toBeLessThanOrEqual(limit + 2);
    expect(framer.heldCapacity).toBeGreaterThanOrEqual(limit - 8);
  });
});
