import { describe, expect, it } from 'vitest';
import { parseSchema, SchemaError } from '../../../codegen/frontends/qapi/index.js';
import { errors } from './helpers.js';

const broken = 'test/fixtures/qapi/broken';

/** The SchemaError a broken file throws (fails the test if it throws nothing). */
function thrown(file: string): SchemaError {
  try {
    parseSchema(file);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as Error).name).toBe('SchemaError');
    return error as SchemaError;
  }
  throw new Error(`${file} parsed`);
}

describe('broken schemas: file:line:column and the reason', () => {
  it('an unbalanced brace names the brace left open and the definition that follows it', () => {
    expect(thrown(`${broken}/unbalanced-brace.json`).message).toBe(
      `${broken}/unbalanced-brace.json:19:1: '{' is not closed before the next definition at line 39`,
    );
  });

  it('a brace still open at the end of the file names that brace', () => {
    expect(thrown(`${broken}/unclosed-at-end.json`).message).toBe(`${broken}/unclosed-at-end.json:39:1: '{' is never closed (the file ends first)`);
  });

  it('an unterminated string names where the string starts', () => {
    expect(thrown(`${broken}/unterminated-string.json`).message).toBe(
      `${broken}/unterminated-string.json:19:13: missing terminating "'" (the string runs to the end of the line)`,
    );
  });

  it('an unknown definition key is an error at the key; the rest is still read', () => {
    const model = parseSchema(`${broken}/unknown-key.json`);
    expect(errors(model).map((d) => [d.code, d.line, d.column])).toEqual([['unknown-key', 39, 30]]);
    expect(errors(model)[0]!.message).toMatch(/^command 'query-status' has unknown key 'return' \(valid keys: 'data', 'returns', /);
    expect(model.commands.map((c) => c.name)).toEqual(['query-status']);
  });

  it('a missing include is an error at the include directive; the other includes are read', () => {
    const model = parseSchema(`${broken}/missing-include.json`);
    expect(errors(model).map((d) => [d.code, d.file, d.line, d.column])).toEqual([['include-missing', `${broken}/missing-include.json`, 4, 1]]);
    expect(errors(model)[0]!.message).toBe(`can't read include file '${broken}/no-such-file.json': ENOENT`);
    expect(model.types.map((t) => t.name)).toEqual(['StatusInfo']);
  });

  it('a duplicate definition is an error at the second one, naming the first', () => {
    const model = parseSchema(`${broken}/duplicate-definition.json`);
    expect(errors(model).map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      ['duplicate-definition', 21, 1, "'StatusInfo' is already defined at test/fixtures/qapi/status.json:19:1"],
    ]);
  });

  it('an inclusion loop is an error at the include that closes it', () => {
    const model = parseSchema(`${broken}/include-loop-a.json`);
    expect(errors(model).map((d) => [d.code, d.file, d.line])).toEqual([['include-loop', `${broken}/include-loop-b.json`, 3]]);
    expect(model.source.files).toEqual([`${broken}/include-loop-a.json`, `${broken}/include-loop-b.json`, 'test/fixtures/qapi/status.json']);
  });

  it('a type that is not defined, a member written twice, a struct that is its own base: errors at the place', () => {
    const located = (file: string): [string, number, number, string][] =>
      errors(parseSchema(`${broken}/${file}`)).map((d) => [d.code, d.line, d.column, d.message]);
    expect(located('unknown-type.json')).toEqual([['unknown-type', 20, 63, "uses 'RunState', which is not defined"]]);
    expect(located('duplicate-member.json')).toEqual([['duplicate-member', 20, 53, "'data' has member 'running' twice"]]);
    expect(located('base-loop.json')).toEqual([['base-loop', 19, 1, "'StatusInfo' is its own base (through 'StatusInfo')"]]);
  });

  it('an entry file that cannot be read is a SchemaError at its first line', () => {
    expect(thrown(`${broken}/no-such-schema.json`).message).toBe(`${broken}/no-such-schema.json:1:1: cannot read schema: ENOENT`);
  });
});
