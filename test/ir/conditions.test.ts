import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../codegen/frontends/qapi/index.js';
import {
  applyConfiguration,
  conditionSymbols,
  ConfigurationError,
  configurationPresets,
  configureModel,
  evaluateCondition,
  resolveConfiguration,
} from '../../codegen/ir/conditions.js';
import type { Condition, NamedType, QmpModel } from '../../codegen/ir/types.js';

const model72 = parseSchema('spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json');
const qga102 = parseSchema('spec/qemu-10.2.0/qapi-schema/qga/qapi-schema.json');

function named<K extends NamedType['kind']>(model: QmpModel, name: string, kind: K): Extract<NamedType, { kind: K }> {
  const found = model.types.find((t) => t.name === name);
  if (found?.kind !== kind) throw new Error(`no ${kind} ${name}`);
  return found as Extract<NamedType, { kind: K }>;
}

describe('evaluateCondition', () => {
  // Conditions as the schemas write them (7.2 ui.json, 7.2 machine-target.json, 10.2 qga).
  const eglHeadless: Condition = { all: ['CONFIG_OPENGL', 'CONFIG_GBM'] };
  const cpuModelExpansion: Condition = { any: ['TARGET_S390X', 'TARGET_I386', 'TARGET_ARM'] };
  const merged: Condition = { not: 'CONFIG_WIN32' };

  it('is true for a symbol in the set, and combines all/any/not', () => {
    expect(evaluateCondition('CONFIG_SPICE', new Set(['CONFIG_SPICE']))).toBe(true);
    expect(evaluateCondition('CONFIG_SPICE', new Set())).toBe(false);
    expect(evaluateCondition(eglHeadless, new Set(['CONFIG_OPENGL']))).toBe(false);
    expect(evaluateCondition(eglHeadless, new Set(['CONFIG_OPENGL', 'CONFIG_GBM']))).toBe(true);
    expect(evaluateCondition(cpuModelExpansion, new Set(['TARGET_I386']))).toBe(true);
    expect(evaluateCondition(cpuModelExpansion, new Set(['TARGET_PPC']))).toBe(false);
    expect(evaluateCondition(merged, new Set())).toBe(true);
    expect(evaluateCondition({ not: { any: ['A', 'B'] } }, new Set(['B']))).toBe(false);
  });
});

describe('resolveConfiguration', () => {
  it('expands preset names and keeps other names as symbols, sorted, once each', () => {
    expect(resolveConfiguration(['CONFIG_VNC', 'CONFIG_SPICE', 'CONFIG_VNC'])).toEqual(['CONFIG_SPICE', 'CONFIG_VNC']);
    const preset = resolveConfiguration(['linux-x86_64']);
    expect(preset).toEqual([...configurationPresets['linux-x86_64']!.symbols].sort());
    expect(preset).toContain('TARGET_I386');
    expect(resolveConfiguration(['linux-x86_64', 'CONFIG_BLKIO'])).toContain('CONFIG_BLKIO');
  });

  it('has a 10.2 preset without TARGET_* symbols (10.1 dropped them)', () => {
    const symbols = configurationPresets['linux-x86_64-10.2']!.symbols;
    expect(symbols.filter((s) => s.startsWith('TARGET_'))).toEqual([]);
    expect(symbols).toContain('CONFIG_LINUX');
    expect(symbols).not.toContain('CONFIG_WIN32');
  });

  it('has a 10.0 preset that still has TARGET_I386 (10.0 has target conditions) and no sndio', () => {
    const symbols = configurationPresets['linux-x86_64-10.0']!.symbols;
    expect(symbols.filter((s) => s.startsWith('TARGET_'))).toEqual(['TARGET_I386']);
    expect(symbols).toContain('CONFIG_KVM');
    expect(symbols).not.toContain('CONFIG_AUDIO_SNDIO');
    expect(symbols).not.toContain('CONFIG_WIN32');
  });

  it("gives 10.0.2's qga schema the commands Debian's qemu-ga 10.0.2 lists in guest-info: all but Windows' guest-get-devices", () => {
    const qga1002 = parseSchema('spec/qemu-10.0.2/qapi-schema/qga/qapi-schema.json');
    const configured = applyConfiguration(qga1002, configurationPresets['linux-x86_64-10.0']!.symbols);
    expect(qga1002.commands.map((c) => c.name).filter((name) => !configured.commands.some((c) => c.name === name))).toEqual(['guest-get-devices']);
    expect(configured.commands).toHaveLength(43);
  });
});

describe('configureModel', () => {
  it('refuses a mistyped preset, listing the presets and the nearest name, instead of taking it for a symbol', () => {
    // Taken as a symbol, this left out 24 commands and 7 events of 7.2 without a word.
    const mistyped = () => configureModel(model72, ['linux-x86-64-7.2']);
    expect(mistyped).toThrow(ConfigurationError);
    expect(mistyped).toThrow(
      /^--if linux-x86-64-7\.2: no preset of that name \(did you mean linux-x86_64-7\.2\?\)\. Presets: linux-x86_64 \(.*\), linux-x86_64-7\.2 .*linux-x86_64-10\.2/,
    );
  });

  it('refuses a symbol no condition of the schema uses, naming the nearest one it does', () => {
    expect(() => configureModel(model72, ['CONFIG_SPIC'])).toThrow(
      /--if CONFIG_SPIC: a config symbol no `if` condition of this model uses \(did you mean CONFIG_SPICE\?\)/,
    );
    expect(configureModel(model72, ['CONFIG_SPICE']).source.configuration).toEqual(['CONFIG_SPICE']);
  });

  it('takes presets anywhere, and refuses a symbol where the model has no conditions (text documents)', () => {
    const text = { ...model72, commands: [], events: [], types: [] };
    expect(conditionSymbols(text).size).toBe(0);
    expect(configureModel(text, ['linux-x86_64']).source.configuration).toContain('CONFIG_LINUX');
    expect(() => configureModel(text, ['CONFIG_SPICE'])).toThrow(/no `if` conditions for it to decide/);
  });

  it('collects the symbols of every kind of node: commands, members, enum values, branches, features', () => {
    const symbols = conditionSymbols(model72);
    for (const s of ['CONFIG_SPICE', 'CONFIG_VNC', 'TARGET_I386', 'CONFIG_LINUX', 'CONFIG_REPLICATION']) expect(symbols).toContain(s);
  });
});

describe('applyConfiguration', () => {
  it('leaves out commands, members, enum values and branches whose if is false; kept ones keep their if', () => {
    const linux = applyConfiguration(model72, ['CONFIG_LINUX', 'CONFIG_POSIX']);
    expect(linux.commands.some((c) => c.name === 'query-spice')).toBe(false);
    expect(linux.types.some((t) => t.name === 'SpiceInfo')).toBe(false);
    const aio = named(linux, 'BlockdevAioOptions', 'enum');
    expect(aio.values.map((v) => v.name)).toEqual(['threads', 'native']); // io_uring needs CONFIG_LINUX_IO_URING
    const file = named(linux, 'BlockdevOptionsFile', 'struct');
    expect(file.members.find((m) => m.name === 'drop-cache')).toMatchObject({ if: 'CONFIG_LINUX' });
    expect(file.members.some((m) => m.name === 'pr-manager')).toBe(true);
    const display = named(linux, 'DisplayType', 'enum').values.map((v) => v.name);
    expect(display).not.toContain('egl-headless');
    const stats = named(linux, 'BlockStatsSpecific', 'union');
    expect(stats.variants.find((v) => v.value === 'host_device')).toBeUndefined(); // HAVE_HOST_BLOCK_DEVICE
    expect(linux.source.configuration).toEqual(['CONFIG_LINUX', 'CONFIG_POSIX']);
  });

  it('does not change the model it is given', () => {
    const before = JSON.stringify(model72);
    applyConfiguration(model72, []);
    expect(JSON.stringify(model72)).toBe(before);
  });

  it('evaluates not: the Windows guest agent has no merged output mode', () => {
    const mode = (symbols: string[]): string[] => named(applyConfiguration(qga102, symbols), 'GuestExecCaptureOutputMode', 'enum').values.map((v) => v.name);
    expect(mode(['CONFIG_LINUX', 'CONFIG_POSIX'])).toContain('merged');
    expect(mode(['CONFIG_WIN32'])).not.toContain('merged');
  });

  it('leaves out a feature whose if is false', () => {
    // 10.2 BlockdevOptionsFile: features [{ name: 'dynamic-auto-read-only', if: 'CONFIG_POSIX' }]
    const model102 = parseSchema('spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json');
    const features = (symbols: string[]): string[] | undefined =>
      named(applyConfiguration(model102, symbols), 'BlockdevOptionsFile', 'struct').features?.map((f) => f.name);
    expect(features(['CONFIG_POSIX'])).toEqual(['dynamic-auto-read-only']);
    expect(features([])).toBeUndefined();
  });

  it('warns where the schema refers to a type its conditions leave out', () => {
    // 7.2 with query-spice's own condition removed: it still returns SpiceInfo (if CONFIG_SPICE).
    const loose = structuredClone(model72);
    delete loose.commands.find((c) => c.name === 'query-spice')!.if;
    const result = applyConfiguration(loose, []);
    const dangling = result.diagnostics.filter((d) => d.code === 'configuration-dangling');
    expect(dangling.map((d) => [d.severity, d.message, d.file.split('/').pop()])).toEqual([
      ['warning', "command 'query-spice' return uses 'SpiceInfo', which this configuration leaves out", 'ui.json'],
    ]);
    expect(applyConfiguration(model72, []).diagnostics.filter((d) => d.code === 'configuration-dangling')).toEqual([]);
  });
});
