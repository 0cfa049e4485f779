import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../codegen/frontends/qapi/index.js';
import { command, errors, event, schema, spec72, type } from './helpers.js';

describe('QAPI schema → IR (7.2)', () => {
  const model = schema(spec72);

  it('follows includes relative to the including file, each file once, in include order', () => {
    const files = model.source.files;
    expect(files[0]).toBe(spec72);
    expect(files[1]).toBe('spec/qemu-7.2.0/qapi-schema/qapi/pragma.json');
    expect(new Set(files).size).toBe(files.length);
    // block.json includes block-core.json, which includes common.json: read where first included.
    expect(files.indexOf('spec/qemu-7.2.0/qapi-schema/qapi/block-core.json')).toBe(files.indexOf('spec/qemu-7.2.0/qapi-schema/qapi/block.json') + 1);
    expect(model.source).toMatchObject({ frontend: 'qapi', release: '7.2.0' });
    expect(errors(model)).toEqual([]);
  });

  it('maps builtins, named types and arrays to type references that resolve', () => {
    const names = new Set(model.types.map((t) => t.name));
    const refs: string[] = [];
    JSON.stringify(model, (key, value: unknown) => {
      if (value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'named') refs.push((value as { name: string }).name);
      return value;
    });
    expect(refs.length).toBeGreaterThan(800);
    expect(refs.filter((name) => !names.has(name))).toEqual([]);
    expect(command(model, 'query-block').returns).toEqual({ kind: 'array', of: { kind: 'named', name: 'BlockInfo' } });
    expect(type(model, 'BlockdevOptionsFile', 'struct').members.find((m) => m.name === 'aio-max-batch')!.type).toEqual({ kind: 'builtin', name: 'int' });
  });

  it('keeps a struct base by name and its own members only', () => {
    const driveBackup = type(model, 'DriveBackup', 'struct');
    expect(driveBackup.base).toBe('BackupCommon');
    expect(driveBackup.members.map((m) => m.name)).toEqual(['target', 'format', 'mode']);
  });

  it("gives a command with data: 'T' its arguments type and T's members, base first", () => {
    const backup = command(model, 'drive-backup');
    expect(backup.argumentsType).toEqual({ kind: 'named', name: 'DriveBackup' });
    expect(backup.flags).toMatchObject({ boxed: true, allowPreconfig: true });
    expect(backup.arguments.slice(0, 3).map((a) => a.name)).toEqual(['job-id', 'device', 'sync']);
    expect(backup.arguments.slice(-3).map((a) => a.name)).toEqual(['target', 'format', 'mode']);
  });

  it('gives a boxed union command its base members as arguments', () => {
    const add = command(model, 'blockdev-add');
    expect(add.argumentsType).toEqual({ kind: 'named', name: 'BlockdevOptions' });
    const options = type(model, 'BlockdevOptions', 'union');
    expect(add.arguments.map((a) => a.name)).toEqual(options.baseMembers.map((m) => m.name));
    expect(add.arguments[0]).toMatchObject({ name: 'driver', optional: false, type: { kind: 'named', name: 'BlockdevDriver' } });
  });

  it('reads a flat union: inline base, discriminator, branches; tag values without a branch get an empty one', () => {
    const options = type(model, 'BlockdevOptions', 'union');
    expect(options.base).toBeUndefined();
    expect(options.discriminator).toBe('driver');
    expect(options.variants.find((v) => v.value === 'qcow2')!.type).toEqual({ kind: 'named', name: 'BlockdevOptionsQcow2' });
    const stats = type(model, 'BlockStatsSpecific', 'union');
    expect(stats.variants.find((v) => v.value === 'host_device')).toMatchObject({ if: 'HAVE_HOST_BLOCK_DEVICE' });
    expect(stats.variants.find((v) => v.value === 'qcow2')!.type).toEqual({ kind: 'object', members: [], open: false });
    const drivers = type(model, 'BlockdevDriver', 'enum').values.map((v) => v.name);
    expect(stats.variants.map((v) => v.value).sort()).toEqual([...drivers].sort());
  });

  it('copies a named union base into baseMembers', () => {
    const info = type(model, 'QCryptoBlockInfo', 'union');
    expect(info.base).toBe('QCryptoBlockInfoBase');
    expect(info.baseMembers.map((m) => m.name)).toEqual(['format']);
  });

  it('reads alternates with their branch names and types', () => {
    expect(type(model, 'BlockdevRef', 'alternate').alternatives.map((a) => [a.name, a.type])).toEqual([
      ['definition', { kind: 'named', name: 'BlockdevOptions' }],
      ['reference', { kind: 'builtin', name: 'str' }],
    ]);
  });

  it('keeps if conditions on commands, members, enum values, branches; all/any/not as written', () => {
    expect(command(model, 'query-spice').if).toBe('CONFIG_SPICE');
    expect(command(model, 'query-cpu-model-expansion').if).toEqual({ any: ['TARGET_S390X', 'TARGET_I386', 'TARGET_ARM'] });
    expect(type(model, 'BlockdevDriver', 'enum').values.find((v) => v.name === 'host_device')!.if).toBe('HAVE_HOST_BLOCK_DEVICE');
    const aio = type(model, 'BlockdevAioOptions', 'enum').values.find((v) => v.name === 'io_uring')!;
    expect(aio.if).toBe('CONFIG_LINUX_IO_URING');
  });

  it('sets QAPI command flags that differ from the defaults', () => {
    expect(command(model, 'migrate-recover').flags).toEqual({ allowOob: true });
    expect(command(model, 'device_add').flags).toEqual({ gen: false });
    expect(command(model, 'block_resize').flags).toEqual({ allowPreconfig: true, coroutine: true });
    expect(command(model, 'query-status').flags).toEqual({ allowPreconfig: true });
    const qga = schema('spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json');
    expect(command(qga, 'guest-shutdown').flags).toEqual({ successResponse: false });
  });

  it('keeps an enum prefix and event data members', () => {
    expect(type(model, 'QCryptoTLSCredsEndpoint', 'enum').prefix).toBe('QCRYPTO_TLS_CREDS_ENDPOINT');
    const shutdown = event(model, 'SHUTDOWN');
    expect(shutdown.data.map((m) => [m.name, m.optional])).toEqual([
      ['guest', false],
      ['reason', false],
    ]);
  });
});

describe('QAPI schema → IR (older spellings, read as QEMU of the day read them)', () => {
  it("reads 'type' as struct and members whose value is an object as anonymous nested structs (1.0)", () => {
    const model = schema('spec/qemu-1.0/qapi-schema/qapi-schema.json');
    const version = type(model, 'VersionInfo', 'struct');
    expect(version.members.map((m) => m.name)).toEqual(['qemu', 'package']);
    expect(version.members[0]!.type).toMatchObject({ kind: 'object', open: false, members: [{ name: 'major' }, { name: 'minor' }, { name: 'micro' }] });
    expect(errors(model)).toEqual([]);
  });

  it("reads a simple union as QEMU does: hoisted <Name>Kind enum, tag 'type', branches wrapped as { data } (2.8)", () => {
    const model = schema('spec/qemu-2.8.0/qapi-schema/qapi-schema.json');
    const action = type(model, 'TransactionAction', 'union');
    const kind = type(model, 'TransactionActionKind', 'enum');
    expect(kind.hoisted).toBe(true);
    expect(kind.values.map((v) => v.name)).toEqual(action.variants.map((v) => v.value));
    expect(action.discriminator).toBe('type');
    expect(action.baseMembers).toMatchObject([{ name: 'type', optional: false, type: { kind: 'named', name: 'TransactionActionKind' } }]);
    expect(action.variants.find((v) => v.value === 'abort')!.type).toMatchObject({
      kind: 'object',
      open: false,
      members: [{ name: 'data', optional: false, type: { kind: 'named', name: 'Abort' } }],
    });
    // the hoisted enum comes just before its union
    const index = model.types.findIndex((t) => t.name === 'TransactionAction');
    expect(model.types[index - 1]!.name).toBe('TransactionActionKind');
  });

  it("reads 'discriminator': {} as an alternate, 'gen': 'no' as gen false, and 'visitor'/'dict' as any/open object (2.0)", () => {
    const model = schema('spec/qemu-2.0.0/qapi-schema/qapi-schema.json');
    expect(type(model, 'BlockdevRef', 'alternate').alternatives.map((a) => a.name)).toEqual(['definition', 'reference']);
    const qomGet = command(model, 'qom-get');
    expect(qomGet.returns).toEqual({ kind: 'builtin', name: 'any' });
    expect(qomGet.flags).toEqual({ gen: false });
    const props = command(model, 'object-add').arguments.find((a) => a.name === 'props')!;
    expect(props.type).toEqual({ kind: 'object', members: [], open: true });
    expect(errors(model)).toEqual([]);
  });

  it("reads 'if' C conditions of QEMU 3.0-6.0 ('defined(X) && defined(Y)') as all/any/not of symbols", () => {
    const model = parseSchema('test/fixtures/qapi/qemu-5-conditions.json');
    const union = type(model, 'TestIfUnion', 'union');
    expect(union.if).toEqual({ all: ['TEST_IF_UNION', 'TEST_IF_STRUCT'] });
    expect(union.variants.find((v) => v.value === 'union_bar')!.if).toBe('TEST_IF_UNION_BAR');
    expect(type(model, 'TestIfUnionKind', 'enum').values.map((v) => [v.name, v.if])).toEqual([
      ['foo', undefined],
      ['union_bar', 'TEST_IF_UNION_BAR'],
    ]);
    expect(command(model, 'TestIfUnionCmd').if).toBe('TEST_IF_UNION');
    expect(type(model, 'TestIfAlternate', 'alternate').alternatives.map((a) => a.if)).toEqual([undefined, 'TEST_IF_ALT_BAR']);
    // the excerpt leaves TestStruct out: that is the only error
    expect(new Set(errors(model).map((d) => d.code))).toEqual(new Set(['unknown-type']));
  });

  it('reads the 1.1 slips (missing comma, trailing comma) as QEMU 1.1 did', () => {
    const model = parseSchema('test/fixtures/qapi/qemu-1.1-slips.json');
    expect(type(model, 'NewImageMode', 'enum').values.map((v) => v.name)).toEqual(['existing', 'absolute-paths']);
    expect(type(model, 'BlockdevAction', 'union').variants.map((v) => v.value)).toEqual(['blockdev-snapshot-sync']);
    expect(errors(model)).toEqual([]);
    expect(model.diagnostics.filter((d) => d.code === 'missing-comma' || d.code === 'trailing-comma')).toHaveLength(2);
  });
});

describe('pragmas', () => {
  it("reads 10.2's documentation-exceptions, and warns at an unknown pragma key instead of failing", () => {
    const model = parseSchema('test/fixtures/qapi/pragma-unknown.json');
    expect(model.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.message])).toEqual([
      ['warning', 'pragma-unknown', 8, 5, "unknown pragma 'x-future-exceptions'; ignored"],
    ]);
    expect(model.types.map((t) => t.name)).toEqual(['StatusInfo']);
    expect(schema('spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json').diagnostics.filter((d) => d.code.startsWith('pragma'))).toEqual([]);
  });
});

describe('parseSchema with a configuration', () => {
  it('filters by the symbols or preset given, and records them', () => {
    const model = parseSchema(spec72, { conditions: ['linux-x86_64'] });
    expect(model.source.configuration).toContain('CONFIG_SPICE');
    expect(model.commands.some((c) => c.name === 'query-spice')).toBe(true);
    expect(model.commands.some((c) => c.name === 'query-s390x-cpu-polarization' || c.name === 'rtc-reset-reinjection')).toBe(true);
    expect(model.commands.some((c) => c.name === 'query-gic-capabilities')).toBe(false); // TARGET_ARM
    const none = parseSchema(spec72, { conditions: [] });
    expect(none.commands.some((c) => c.name === 'query-spice')).toBe(false);
    expect(none.source.configuration).toEqual([]);
  });
});
