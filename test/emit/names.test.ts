import { describe, expect, it } from 'vitest';
import { camelCase, NameRegistry, pascalCase, propertyName, stringLiteral } from '../../codegen/emit/typescript/names.js';

describe('TypeScript names for QMP names', () => {
  it('camel-cases command names with dashes and underscores alike', () => {
    expect(camelCase('query-status')).toBe('queryStatus');
    expect(camelCase('block_resize')).toBe('blockResize');
    expect(camelCase('x-blockdev-change')).toBe('xBlockdevChange');
  });

  it('keeps a __ mark on vendor names so they cannot meet upstream ones', () => {
    expect(camelCase('__com.redhat_drive_add')).toBe('__comRedhatDriveAdd');
    expect(camelCase('com-redhat-drive-add')).toBe('comRedhatDriveAdd');
  });

  it('never yields a reserved word', () => {
    expect(camelCase('delete')).toBe('delete_');
    expect(camelCase('new')).toBe('new_');
  });

  it('pascal-cases event names in capitals and keeps QAPI type names', () => {
    expect(pascalCase('BLOCK_IO_ERROR')).toBe('BlockIoError');
    expect(pascalCase('X86CPUFeatureWordInfo')).toBe('X86CPUFeatureWordInfo');
    expect(pascalCase('query-status')).toBe('QueryStatus');
  });

  it('quotes property names that are not identifiers', () => {
    expect(propertyName('device')).toBe('device');
    expect(propertyName('node-name')).toBe("'node-name'");
  });

  it("single-quotes plain strings as prettier does, and leaves quotes and escapes to JSON's form", () => {
    expect(stringLiteral('io_uring')).toBe("'io_uring'");
    expect(stringLiteral("it's")).toBe('"it\'s"');
    expect(stringLiteral('say "hi"')).toBe('"say \\"hi\\""');
    expect(stringLiteral('a\\b')).toBe('"a\\\\b"');
  });

  it('gives a clashing name the next numeric suffix and records the clash', () => {
    const names = new NameRegistry(['Commands']);
    expect(names.claim('blockResize', 'block_resize')).toBe('blockResize');
    expect(names.claim('blockResize', 'block-resize')).toBe('blockResize2');
    expect(names.claim('Commands', 'type Commands')).toBe('Commands2');
    expect(names.clashes.map((c) => c.given)).toEqual(['blockResize2', 'Commands2']);
  });
});
