/**
 * The member-text grammar and the type words, on member texts copied from the documents (the
 * release and line each comes from are named), and the token mapping the brief decided.
 */
import { describe, expect, it } from 'vitest';
import { parseMemberText, type GroupItemNode, type MemberTextSegment } from '../../../codegen/frontends/textdoc/grammar.js';
import { readTypeExpr } from '../../../codegen/frontends/textdoc/type-words.js';

const groups = (text: string): GroupItemNode[][] =>
  parseMemberText(text)
    .filter((s): s is Extract<MemberTextSegment, { kind: 'group' }> => s.kind === 'group')
    .map((g) => g.items);

describe('annotations in parentheses', () => {
  it('a type among prose and optional, in any order (2.8 device_add "bus", object-add "props")', () => {
    expect(groups("the device's parent bus (device tree path, json-string, optional)")).toEqual([
      [
        { kind: 'prose', text: 'device tree path', values: [], mentions: [] },
        { kind: 'type', type: { kind: 'token', token: 'json-string' }, text: 'json-string' },
        { kind: 'optional' },
      ],
    ]);
    expect(groups('a dictionary of object property values (optional, json-dict)')).toEqual([
      [{ kind: 'optional' }, { kind: 'type', type: { kind: 'token', token: 'json-dict' }, text: 'json-dict' }],
    ]);
  });

  it('a QAPI type with optional and a default (2.8 drive-backup "mode")', () => {
    expect(groups("(NewImageMode, optional, default 'absolute-paths')")).toEqual([
      [
        { kind: 'type', type: { kind: 'schema', name: 'NewImageMode' }, text: 'NewImageMode' },
        { kind: 'optional' },
        { kind: 'default', value: 'absolute-paths' },
      ],
    ]);
  });

  it('a deprecation with its reason, then the type on the next line (2.8 eject "device")', () => {
    expect(groups('block device name (deprecated, use @id instead)\n(json-string, optional)')).toEqual([
      [{ kind: 'deprecated', reason: 'use @id instead' }],
      [{ kind: 'type', type: { kind: 'token', token: 'json-string' }, text: 'json-string' }, { kind: 'optional' }],
    ]);
  });

  it('values: `"read" or "write"` after a type, `one of` a list, and `(Since x)` (2.8 BLOCK_IO_ERROR, query-rx-filter)', () => {
    expect(groups('I/O operation (json-string, "read" or "write")')[0]![1]).toEqual({ kind: 'values', values: ['read', 'write'], oneOf: false });
    expect(groups("vlan receive state (one of 'normal', 'none', 'all') (Since 2.0)")).toEqual([
      [{ kind: 'values', values: ['normal', 'none', 'all'], oneOf: true }],
      [{ kind: 'since', version: '2.0' }],
    ]);
  });

  it('optional first, then prose (2.8 "Show rocker switch OF-DPA flow tables" "tbl-id")', () => {
    expect(groups('(optional) flow table ID')).toEqual([[{ kind: 'optional' }]]);
  });
});

describe('mentions in the prose', () => {
  const kinds = (text: string): string[] => parseMemberText(text).map((s) => s.kind);

  it('type words outside parentheses (0.13 query-pci "devices"), not glued to other words', () => {
    const [mention] = parseMemberText('a json-array of json-objects, each json-object represents a');
    expect(mention).toMatchObject({ kind: 'type-mention', type: { kind: 'array', of: { kind: 'token', token: 'json-objects' } } });
    expect(kinds('xjson-int')).toEqual([]);
  });

  it('`optional`, `only present`, `deprecated`, `Defaults to`, quoted words', () => {
    expect(kinds("the starting physical address. It's optional, and should be specified")).toEqual(['optional-mention']);
    expect(kinds('only present if removable')).toEqual(['optional-mention']);
    expect(parseMemberText('time to delay key up events, milliseconds. Defaults to 100')).toEqual([
      expect.objectContaining({ kind: 'default-mention', value: '100' }),
    ]);
    expect(kinds('the device\'s ID, "ide0-hd0"')).toEqual(['quoted']);
  });

  it('a QAPI type named in prose (2.8 ACPI_DEVICE_OST), and not capitalised words', () => {
    expect(parseMemberText('ACPIOSTInfo type as described in qapi-schema.json')).toEqual([
      expect.objectContaining({ kind: 'schema-mention', name: 'ACPIOSTInfo' }),
    ]);
    expect(kinds('Since NMI COLO Generic')).toEqual([]);
  });
});

describe('type words onto the IR', () => {
  const read = (text: string) => {
    const [segment] = parseMemberText(`(${text})`);
    if (segment?.kind !== 'group' || segment.items[0]?.kind !== 'type') throw new Error(`no type in (${text})`);
    return readTypeExpr(segment.items[0].type);
  };

  it.each([
    ['json-string', 'str'],
    ['json-int', 'int'],
    ['json-bool', 'bool'],
    ['json-double', 'number'],
    ['json-number', 'number'],
    ['json-value', 'any'],
  ])('%s is %s', (word, name) => {
    expect(read(word)).toMatchObject({ type: { kind: 'builtin', name }, spellings: [], unknown: [] });
  });

  it('json-object is an open object; json-array of X an array of X, of any without X', () => {
    expect(read('json-object').type).toEqual({ kind: 'object', members: [], open: true });
    expect(read('json-array of json-object').type).toEqual({ kind: 'array', of: { kind: 'object', members: [], open: true } });
    expect(read('json-array').type).toEqual({ kind: 'array', of: { kind: 'builtin', name: 'any' } });
  });

  it('"json-int or json-string" is a union', () => {
    expect(read('json-int or json-string').type).toEqual({
      kind: 'union',
      of: [
        { kind: 'builtin', name: 'int' },
        { kind: 'builtin', name: 'str' },
      ],
    });
  });

  it('other spellings read as the type meant and are noted; QAPI names are any', () => {
    expect(read('json-str')).toMatchObject({ type: { kind: 'builtin', name: 'str' }, spellings: ['json-str'] });
    expect(read('json_string')).toMatchObject({ type: { kind: 'builtin', name: 'str' }, spellings: ['json_string'] });
    expect(read('int')).toMatchObject({ type: { kind: 'builtin', name: 'int' }, spellings: ['int'] });
    expect(read('BlockdevOnError')).toMatchObject({ type: { kind: 'builtin', name: 'any' }, schemaNames: ['BlockdevOnError'] });
    expect(read('json-widget')).toMatchObject({ type: { kind: 'builtin', name: 'any' }, unknown: ['json-widget'] });
  });
});
