/**
 * Build configurations for schema models: evaluates QAPI `if` conditions against the config
 * symbols that are true in a build, and filters a model down to what that build has.
 *
 * A schema model keeps every definition with its `if` (the schema describes every build);
 * `applyConfiguration` chooses one. Kept nodes keep their `if`, and `source.configuration`
 * records the symbols, so the result says what it was filtered for.
 */
import type { Command, Condition, Diagnostic, EnumValue, Event, Feature, Location, Member, NamedType, QmpModel, TypeRef } from './types.js';

export function evaluateCondition(condition: Condition, symbols: ReadonlySet<string>): boolean {
  if (typeof condition === 'string') return symbols.has(condition);
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, symbols));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, symbols));
  return !evaluateCondition(condition.not, symbols);
}

/** A `--if` name that is neither a preset nor a config symbol the model's conditions use. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * The symbols for a list of names as the CLI takes them (`--if SYM` or `--if PRESET`): each
 * preset name is replaced by its symbols; any other name is a symbol. With `known` (the symbols
 * the model's conditions use, `conditionSymbols`), a name that is no preset must be one of them,
 * or `ConfigurationError` says so and lists the presets: a mistyped preset would otherwise be
 * taken for a symbol that is true, and the build it names left out silently.
 */
export function resolveConfiguration(names: readonly string[], known?: ReadonlySet<string>): string[] {
  const symbols = new Set<string>();
  for (const name of names) {
    const preset = configurationPresets[name];
    if (preset === undefined && known !== undefined && !known.has(name)) throw new ConfigurationError(unknownName(name, known));
    for (const symbol of preset ? preset.symbols : [name]) symbols.add(symbol);
  }
  return [...symbols].sort();
}

/** The model as the build that `names` (presets or symbols, checked against the model) has it. */
export function configureModel(model: QmpModel, names: readonly string[]): QmpModel {
  return applyConfiguration(model, resolveConfiguration(names, conditionSymbols(model)));
}

function unknownName(name: string, known: ReadonlySet<string>): string {
  const presets = Object.keys(configurationPresets);
  const nearest = closest(name, [...presets, ...known]);
  const what = /^[A-Z][A-Z0-9_]*$/.test(name)
    ? known.size === 0
      ? 'a config symbol, but this model has no `if` conditions for it to decide'
      : 'a config symbol no `if` condition of this model uses'
    : 'no preset of that name';
  return (
    `--if ${name}: ${what}${nearest ? ` (did you mean ${nearest}?)` : ''}. ` +
    `Presets: ${presets.map((p) => `${p} (${configurationPresets[p]!.description})`).join(', ')}; ` +
    "or name config symbols (CONFIG_…, TARGET_…) that the schema's conditions use"
  );
}

/** The candidate nearest to `name` (case, `-` and `_` aside), if it is near enough to be a slip. */
function closest(name: string, candidates: string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/-/g, '_');
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(plain(name), plain(candidate));
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** Every config symbol the model's `if` conditions name, anywhere in it. */
export function conditionSymbols(model: QmpModel): Set<string> {
  const symbols = new Set<string>();
  const condition = (c: Condition | undefined): void => {
    if (c === undefined) return;
    if (typeof c === 'string') symbols.add(c);
    else if ('not' in c) condition(c.not);
    else ('all' in c ? c.all : c.any).forEach(condition);
  };
  const node = (n: { if?: Condition; features?: Feature[] }): void => {
    condition(n.if);
    n.features?.forEach((f) => condition(f.if));
  };
  const members = (list: readonly Member[]): void => {
    for (const m of list) {
      node(m);
      ref(m.type);
    }
  };
  const ref = (t: TypeRef): void => {
    if (t.kind === 'array') ref(t.of);
    else if (t.kind === 'union') t.of.forEach(ref);
    else if (t.kind === 'object') members(t.members);
    else if (t.kind === 'enum') t.values.forEach(node);
  };
  for (const c of model.commands) {
    node(c);
    members(c.arguments);
    if (c.returns) ref(c.returns);
  }
  for (const e of model.events) {
    node(e);
    members(e.data);
  }
  for (const t of model.types) {
    node(t);
    if (t.kind === 'struct') members(t.members);
    else if (t.kind === 'enum') t.values.forEach(node);
    else if (t.kind === 'union') {
      members(t.baseMembers);
      for (const v of t.variants) {
        condition(v.if);
        ref(v.type);
      }
    } else {
      for (const a of t.alternatives) {
        condition(a.if);
        ref(a.type);
      }
    }
  }
  return symbols;
}

/**
 * The model as the build with `symbols` true has it: every command, event, type, member, enum
 * value, branch and feature whose `if` is false is left out. A type still named after filtering
 * but left out by it (the schema's conditions disagree) is reported as a warning.
 */
export function applyConfiguration(model: QmpModel, symbols: Iterable<string>): QmpModel {
  const set = new Set(symbols);
  const keep = <T extends { if?: Condition }>(node: T): boolean => node.if === undefined || evaluateCondition(node.if, set);
  const features = (target: { features?: Feature[]; deprecated?: string }): void => {
    if (!target.features) return;
    target.features = target.features.filter(keep);
    if (!target.features.some((feature) => feature.name === 'deprecated')) delete target.deprecated;
    if (target.features.length === 0) delete target.features;
  };
  const member = (m: Member): Member => {
    const copy: Member = { ...m, type: ref(m.type) };
    features(copy);
    return copy;
  };
  const members = (list: Member[]): Member[] => list.filter(keep).map(member);
  const ref = (type: TypeRef): TypeRef => {
    switch (type.kind) {
      case 'array':
        return { kind: 'array', of: ref(type.of) };
      case 'object':
        return { ...type, members: members(type.members) };
      case 'enum':
        return { kind: 'enum', values: type.values.filter(keep).map(enumValue) };
      case 'union':
        return { kind: 'union', of: type.of.map(ref) };
      default:
        return type;
    }
  };
  const enumValue = (value: EnumValue): EnumValue => {
    const copy = { ...value };
    features(copy);
    return copy;
  };
  const namedType = (type: NamedType): NamedType => {
    let copy: NamedType;
    switch (type.kind) {
      case 'struct':
        copy = { ...type, members: members(type.members) };
        break;
      case 'enum':
        copy = { ...type, values: type.values.filter(keep).map(enumValue) };
        break;
      case 'union':
        copy = {
          ...type,
          baseMembers: members(type.baseMembers),
          variants: type.variants.filter(keep).map((variant) => ({ ...variant, type: ref(variant.type) })),
        };
        break;
      case 'alternate':
        copy = { ...type, alternatives: type.alternatives.filter(keep).map((alternative) => ({ ...alternative, type: ref(alternative.type) })) };
        break;
    }
    features(copy);
    return copy;
  };
  const command = (c: Command): Command => {
    const copy: Command = { ...c, arguments: members(c.arguments) };
    if (c.returns) copy.returns = ref(c.returns);
    features(copy);
    return copy;
  };
  const event = (e: Event): Event => {
    const copy: Event = { ...e, data: members(e.data) };
    features(copy);
    return copy;
  };
  const result: QmpModel = {
    ...model,
    source: { ...model.source, configuration: [...set].sort() },
    commands: model.commands.filter(keep).map(command),
    events: model.events.filter(keep).map(event),
    types: model.types.filter(keep).map(namedType),
  };
  result.diagnostics = [...model.diagnostics, ...danglingReferences(result)];
  return result;
}

/** References to named types that the configuration left out. */
function danglingReferences(model: QmpModel): Diagnostic[] {
  const names = new Set(model.types.map((type) => type.name));
  const found: Diagnostic[] = [];
  const check = (type: TypeRef | undefined, where: string, loc: Location): void => {
    if (!type) return;
    switch (type.kind) {
      case 'named':
        if (!names.has(type.name)) {
          found.push({
            severity: 'warning',
            code: 'configuration-dangling',
            message: `${where} uses '${type.name}', which this configuration leaves out`,
            ...loc,
          });
        }
        return;
      case 'array':
        return check(type.of, where, loc);
      case 'object':
        for (const m of type.members) check(m.type, `${where} member '${m.name}'`, m.loc);
        return;
      case 'union':
        for (const t of type.of) check(t, where, loc);
        return;
      default:
        return;
    }
  };
  const checkMembers = (list: Member[], where: string): void => {
    for (const m of list) check(m.type, `${where} member '${m.name}'`, m.loc);
  };
  for (const c of model.commands) {
    checkMembers(c.arguments, `command '${c.name}'`);
    check(c.argumentsType, `command '${c.name}'`, c.loc);
    check(c.returns, `command '${c.name}' return`, c.loc);
  }
  for (const e of model.events) {
    checkMembers(e.data, `event '${e.name}'`);
    check(e.dataType, `event '${e.name}'`, e.loc);
  }
  for (const t of model.types) {
    switch (t.kind) {
      case 'struct':
        checkMembers(t.members, `'${t.name}'`);
        if (t.base !== undefined) check({ kind: 'named', name: t.base }, `'${t.name}' base`, t.loc);
        break;
      case 'union':
        checkMembers(t.baseMembers, `'${t.name}'`);
        for (const v of t.variants) check(v.type, `'${t.name}' branch '${v.value}'`, v.loc ?? t.loc);
        break;
      case 'alternate':
        for (const a of t.alternatives) check(a.type, `'${t.name}' alternative '${a.name}'`, a.loc ?? t.loc);
        break;
      case 'enum':
        break;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Presets

export interface ConfigurationPreset {
  description: string;
  /** The config symbols the schemas test that are true in this build (all others are false). */
  symbols: readonly string[];
}

/**
 * Debian's qemu 7.2 `qemu-system-x86_64` (and `qemu-ga`) on Linux. Pinned by the cross-check
 * test: with these symbols the 7.2 schema gives exactly the commands, events, members and types
 * of that binary's `query-qmp-schema` reply (spec/qemu-7.2.0/query-qmp-schema.json). Symbols the
 * reply cannot tell (they only ever appear in an `any` with TARGET_I386) were set from the build:
 * CONFIG_LIBPMEM true (the binary links libpmem), TARGET_LOONGARCH64/MIPS/PPC false (an x86_64
 * build). False, and confirmed by the reply: CONFIG_BLKIO, CONFIG_COCOA, CONFIG_VMNET,
 * TARGET_ARM, TARGET_S390X; CONFIG_WIN32 (qemu-ga) is false on Linux.
 */
const debian72X86_64: readonly string[] = [
  'CONFIG_CURSES',
  'CONFIG_DBUS_DISPLAY',
  'CONFIG_FDT',
  'CONFIG_FUSE',
  'CONFIG_GBM',
  'CONFIG_GTK',
  'CONFIG_LIBPMEM',
  'CONFIG_LINUX',
  'CONFIG_LINUX_IO_URING',
  'CONFIG_OPENGL',
  'CONFIG_POSIX',
  'CONFIG_REPLICATION',
  'CONFIG_SDL',
  'CONFIG_SECRET_KEYRING',
  'CONFIG_SPICE',
  'CONFIG_SPICE_PROTOCOL',
  'CONFIG_TCG',
  'CONFIG_TPM',
  'CONFIG_VDUSE_BLK_EXPORT',
  'CONFIG_VHOST_CRYPTO',
  'CONFIG_VHOST_USER_BLK_SERVER',
  'CONFIG_VNC',
  'CONFIG_ZSTD',
  'HAVE_HOST_BLOCK_DEVICE',
  'HAVE_IPPROTO_MPTCP',
  'TARGET_I386',
];

/**
 * QEMU 10.2 on Linux x86_64, built as Debian builds it. No 10.2 binary runs here, so this is
 * derived, not measured: QEMU 10.1 dropped the TARGET_* conditions (target-specific commands are
 * in every build); every CONFIG_* choice of the 7.2 build is kept; the symbols new since 7.2 are
 * - true where the 7.2 build already had the feature: the audio backends Debian ships as modules
 *   (ALSA, JACK, OSS, PulseAudio, SDL, sndio), CONFIG_BRLAPI (the braille chardev module),
 *   CONFIG_EBPF (the binary links libbpf);
 * - true because Linux has them and they need no optional library: HAVE_CHARDEV_PARALLEL,
 *   HAVE_CHARDEV_SERIAL, HAVE_TCP_KEEPCNT/KEEPIDLE/KEEPINTVL, CONFIG_PASST (10.1's passt
 *   netdev), CONFIG_PIXMAN (the GTK/SDL/VNC displays need it), and for qemu-ga CONFIG_FSFREEZE,
 *   CONFIG_FSTRIM, CONFIG_GETLOADAVG, HAVE_GETIFADDRS, HAVE_UTMPX, CONFIG_LIBUDEV (Debian's
 *   qemu-ga links libudev);
 * - true by assumption: CONFIG_AUDIO_PIPEWIRE (backend of 8.1; Debian carries libpipewire);
 * - false: what needs a library Debian's 7.2 build lacked or another host (CONFIG_AF_XDP,
 *   CONFIG_BLKIO, CONFIG_BLKIO_VHOST_VDPA_FD, CONFIG_IGVM, CONFIG_QATZIP, CONFIG_QPL,
 *   CONFIG_UADK, CONFIG_COCOA, CONFIG_VMNET, CONFIG_AUDIO_COREAUDIO, CONFIG_AUDIO_DSOUND,
 *   CONFIG_WIN32, CONFIG_FREEBSD).
 */
const linux102X86_64: readonly string[] = [
  ...debian72X86_64.filter((symbol) => !symbol.startsWith('TARGET_')),
  'CONFIG_AUDIO_ALSA',
  'CONFIG_AUDIO_JACK',
  'CONFIG_AUDIO_OSS',
  'CONFIG_AUDIO_PA',
  'CONFIG_AUDIO_PIPEWIRE',
  'CONFIG_AUDIO_SDL',
  'CONFIG_AUDIO_SNDIO',
  'CONFIG_BRLAPI',
  'CONFIG_EBPF',
  'CONFIG_FSFREEZE',
  'CONFIG_FSTRIM',
  'CONFIG_GETLOADAVG',
  'CONFIG_LIBUDEV',
  'CONFIG_PASST',
  'CONFIG_PIXMAN',
  'HAVE_CHARDEV_PARALLEL',
  'HAVE_CHARDEV_SERIAL',
  'HAVE_GETIFADDRS',
  'HAVE_TCP_KEEPCNT',
  'HAVE_TCP_KEEPIDLE',
  'HAVE_TCP_KEEPINTVL',
  'HAVE_UTMPX',
];

/**
 * Debian's qemu 10.0.2 `qemu-system-x86_64` (and `qemu-ga`) on Linux, as bookworm-backports
 * ships it (1:10.0.2+ds-2+deb13u1~bpo12+1). Measured, as the 7.2 preset: with these symbols the
 * 10.0.2 schema gives exactly the commands, events, members, enum values and branches of that
 * binary's `query-qmp-schema` reply (`-machine none`), and the qga schema exactly the commands
 * its `qemu-ga`'s `guest-info` lists. 10.0 still has the TARGET_* conditions (10.1 dropped
 * them). Against the 7.2 build, the reply shows
 * - true: the audio backends ALSA, JACK, OSS, PulseAudio, PipeWire and SDL, CONFIG_BRLAPI,
 *   CONFIG_EBPF (request-ebpf), CONFIG_PIXMAN (screendump), HAVE_CHARDEV_PARALLEL,
 *   HAVE_CHARDEV_SERIAL, and every CONFIG_* the 7.2 build had (CONFIG_LIBPMEM: the `pmem` member
 *   of memory-backend-file);
 * - false: CONFIG_AUDIO_SNDIO (Debian's 10.0 build has no sndio backend), CONFIG_AF_XDP,
 *   CONFIG_BLKIO, CONFIG_QATZIP, CONFIG_QPL, CONFIG_UADK, CONFIG_COCOA, CONFIG_VMNET,
 *   CONFIG_AUDIO_COREAUDIO, CONFIG_AUDIO_DSOUND, CONFIG_WIN32, TARGET_ARM, TARGET_S390X.
 * The reply cannot tell, set from the build: CONFIG_KVM true (x86_64 with KVM; the schema only
 * tests it with TARGET_S390X), CONFIG_BLKIO_VHOST_VDPA_FD false (only inside CONFIG_BLKIO; the
 * binary does not link libblkio), TARGET_LOONGARCH64/MIPS/PPC/RISCV false (an x86_64 build).
 * qemu-ga's `guest-info` shows CONFIG_FSFREEZE, CONFIG_FSTRIM, CONFIG_GETLOADAVG,
 * CONFIG_LIBUDEV, HAVE_GETIFADDRS and HAVE_UTMPX true (the commands they guard are there);
 * CONFIG_FREEBSD is false on Linux.
 */
const debian100X86_64: readonly string[] = [
  ...debian72X86_64,
  'CONFIG_AUDIO_ALSA',
  'CONFIG_AUDIO_JACK',
  'CONFIG_AUDIO_OSS',
  'CONFIG_AUDIO_PA',
  'CONFIG_AUDIO_PIPEWIRE',
  'CONFIG_AUDIO_SDL',
  'CONFIG_BRLAPI',
  'CONFIG_EBPF',
  'CONFIG_FSFREEZE',
  'CONFIG_FSTRIM',
  'CONFIG_GETLOADAVG',
  'CONFIG_KVM',
  'CONFIG_LIBUDEV',
  'CONFIG_PIXMAN',
  'HAVE_CHARDEV_PARALLEL',
  'HAVE_CHARDEV_SERIAL',
  'HAVE_GETIFADDRS',
  'HAVE_UTMPX',
];

/** Named build configurations, for `--if PRESET` and `SchemaOptions.conditions`. */
export const configurationPresets: Readonly<Record<string, ConfigurationPreset>> = {
  'linux-x86_64': {
    description: "Debian's qemu 7.2 qemu-system-x86_64 (and qemu-ga) on Linux",
    symbols: debian72X86_64,
  },
  'linux-x86_64-7.2': {
    description: "Debian's qemu 7.2 qemu-system-x86_64 (and qemu-ga) on Linux (same as linux-x86_64)",
    symbols: debian72X86_64,
  },
  'linux-x86_64-10.0': {
    description: "Debian's qemu 10.0.2 qemu-system-x86_64 (and qemu-ga) on Linux (bookworm-backports)",
    symbols: debian100X86_64,
  },
  'linux-x86_64-10.2': {
    description: 'QEMU 10.2 qemu-system-x86_64 (and qemu-ga) on Linux, built as Debian builds it (derived)',
    symbols: linux102X86_64,
  },
};
