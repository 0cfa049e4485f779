import { describe, expect, it } from 'vitest';
import { modelFromJson, ModelFormatError, parseJsonFile } from '../../codegen/ir/json.js';

const fault = (text: string): string => {
  try {
    parseJsonFile(text, 'in.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error('parsed');
};

describe('a JSON input that does not parse', () => {
  it('is named by file, line and column, with its line and a caret under the fault', () => {
    expect(fault('{\n  "irVersion": 1,\n  "commands": [ {"name": "x",, } ]\n}\n')).toBe(
      `in.json:3:30: not JSON: unexpected "," (a comma with no value before it)\n    "commands": [ {"name": "x",, } ]\n  ${' '.repeat(29)}^`,
    );
  });

  it('says which slip it most likely is', () => {
    expect(fault('{"a": 1,}')).toMatch(/^in\.json:1:9: not JSON: unexpected "}" \(a trailing comma, which JSON does not allow\)/);
    expect(fault('{"return": [{"name": "query-status" "meta-type": "command"}]}')).toMatch(
      /^in\.json:1:37: not JSON: unexpected "\\"" \(a comma missing before it\?\)/,
    );
    expect(fault("{'a': 1}")).toMatch(/\(JSON strings take double quotes\)/);
    expect(fault('{"commands": [\n')).toMatch(/^in\.json:2:1: not JSON: the text ends before the JSON value does/);
  });

  it('keeps a long line short around the fault', () => {
    const message = fault(`[${'1, '.repeat(10_000)}x]`);
    expect(message.split('\n')[1]!.length).toBeLessThan(130);
    expect(message.split('\n')[2]).toBe(`  ${' '.repeat(60)}^`);
  });

  it('reaches the IR reader as such', () => {
    expect(() => modelFromJson('{"irVersion": 1', 'model.json')).toThrow(/^model\.json:1:16: not JSON: the text ends/);
  });
});
