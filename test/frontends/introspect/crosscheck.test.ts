import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFromIntrospection } from '../../../codegen/frontends/introspect/index.js';
import { parseSchema } from '../../../codegen/frontends/qapi/index.js';
import { applyConfiguration, configurationPresets } from '../../../codegen/ir/conditions.js';
import { StructuralComparison } from './structural.js';

/**
 * The 7.2 source schema, configured as Debian's qemu-system-x86_64 7.2, against that binary's
 * own query-qmp-schema reply: the two front ends must agree exactly on command and event names,
 * argument names, optional flags and member types (structurally, as the reply hides type names).
 */
describe('7.2 schema (linux-x86_64) × 7.2 query-qmp-schema reply', () => {
  const schema = parseSchema('spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json');
  const reply = modelFromIntrospection(JSON.parse(readFileSync('spec/qemu-7.2.0/query-qmp-schema.json', 'utf8')), 'spec/qemu-7.2.0/query-qmp-schema.json');
  const preset = configurationPresets['linux-x86_64']!.symbols;

  it('agree exactly on commands, events, arguments, optional flags and member types', () => {
    const configured = applyConfiguration(schema, preset);
    expect(new StructuralComparison(configured, reply).run()).toEqual([]);
    expect(configured.commands.map((c) => c.name).sort()).toEqual(reply.commands.map((c) => c.name).sort());
    expect(configured.commands).toHaveLength(216);
    expect(configured.events).toHaveLength(52);
  });

  it('disagree when the configuration is wrong (so the agreement above means something)', () => {
    const s390 = new StructuralComparison(applyConfiguration(schema, [...preset, 'TARGET_S390X']), reply).run();
    expect(s390).toEqual([
      'command query-cpu-model-comparison: only in the first model',
      'command query-cpu-model-baseline: only in the first model',
      'command dump-skeys: only in the first model',
    ]);
    const withoutSpice = new StructuralComparison(
      applyConfiguration(
        schema,
        preset.filter((s) => s !== 'CONFIG_SPICE'),
      ),
      reply,
    ).run();
    expect(withoutSpice).toContain('command query-spice: only in the second model');
    expect(new StructuralComparison(schema, reply).run().length).toBeGreaterThan(10);
  });
});

/**
 * The same for 10.0.2: its source schema configured as Debian's bookworm-backports
 * qemu-system-x86_64 10.0.2 (linux-x86_64-10.0) against that binary's own reply.
 */
describe('10.0.2 schema (linux-x86_64-10.0) × 10.0.2 query-qmp-schema reply', () => {
  const schema = parseSchema('spec/qemu-10.0.2/qapi-schema/qapi/qapi-schema.json');
  const reply = modelFromIntrospection(JSON.parse(readFileSync('spec/qemu-10.0.2/query-qmp-schema.json', 'utf8')), 'spec/qemu-10.0.2/query-qmp-schema.json');
  const preset = configurationPresets['linux-x86_64-10.0']!.symbols;

  it('agree exactly on commands, events, arguments, optional flags and member types', () => {
    const configured = applyConfiguration(schema, preset);
    expect(new StructuralComparison(configured, reply).run()).toEqual([]);
    expect(configured.commands.map((c) => c.name).sort()).toEqual(reply.commands.map((c) => c.name).sort());
    expect(configured.commands).toHaveLength(233);
    expect(configured.events).toHaveLength(55);
  });

  it('disagree when the configuration is wrong: no sndio audio backend in this build, no s390x commands', () => {
    const sndio = new StructuralComparison(applyConfiguration(schema, [...preset, 'CONFIG_AUDIO_SNDIO']), reply).run();
    expect(sndio).toEqual([
      'command query-audiodevs returns[].driver: enum [none,alsa,dbus,jack,oss,pa,pipewire,sdl,sndio,spice,wav] vs [none,alsa,dbus,jack,oss,pa,pipewire,sdl,spice,wav]',
      'command query-audiodevs returns[]: cases [none,alsa,dbus,jack,oss,pa,pipewire,sdl,sndio,spice,wav] vs [none,alsa,dbus,jack,oss,pa,pipewire,sdl,spice,wav]',
    ]);
    const s390 = new StructuralComparison(applyConfiguration(schema, [...preset, 'TARGET_S390X']), reply).run();
    expect(s390).toContain('command query-cpu-model-comparison: only in the first model');
    expect(s390).toContain('command query-s390x-cpu-polarization: only in the first model');
  });
});
