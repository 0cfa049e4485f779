/**
 * A target's schema.json (generated/<target>/schema.json, exported as qmp-sdk/<target>/schema.json):
 * plain draft-07 JSON Schema that Ajv compiles in strict mode, and that real QEMU 7.2 replies and
 * events (test/fixtures/runtime/qemu-7.2-qmp.json, recorded) validate against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

const load = (target: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(projectRoot, 'generated', target, 'schema.json'), 'utf8')) as Record<string, unknown>;
const transcript = JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/runtime/qemu-7.2-qmp.json'), 'utf8')) as {
  send: string | null;
  receive: string | null;
}[];

/** The recorded messages QEMU sent, one JSON value each. */
function received(): Record<string, unknown>[] {
  return transcript.flatMap((t) =>
    (t.receive ?? '')
      .split('\r\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
}

describe("a target's JSON Schema", () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  for (const target of ['qemu-2.8.0', 'qemu-7.2.0', 'qemu-10.0.2', 'qemu-10.2.0', 'qga-7.2.0', 'qga-10.0.2', 'qga-10.2.0']) {
    it(`${target}: compiles in Ajv's strict mode, one part per command and event`, () => {
      const schema = load(target);
      expect(schema.$id).toBe(`qmp-sdk/${target}/schema.json`);
      ajv.addSchema(schema);
      expect(
        ajv.getSchema(
          `qmp-sdk/${target}/schema.json#/properties/commands/properties/${target.startsWith('qga') ? 'guest-ping' : 'query-version'}/properties/returns`,
        ),
      ).toBeTypeOf('function');
    });
  }

  it("validates QEMU 7.2's real replies and events, and names what a wrong one gets wrong", () => {
    const part = (pointer: string) => ajv.getSchema(`qmp-sdk/qemu-7.2.0/schema.json#/properties/${pointer}`)!;
    // What the recording sent, its deliberately broken line aside.
    const sent = transcript.flatMap((t) => {
      try {
        return [JSON.parse(t.send ?? 'null') as { execute?: string; 'exec-oob'?: string; id?: number } | null];
      } catch {
        return [];
      }
    });
    let replies = 0;
    let events = 0;
    for (const message of received()) {
      if ('event' in message) {
        const validate = part(`events/properties/${String(message.event)}/properties/data`);
        expect(validate(message.data ?? {}), `${String(message.event)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        events++;
      } else if ('return' in message) {
        const request = sent.find((s) => s?.id === message.id);
        const name = request?.execute ?? request?.['exec-oob'];
        const validate = part(`commands/properties/${name}/properties/returns`);
        expect(validate(message.return), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        replies++;
      }
    }
    expect([replies, events]).toEqual([7, 3]);
    const status = part('commands/properties/query-status/properties/returns');
    expect(status({ status: 'dancing', running: true, singlestep: false })).toBe(false);
    expect(ajv.errorsText(status.errors)).toContain('/status must be equal to one of the allowed values');
    const ejectArgs = part('commands/properties/eject/properties/arguments');
    expect(ejectArgs({ devise: 'x' })).toBe(false);
  });
});
