/**
 * qemu-ga 11.1.3, known by its binary: its guest-info reply (spec/qemu-11.1.3/guest-info.json)
 * holds 10.2.0's agent schema to the commands it lists, and says what the two disagree on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { restrictToAgentInfo } from '../../codegen/frontends/agent-info.js';
import { readModel } from '../../codegen/frontends/index.js';
import { SchemaError } from '../../codegen/frontends/qapi/errors.js';

const infoFile = 'spec/qemu-11.1.3/guest-info.json';
const info = () =>
  JSON.parse(readFileSync(infoFile, 'utf8')) as { version: string; supported_commands: { name: string; enabled: boolean; 'success-response': boolean }[] };
const agent102 = readModel(['spec/qemu-10.2.0/qapi-schema/qga/qapi-schema.json'], { conditions: ['linux-x86_64-10.2'] });
const findings = (model: ReturnType<typeof restrictToAgentInfo>) =>
  model.diagnostics.filter((d) => d.code.startsWith('agent-')).map((d) => [d.severity, d.code, d.message]);

describe("qemu-ga 11.1.3's guest-info against 10.2.0's agent schema", () => {
  it('lists exactly the 43 commands 10.2 documents for Linux, with the same success-response: nothing to report', () => {
    const model = restrictToAgentInfo(agent102, info(), infoFile);
    expect(info().version).toBe('11.1.3');
    expect(model.commands.map((c) => c.name).sort()).toEqual(agent102.commands.map((c) => c.name).sort());
    expect(model.commands).toHaveLength(43);
    expect(findings(model)).toEqual([]);
    expect(model.source.release).toBe('11.1.3');
    expect(model.source.files.at(-1)).toBe(infoFile);
    // guest-shutdown replies nothing, in both
    expect(info().supported_commands.find((c) => c.name === 'guest-shutdown')!['success-response']).toBe(false);
  });

  it('reports a listed command the schema does not document, drops a documented one not listed, and a disagreeing success-response', () => {
    const changed = info();
    changed.supported_commands.push({ name: 'guest-get-future', enabled: true, 'success-response': true });
    changed.supported_commands = changed.supported_commands.filter((c) => c.name !== 'guest-get-diskstats');
    changed.supported_commands.find((c) => c.name === 'guest-ping')!['success-response'] = false;
    const model = restrictToAgentInfo(agent102, { return: changed }, infoFile);
    expect(findings(model)).toEqual([
      ['warning', 'agent-command-undocumented', "qemu-ga 11.1.3 lists 'guest-get-future', which the agent schema does not document: left out"],
      ['warning', 'agent-success-response', "'guest-ping': qemu-ga 11.1.3 says success-response false, the schema true"],
      ['info', 'agent-command-absent', "'guest-get-diskstats' is documented, but qemu-ga 11.1.3 does not list it: left out"],
    ]);
    expect(model.commands.some((c) => c.name === 'guest-get-diskstats')).toBe(false);
    // the types only guest-get-diskstats used go with it
    expect(agent102.types.some((t) => t.name === 'GuestDiskStatsInfo')).toBe(true);
    expect(model.types.some((t) => t.name === 'GuestDiskStatsInfo')).toBe(false);
    expect(model.types.some((t) => t.name === 'GuestAgentInfo')).toBe(true);
  });

  it('a reply that is not guest-info is a SchemaError naming the file', () => {
    expect(() => restrictToAgentInfo(agent102, { QMP: {} }, 'greeting.json')).toThrow(SchemaError);
    expect(() => restrictToAgentInfo(agent102, { QMP: {} }, 'greeting.json')).toThrow(/^greeting\.json:1:1: not a guest-info reply/);
  });
});
