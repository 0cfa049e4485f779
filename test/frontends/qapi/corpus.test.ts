import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../codegen/frontends/qapi/index.js';
import { schemaEntries } from './helpers.js';

/** Every schema tree parses with no error; every diagnostic is located in a file that was read. */
function expectReadable(entry: string): void {
  const model = parseSchema(entry);
  expect(model.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(model.commands.length).toBeGreaterThan(0);
  const files = new Set(model.source.files);
  for (const d of model.diagnostics) {
    expect(files.has(d.file), `${d.file} was read`).toBe(true);
    expect(d.line).toBeGreaterThan(0);
    expect(d.column).toBeGreaterThan(0);
  }
}

// spec/ holds every release of ../shared/qmp-docs (test/frontends/spec-copy.test.ts).
describe('every schema tree in spec/ parses with no error', () => {
  const entries = schemaEntries('spec');
  it('finds the trees (1.0 to 10.2, with qga and storage-daemon)', () => {
    expect(entries).toContain('spec/qemu-10.2.0/qapi-schema/storage-daemon/qapi/qapi-schema.json');
    expect(entries).toContain('spec/qemu-10.2.0/qapi-schema/qga/qapi-schema.json');
    expect(entries).toContain('spec/qemu-1.0/qapi-schema/qapi-schema.json');
  });
  it.each(entries)('%s', (entry) => expectReadable(entry));
});
