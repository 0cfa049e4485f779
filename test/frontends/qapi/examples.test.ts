import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../codegen/ir/diagnostics.js';
import { parseMessageJson } from '../../../codegen/frontends/qapi/examples.js';
import { schema, spec102, withCode } from './helpers.js';

/**
 * The definitions whose doc comment holds a `.. qmp-example::` block, found in the files' text
 * (not through the front end), so that the front end is measured against the documents.
 */
function documentedWithExampleBlocks(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const block of readFileSync(file, 'utf8').split(/^##\n/m)) {
      const symbol = /^# @([^:\s]+):/.exec(block)?.[1];
      if (symbol && /^# *\.\. qmp-example::/m.test(block)) names.add(symbol);
    }
  }
  return names;
}

describe('10.2 examples (.. qmp-example::)', () => {
  const model = schema(spec102);
  const withBlocks = documentedWithExampleBlocks(model.source.files);
  const definitions = [...model.commands, ...model.events].filter((d) => withBlocks.has(d.name));
  const messages = definitions.flatMap((d) => d.examples.flatMap((e) => e.messages)).filter((m) => m.direction !== 'text');
  const parsed = messages.filter((m) => m.json !== undefined);

  it('gives every command and event with a .. qmp-example:: block its examples', () => {
    const withExamples = definitions.filter((d) => d.examples.length > 0);
    console.log(`10.2: ${withExamples.length}/${definitions.length} commands/events with a qmp-example block have examples in the IR`);
    expect(definitions.length).toBe(224);
    expect(withExamples.length).toBe(definitions.length);
  });

  it('parses the example messages as JSON, except the three the documents got wrong', () => {
    console.log(`10.2: ${parsed.length}/${messages.length} example messages (-> and <-) parse as JSON`);
    expect(messages.length).toBe(508);
    expect(parsed.length).toBe(505);
    // each failure is a located warning at a message that is wrong in QEMU's document
    const failures = withCode(model, 'example-json').map((d) => `${d.file.split('/').pop()}:${d.line}`);
    expect(failures).toEqual(['block-core.json:1281', 'migration.json:2380', 'machine.json:229']);
  });
});

describe('example message JSON', () => {
  it("reads the documents' elisions: '...' elements, members and bracketed notes", () => {
    expect(parseMessageJson('{ "return": [ ... ] }')).toEqual({ json: { return: [] } });
    expect(parseMessageJson('{ "return": [ {"a": 1}, ... ] }')).toEqual({ json: { return: [{ a: 1 }] } });
    expect(parseMessageJson('{ "a": 1, "b": ... }')).toEqual({ json: { a: 1 } });
    expect(parseMessageJson('[ {"port": "1"},\n  [ ... more channels follow ... ]\n]')).toEqual({ json: [{ port: '1' }] });
  });

  it('reports what is not JSON with the position of the first error', () => {
    expect(parseMessageJson('{ "a": 1\n  "b": 2 }')).toMatchObject({ error: "Expected ',' or '}' after property value", position: 11 });
    expect(new Diagnostics().list).toEqual([]);
  });
});
