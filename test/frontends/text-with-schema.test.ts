import { describe, expect, it } from 'vitest';
import { readModel } from '../../codegen/frontends/index.js';

const text = ['spec/qemu-2.8.0/qmp-commands.txt', 'spec/qemu-2.8.0/qmp-events.txt'];
const schema = 'spec/qemu-2.8.0/qapi-schema/qapi-schema.json';

describe("reconciling QEMU 2.8.0's text documents with its schema", () => {
  const model = readModel([...text, schema]);
  const reported = (code: string) => model.diagnostics.filter((d) => d.code === code);

  it('takes optionality from the schema and reports where the text disagrees, at the text line', () => {
    const resize = model.commands.find((c) => c.name === 'block_resize')!;
    expect(resize.arguments.find((a) => a.name === 'device')!.optional).toBe(true);
    expect(reported('text-optional-disagrees')).toContainEqual(
      expect.objectContaining({
        file: 'spec/qemu-2.8.0/qmp-commands.txt',
        line: 734,
        message: 'command block_resize: the text documents argument "device" as required; the schema makes it optional',
      }),
    );
  });

  it('takes types from the schema and prose and examples from the text', () => {
    const eject = model.commands.find((c) => c.name === 'eject')!;
    const textOnly = readModel(text).commands.find((c) => c.name === 'eject')!;
    expect(eject.examples).toEqual(textOnly.examples);
    const status = model.commands.find((c) => c.name === 'query-status')!;
    expect(status.returns).toEqual({ kind: 'named', name: 'StatusInfo' });
    expect(model.source.frontend).toBe('reconciled');
  });

  it('reports text arguments the schema lacks, and keeps every schema command', () => {
    const schemaOnly = readModel([schema]);
    expect(model.commands.map((c) => c.name).sort()).toEqual(schemaOnly.commands.map((c) => c.name).sort());
    expect(reported('text-member-not-in-schema').length).toBeGreaterThan(0);
    // 21: a member given a default in the text (`(json-int, default 10M)`) is optional, as the
    // schema says; the rest are the text's own slips
    expect(reported('text-optional-disagrees').length).toBe(21);
  });
});
