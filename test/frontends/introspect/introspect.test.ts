import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFromIntrospection } from '../../../codegen/frontends/introspect/index.js';
import { camelName } from '../../../codegen/frontends/introspect/names.js';
import { SchemaError } from '../../../codegen/frontends/qapi/errors.js';
import type { NamedType, QmpModel } from '../../../codegen/ir/types.js';

const excerptFile = 'test/fixtures/introspect/qemu-7.2-excerpt.json';
const replyFile = 'spec/qemu-7.2.0/query-qmp-schema.json';
const excerpt = JSON.parse(readFileSync(excerptFile, 'utf8')) as { return: unknown[] };
const reply = JSON.parse(readFileSync(replyFile, 'utf8')) as unknown[];

function named<K extends NamedType['kind']>(model: QmpModel, name: string, kind: K): Extract<NamedType, { kind: K }> {
  const found = model.types.find((t) => t.name === name);
  if (found?.kind !== kind) throw new Error(`no ${kind} ${name}`);
  return found as Extract<NamedType, { kind: K }>;
}

describe('query-qmp-schema reply → IR', () => {
  const model = modelFromIntrospection(excerpt, excerptFile);

  it('reads {"return": [...]} and the bare array alike', () => {
    expect(modelFromIntrospection(excerpt.return, excerptFile)).toEqual(model);
    expect(model.source).toEqual({ frontend: 'introspection', files: [excerptFile], release: '7.2' });
    expect(model.diagnostics).toEqual([]);
  });

  it("keeps commands and events with inline arguments, optional flags ('default') and allow-oob", () => {
    expect(model.commands.map((c) => c.name)).toEqual([
      'query-status',
      'query-pr-managers',
      'block-set-write-threshold',
      'qmp_capabilities',
      'yank',
      'query-yank',
    ]);
    const threshold = model.commands.find((c) => c.name === 'block-set-write-threshold')!;
    expect(threshold.arguments.map((a) => [a.name, a.optional, a.type])).toEqual([
      ['node-name', false, { kind: 'builtin', name: 'str' }],
      ['write-threshold', false, { kind: 'builtin', name: 'int' }],
    ]);
    expect(threshold.returns).toBeUndefined(); // the empty object: a command without 'returns'
    const capabilities = model.commands.find((c) => c.name === 'qmp_capabilities')!;
    expect(capabilities.arguments[0]).toMatchObject({
      name: 'enable',
      optional: true,
      type: { kind: 'array', of: { kind: 'named', name: 'QmpCapabilitiesEnable' } },
    });
    expect(model.commands.find((c) => c.name === 'yank')!.flags).toEqual({ allowOob: true });
    expect(model.events.find((e) => e.name === 'MEM_UNPLUG_ERROR')).toMatchObject({ deprecated: '', features: [{ name: 'deprecated' }] });
  });

  it('names types after their first use, commands taken by name: a return, a member, a branch', () => {
    // yank's instances are query-yank's reply too: query-yank comes first by name (not in the reply)
    expect(model.types.map((t) => t.name)).toEqual([
      'QmpCapabilitiesEnable',
      'QueryPrManagersResultItem',
      'QueryStatusResult',
      'QueryStatusResultStatus',
      'QueryYankResultItem',
      'QueryYankResultItemBlockNode',
      'QueryYankResultItemChardev',
      'QueryYankResultItemType',
      'ShutdownReason',
    ]);
    expect(model.commands.find((c) => c.name === 'yank')!.arguments[0]!.type).toEqual({ kind: 'array', of: { kind: 'named', name: 'QueryYankResultItem' } });
    expect(model.commands[0]!.returns).toEqual({ kind: 'named', name: 'QueryStatusResult' });
    expect(named(model, 'QueryStatusResult', 'struct').members.map((m) => [m.name, m.type])).toEqual([
      ['running', { kind: 'builtin', name: 'bool' }],
      ['singlestep', { kind: 'builtin', name: 'bool' }],
      ['status', { kind: 'named', name: 'QueryStatusResultStatus' }],
    ]);
    expect(named(model, 'QueryStatusResultStatus', 'enum').values.map((v) => v.name)).toContain('running');
    expect(model.types.every((t) => t.hoisted === true)).toBe(true);
  });

  it('reads an object with variants as a union; a branch with no members is an inline empty object', () => {
    const instances = named(model, 'QueryYankResultItem', 'union');
    expect(instances.discriminator).toBe('type');
    expect(instances.baseMembers.map((m) => m.name)).toEqual(['type']);
    expect(instances.variants).toEqual([
      { value: 'block-node', type: { kind: 'named', name: 'QueryYankResultItemBlockNode' } },
      { value: 'chardev', type: { kind: 'named', name: 'QueryYankResultItemChardev' } },
      { value: 'migration', type: { kind: 'object', members: [], open: false } },
    ]);
  });
});

describe('names derived from the whole 7.2 reply', () => {
  const model = modelFromIntrospection(reply, replyFile);

  it('take the release from the file name, as the schema front end does', () => {
    expect(model.source).toEqual({ frontend: 'introspection', files: [replyFile], release: '7.2.0' });
  });

  it('are the same for the same reply, unique, and every reference resolves', () => {
    expect(JSON.stringify(modelFromIntrospection(reply, replyFile))).toBe(JSON.stringify(model));
    const names = model.types.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const refs: string[] = [];
    JSON.stringify(model, (_key, value: unknown) => {
      if (value && typeof value === 'object' && (value as { kind?: string }).kind === 'named') refs.push((value as { name: string }).name);
      return value;
    });
    expect(refs.filter((name) => !names.includes(name))).toEqual([]);
    expect(model.diagnostics).toEqual([]);
  });

  it('name a type that nothing reaches after its contents, never its number', () => {
    // 393 (DisplayCocoa) and 484 (CpuModelCompareResult) are in the reply, used by nothing in this build
    expect(model.types.filter((t) => t.name.startsWith('Unreferenced')).map((t) => [t.name, t.kind])).toEqual([
      ['UnreferencedIncompatibleIdenticalSuperset', 'enum'],
      ['UnreferencedLeftCommandKeyFullGrabSwapOptCmd', 'struct'],
    ]);
    expect(model.types.some((t) => /^(Type)?\d|#/.test(t.name))).toBe(false);
  });

  it('name the branches of an alternate after their JSON types', () => {
    expect(named(model, 'BlockdevAddArgumentsQcow2Backing', 'alternate').alternatives.map((a) => [a.name, a.type.kind])).toEqual([
      ['object', 'named'],
      ['string', 'builtin'],
      ['null', 'builtin'],
    ]);
  });

  it('gives a boxed union argument its name and its base members', () => {
    const add = model.commands.find((c) => c.name === 'blockdev-add')!;
    expect(add.argumentsType).toEqual({ kind: 'named', name: 'BlockdevAddArguments' });
    expect(add.arguments.map((a) => a.name)).toEqual(named(model, 'BlockdevAddArguments', 'union').baseMembers.map((m) => m.name));
  });
});

describe('name collisions', () => {
  it('number a name already taken, commands taken in the order of their names', () => {
    // The excerpt with query-pr-managers renamed query_status and returning one PrManagerInfo
    // (not an array): both commands' results want the name QueryStatusResult.
    const entries = structuredClone(excerpt.return) as { name: string; 'ret-type'?: string }[];
    const prManagers = entries.find((e) => e.name === 'query-pr-managers')!;
    prManagers.name = 'query_status';
    prManagers['ret-type'] = prManagers['ret-type']!.replace(/^\[(.*)\]$/, '$1');
    const model = modelFromIntrospection(entries, excerptFile);
    expect(model.commands.find((c) => c.name === 'query-status')!.returns).toEqual({ kind: 'named', name: 'QueryStatusResult' });
    expect(model.commands.find((c) => c.name === 'query_status')!.returns).toEqual({ kind: 'named', name: 'QueryStatusResult2' });
  });
});

describe('introspection input errors', () => {
  it('a value that is not a reply is a SchemaError naming the file', () => {
    expect(() => modelFromIntrospection({ QMP: {} }, 'greeting.json')).toThrow(SchemaError);
    expect(() => modelFromIntrospection({ QMP: {} }, 'greeting.json')).toThrow(/^greeting\.json:1:1: not a query-qmp-schema reply/);
  });

  it('an entry of unknown meta-type is a warning, and a dangling type number an error', () => {
    // The excerpt with one entry of a meta-type QEMU does not have, and a ret-type left dangling.
    const entries = structuredClone(excerpt.return) as { name: string; 'meta-type': string; 'ret-type'?: string }[];
    entries.find((e) => e.name === 'query-status')!['ret-type'] = '9999';
    entries.push({ name: '9998', 'meta-type': 'future-kind' });
    const model = modelFromIntrospection(entries, excerptFile);
    expect(model.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['warning', 'introspection-meta-type', "entry 29 ('9998') has unknown meta-type 'future-kind'; skipped"],
      ['error', 'introspection-reference', "command 'query-status' ret-type names type '9999', which the reply does not define"],
    ]);
  });
});

describe('camelName', () => {
  it('turns command, event, member and downstream names into type-name words', () => {
    expect(camelName('query-status')).toBe('QueryStatus');
    expect(camelName('BLOCK_IO_ERROR')).toBe('BlockIoError');
    expect(camelName('__com.redhat_drive_add')).toBe('ComRedhatDriveAdd');
    expect(camelName('x-perf')).toBe('XPerf');
  });
});
