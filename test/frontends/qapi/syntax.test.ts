import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../codegen/ir/diagnostics.js';
import { SourceText } from '../../../codegen/frontends/qapi/source.js';
import { parseSchemaText, type SchemaObject, type TopLevelItem } from '../../../codegen/frontends/qapi/syntax.js';
import { SchemaError } from '../../../codegen/frontends/qapi/errors.js';

function read(file: string): { items: TopLevelItem[]; diagnostics: Diagnostics; source: SourceText } {
  const source = new SourceText(file, readFileSync(file, 'utf8'));
  const diagnostics = new Diagnostics();
  return { items: parseSchemaText(source, diagnostics), diagnostics, source };
}

function definitions(items: TopLevelItem[]): SchemaObject[] {
  return items.filter((item): item is SchemaObject => item.kind === 'object');
}

describe('schema syntax', () => {
  it('reads single-quoted expressions, booleans, arrays and nested objects at their places', () => {
    const { items, source } = read('test/fixtures/qapi/status.json');
    const [struct, command] = definitions(items);
    expect(struct!.entries.map((e) => e.key)).toEqual(['struct', 'data']);
    const data = struct!.entries[1]!.value;
    expect(data.kind).toBe('object');
    expect(data.kind === 'object' && data.entries.map((e) => [e.key, e.value.kind === 'string' && e.value.value])).toEqual([
      ['running', 'bool'],
      ['singlestep', 'bool'],
      ['status', 'str'],
    ]);
    expect(command!.entries.find((e) => e.key === 'allow-preconfig')!.value).toMatchObject({ kind: 'boolean', value: true });
    expect(source.locate(command!.offset)).toEqual({ file: 'test/fixtures/qapi/status.json', line: 39, column: 1 });
  });

  it('keeps each ## doc comment as one block, and skips plain # comments', () => {
    const { items } = read('test/fixtures/qapi/status.json');
    expect(items.map((item) => item.kind)).toEqual(['doc', 'object', 'doc', 'object']);
    const doc = items[0]!;
    expect(doc.kind === 'doc' && doc.lines[0]).toMatchObject({ kind: 'symbol', name: 'StatusInfo', indent: 0 });
    expect(doc.kind === 'doc' && doc.lines.map((line) => line.kind)).toEqual([
      'symbol',
      'blank',
      'text',
      'blank',
      'symbol',
      'blank',
      'symbol',
      'blank',
      'symbol',
      'blank',
      'tag',
      'blank',
      'tag',
    ]);
  });

  it("reads QEMU 1.1's missing comma and trailing comma as QEMU did, with located warnings", () => {
    const { items, diagnostics } = read('test/fixtures/qapi/qemu-1.1-slips.json');
    const [enumeration, , union] = definitions(items);
    expect(enumeration!.entries.map((e) => e.key)).toEqual(['enum', 'data']);
    expect(union!.entries.map((e) => e.key)).toEqual(['union', 'data']);
    expect(diagnostics.list.map((d) => [d.code, d.line, d.column, d.severity])).toEqual([
      ['missing-comma', 17, 25, 'warning'],
      ['trailing-comma', 44, 52, 'warning'],
    ]);
  });

  it('skips blank lines inside a doc comment, as QEMU does (7.2 CpuModelExpansionType)', () => {
    const { items, diagnostics } = read('spec/qemu-7.2.0/qapi-schema/qapi/machine-target.json');
    const doc = items.find((item) => item.kind === 'doc' && item.lines[0]?.kind === 'symbol' && item.lines[0].name === 'CpuModelExpansionType');
    const names = doc?.kind === 'doc' ? doc.lines.flatMap((line) => (line.kind === 'symbol' ? [line.name] : [])) : [];
    expect(names).toEqual(['CpuModelExpansionType', 'static', 'full']);
    expect(diagnostics.list).toEqual([]);
  });

  it("reads 2.x doc comments closed by '###', opened by '## @Name' or missing their opening '##', with warnings", () => {
    const { items, diagnostics } = read('spec/qemu-2.7.0/qapi-schema/qapi-schema.json');
    const codes = new Set(diagnostics.list.map((d) => d.code));
    expect(codes).toEqual(new Set(['doc-close-junk', 'doc-open-junk', 'doc-open-missing', 'doc-unterminated']));
    expect(diagnostics.list.every((d) => d.severity === 'warning')).toBe(true);
    const opened = diagnostics.list.find((d) => d.code === 'doc-open-junk')!;
    expect(opened.line).toBe(4107); // `## @ACPISlotType`
    const acpi = items.find((item) => item.kind === 'doc' && item.heading.includes('@ACPISlotType'));
    expect(acpi).toBeDefined();
  });

  it('throws a SchemaError naming the place for text that is not a schema', () => {
    const source = new SourceText('inline.json', "{ 'command': 'stop' ]\n");
    expect(() => parseSchemaText(source, new Diagnostics())).toThrow(SchemaError);
    expect(() => parseSchemaText(source, new Diagnostics())).toThrow(
      /^inline\.json:1:21: expected ',' or '}' here, found ']' \(it does not close the '\{' opened at line 1, column 1\)$/,
    );
  });

  it("says what is wrong in the schema's terms, never peggy's token list", () => {
    const fault = (text: string): string => {
      try {
        parseSchemaText(new SourceText('s.json', `${text}\n`), new Diagnostics());
      } catch (error) {
        return (error as Error).message;
      }
      return 'parsed';
    };
    // Once: `Expected "#", "'", "}", or [ \t\r\n\x0C\x0B] but "," found`.
    expect(fault("{ 'command': 'x', 'data': { 'a': 'str' },, }")).toBe(
      "s.json:1:42: expected a key ('name') or '}' here, found ',' (a comma with nothing before it)",
    );
    expect(fault("{ 'command' 'x' }")).toBe(`s.json:1:13: expected ':' after the key here, found "'"`);
    expect(fault("{ 'command': x }")).toBe(
      "s.json:1:14: expected a value ('string', true, false, {...} or [...]) here, found 'x' (a bare word: names are quoted ('name'))",
    );
    expect(fault(`{ 'command': "x" }`)).toMatch(/found '"' \(QAPI strings take single quotes: 'name'\)$/);
    expect(fault("{ 'command': 'x', 'gen': 1 }")).toMatch(/found '1' \(QAPI has no numbers: /);
    expect(fault("{ 'command': 'x' } }")).toBe(
      "s.json:1:20: expected a new definition ({ ... }) or the end of the file here, found '}' (nothing is open for it to close)",
    );
    expect(fault("{ 'command': 'x', 'data': { 'a': 'str', 'b' } }")).toBe("s.json:1:45: expected ':' after the key here, found '}' (a key without its value)");
    expect(fault("{ 'command': 'x', 'data': { 'a': 'str'; 'b': 'int' } }")).toBe(
      "s.json:1:39: expected ',' or '}' here, found ';' (members are separated by ',')",
    );
    for (const text of ["{ 'a' 'b' }", "{ 'a': [ 'b' }", '{ , }', "{ 'a': ,", "'x'", "{ 'a': tru }"])
      expect(fault(text)).not.toMatch(/Expected|\\x0C|but .* found/);
  });
});
