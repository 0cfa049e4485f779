/**
 * What QEMU 7.2 really sends, checked against what its schema promises: every `query-*` command
 * that needs no argument is called through the generated qemu-7.2.0 bindings on a real
 * `-M pc -accel tcg` machine without disks, and its reply validated (Ajv) against the JSON Schema
 * of the command's return type. A command QEMU refuses on this machine (no balloon, no SEV, …) is
 * counted apart; every reply that does not validate must be one explained below.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readModel } from '../../codegen/frontends/index.js';
import { JsonSchemaEmitter } from '../../codegen/emit/jsonschema/schema.js';
import { bindModel } from '../../codegen/emit/typescript/target.js';
import { QmpClient, QmpError } from '../../runtime/index.js';
import * as qemu72 from '../../generated/qemu-7.2.0/index.js';
import { describeWithQemu, killAll, startQemu } from '../runtime/helpers/qemu.js';
import { join } from 'node:path';
import { projectRoot } from '../support/typecheck.js';

/**
 * Replies that contradict the 7.2 schema, each with why. A new entry here is a finding about
 * QEMU's documents (or a regression of ours): look before adding one.
 */
const explained: Record<string, string> = {};

describeWithQemu('live validation of QEMU 7.2 replies against the schema', () => {
  let client: QmpClient<qemu72.Commands, qemu72.Events>;
  beforeAll(async () => {
    const vm = await startQemu(['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-S']);
    client = await QmpClient.connect<qemu72.Commands, qemu72.Events>(vm.socket);
  });
  afterAll(async () => {
    await client?.close();
    await killAll();
  });

  it('validates every argument-less query-* reply', async () => {
    const model = readModel([join(projectRoot, 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json')], { conditions: ['linux-x86_64-7.2'] });
    const schemas = new JsonSchemaEmitter(model);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const { commands } = bindModel(model);
    const api = qemu72 as unknown as Record<string, (c: unknown) => Promise<unknown>>;
    const results = { valid: [] as string[], invalid: [] as string[], refused: [] as string[] };
    const problems: Record<string, string> = {};
    for (const b of commands) {
      if (!b.command.name.startsWith('query-') || b.argsRequired) continue;
      const call = api[b.functionName];
      expect(call, `generated function ${b.functionName}`).toBeTypeOf('function');
      let reply: unknown;
      try {
        reply = await call!(client);
      } catch (error) {
        if (error instanceof QmpError) {
          results.refused.push(`${b.command.name} (${error.errorClass}: ${error.desc})`);
          continue;
        }
        throw error;
      }
      const schema = b.command.returns ? schemas.schemaFor(b.command.returns) : { type: 'object', additionalProperties: false };
      const validate = ajv.compile(schema);
      if (validate(reply)) results.valid.push(b.command.name);
      else {
        results.invalid.push(b.command.name);
        problems[b.command.name] = ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 400);
      }
    }
    const called = results.valid.length + results.invalid.length;
    console.log(`live validation: ${results.valid.length} of ${called} replies validate; ${results.refused.length} commands refused on this machine:\n  ${results.refused.join('\n  ')}`);
    for (const [name, why] of Object.entries(problems)) console.log(`  ${name}: ${why}`);
    expect(called).toBeGreaterThan(50);
    // The schemas are strict: an undocumented member or a wrong type fails.
    const status = ajv.compile(schemas.schemaFor({ kind: 'named', name: 'StatusInfo' }));
    expect(status({ running: true, singlestep: false, status: 'running' })).toBe(true);
    expect(status({ running: true, singlestep: false, status: 'running', extra: 1 })).toBe(false);
    expect(status({ running: 'yes', singlestep: false, status: 'running' })).toBe(false);
    expect(status({ running: true, singlestep: false, status: 'sleeping' })).toBe(false);
    expect(Object.keys(problems).sort()).toEqual(Object.keys(explained).sort());
  }, 120_000);
});
