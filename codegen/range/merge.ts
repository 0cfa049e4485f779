/**
 * Several releases' models → one model true for every one of them: what `generate --range`
 * writes, fed to the emitters like any other model.
 *
 * - A command or event is in the range if every release has it.
 * - What a client sends (arguments, and every type reached from them) accepts only what every
 *   release accepts: a member required in any release is required, an optional member absent
 *   from some release is left out, enum values, union branches and alternatives only where every
 *   release has them. Where no value is accepted by all (a member required in one release and
 *   absent from another, or of incompatible types), the smallest part that can be left out is
 *   left out (an optional member, a branch, an alternative, or else the command), and the
 *   conflict is reported at its place.
 * - What a client receives (returns, event data) admits whatever any release may send: a member
 *   not in every release is optional, with remarks naming the releases that send it; enum values
 *   and branches of any release; incompatible types become a union of both (reported too).
 *
 * Types are matched across releases where they are used (the type of `blockdev-add`'s `file` in
 * one release with the type at the same place in the next), never by name alone: QEMU renames
 * types without changing the wire, and introspection has no names at all. A type reached both
 * ways is merged both ways; where the two results differ, the sent form keeps the type's name and
 * the received form is `<Name>Received`, otherwise there is one type. Merged types are named as
 * the newest release with a schema names them, and say their older names.
 *
 * Findings are diagnostics of the merged model: `range-conflict` (warning: the releases cannot be
 * merged faithfully there), `range-left-out` and `range-absent` (info: what the range drops).
 */
import { factsOf, type ModelFacts } from '../ir/facts.js';
import { ConformanceChecker } from '../ir/conformance.js';
import type {
  AlternateType,
  BuiltinName,
  Command,
  Diagnostic,
  Doc,
  EnumType,
  EnumValue,
  Event,
  Example,
  Feature,
  Location,
  Member,
  NamedType,
  QmpModel,
  StructType,
  TypeRef,
  UnionType,
  UnionVariant,
} from '../ir/types.js';

export interface RangeRelease {
  /** How the release is named in remarks and findings, e.g. `7.2.0`. */
  label: string;
  model: QmpModel;
}

/** Whether a type is merged as a client sends it (`in`) or as it receives it (`out`). */
export type Direction = 'in' | 'out';

export class RangeMergeError extends Error {
  override name = 'RangeMergeError';
}

/** The model true for every release of `releases` (oldest first; the newest names things). */
export function mergeReleases(releases: RangeRelease[]): QmpModel {
  if (releases.length < 2) throw new RangeMergeError(`a range needs at least two releases, got ${releases.length}`);
  const labels = releases.map((r) => r.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice !== undefined) throw new RangeMergeError(`release ${twice} is named twice in the range`);
  return new RangeMerger(releases).run();
}

interface Input {
  /** The release's index in the range. */
  r: number;
  ref: TypeRef;
}

/** Why no value at a place is accepted by every release, and where. */
interface Refusal {
  refused: string;
  loc: Location;
}

type Merged = TypeRef | Refusal;

function isRefusal<T extends object>(m: T | Refusal): m is Refusal {
  return 'refused' in m;
}

type Shape =
  | { kind: 'builtin'; name: BuiltinName }
  | { kind: 'enum'; values: EnumValue[]; type?: EnumType }
  | { kind: 'struct'; members: readonly Member[]; open: boolean; type?: StructType }
  | { kind: 'union'; type: UnionType }
  | { kind: 'alternate'; alternatives: { name: string; type: TypeRef; doc?: string; loc?: Location }[]; type?: AlternateType }
  | { kind: 'array'; of: TypeRef };

/** JSON kinds, as QEMU's alternates tell their alternatives apart (QType). */
type Category = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'qtype' | 'any';

/** A merged named type in the making: its key is its direction and the types it merges. */
interface Proto {
  key: string;
  dir: Direction;
  inputs: Input[];
  /** The releases' names for it, newest first, without repeats. */
  names: string[];
  /** The name the newest release with a schema gives it. */
  name: string;
  type?: NamedType;
  refusal?: Refusal;
}

const emptyObject: TypeRef = { kind: 'object', members: [], open: false };

const integerRanges: Partial<Record<BuiltinName, [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  size: [0n, 2n ** 64n - 1n],
};

class RangeMerger {
  private readonly facts: ModelFacts[];
  private readonly labels: string[];
  private readonly protos = new Map<string, Proto>();
  private readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly releases: RangeRelease[]) {
    this.facts = releases.map((r) => factsOf(r.model));
    this.labels = releases.map((r) => r.label);
  }

  run(): QmpModel {
    const commands: Command[] = [];
    for (const name of this.namesInAll('commands')) {
      const command = this.command(name);
      if (command) commands.push(command);
    }
    const events = this.namesInAll('events').map((name) => this.event(name));
    const model: QmpModel = {
      irVersion: 1,
      source: {
        frontend: 'range',
        files: [...new Set(this.releases.flatMap((r) => r.model.source.files))],
        releases: this.labels,
        ...(this.releases.at(-1)!.model.source.configuration ? { configuration: this.releases.at(-1)!.model.source.configuration! } : {}),
      },
      commands,
      events,
      types: [],
      diagnostics: this.diagnostics,
    };
    this.finish(model);
    // A named arguments or data type's members are on the wire at the top (a union's base).
    const byName = new Map(model.types.map((t) => [t.name, t]));
    const topMembers = (name: string): Member[] => {
      const type = byName.get(name);
      return type?.kind === 'struct' ? type.members : type?.kind === 'union' ? type.baseMembers : [];
    };
    for (const command of model.commands) if (command.argumentsType) command.arguments = topMembers(command.argumentsType.name);
    for (const event of model.events) if (event.dataType) event.data = topMembers(event.dataType.name);
    this.keepTrueExamples(model);
    return model;
  }

  // -------------------------------------------------------------------------------------------
  // Commands and events

  /** Names every release has, in the newest release's order; the others are reported absent. */
  private namesInAll(what: 'commands' | 'events'): string[] {
    const sets = this.releases.map((r) => new Set(r.model[what].map((c) => c.name)));
    const seen = new Set<string>();
    const inAll: string[] = [];
    for (let r = this.releases.length - 1; r >= 0; r--) {
      for (const entry of this.releases[r]!.model[what]) {
        if (seen.has(entry.name)) continue;
        seen.add(entry.name);
        const having = sets.map((s, i) => (s.has(entry.name) ? i : -1)).filter((i) => i >= 0);
        if (having.length === this.releases.length) inAll.push(entry.name);
        else {
          const subject = `${what === 'commands' ? 'command' : 'event'} ${entry.name}`;
          const loc = this.located(having.map((i) => ({ r: i, loc: this.releases[i]!.model[what].find((e) => e.name === entry.name)!.loc })));
          this.finding('info', 'range-absent', `${subject}: left out, only ${this.qemu(having)} ${verb(having, 'has', 'have')} it`, loc);
        }
      }
    }
    return inAll;
  }

  private entries<K extends 'commands' | 'events'>(what: K, name: string): QmpModel[K][number][] {
    return this.releases.map((r) => (r.model[what] as QmpModel[K][number][]).find((c) => c.name === name)!);
  }

  private command(name: string): Command | undefined {
    const versions = this.entries('commands', name);
    const newest = versions.at(-1)!;
    const subject = `command ${name}`;
    this.pendingNotes.length = 0;
    const args = this.merge(
      'in',
      versions.map((c, r) => ({ r, ref: c.argumentsType ?? { kind: 'object', members: c.arguments, open: false } })),
      subject,
    );
    if (isRefusal(args)) {
      this.finding('warning', 'range-conflict', `${subject}: left out, no arguments are accepted by every release: ${args.refused}`, args.loc);
      return undefined;
    }
    const argNotes = this.pendingNotes.splice(0);
    const returns = versions.every((c) => c.returns === undefined)
      ? undefined
      : (this.merge(
          'out',
          versions.map((c, r) => ({ r, ref: c.returns ?? emptyObject })),
          `${subject} returns`,
        ) as TypeRef);
    const command: Command = {
      name,
      doc: this.doc(
        versions.map((c) => c.doc),
        argNotes,
      ),
      arguments: args.kind === 'object' ? args.members : [],
      ...(args.kind === 'named' ? { argumentsType: args } : {}),
      ...(returns ? { returns } : {}),
      examples: newestExamples(versions),
      ...common(versions),
      ...(newest.flags ? { flags: { ...newest.flags, ...(versions.some((c) => !c.flags?.allowOob) ? { allowOob: false } : {}) } } : {}),
      loc: this.located(versions.map((c, r) => ({ r, loc: c.loc }))),
    };
    if (command.flags?.allowOob === false && !newest.flags?.allowOob) delete command.flags.allowOob;
    this.pendingNotes.length = 0;
    return command;
  }

  private event(name: string): Event {
    const versions = this.entries('events', name);
    const data = this.merge(
      'out',
      versions.map((e, r) => ({ r, ref: e.dataType ?? { kind: 'object', members: e.data, open: false } })),
      `event ${name}`,
    ) as TypeRef;
    this.pendingNotes.length = 0;
    return {
      name,
      doc: this.doc(versions.map((e) => e.doc)),
      data: data.kind === 'object' ? data.members : [],
      ...(data.kind === 'named' ? { dataType: data } : {}),
      examples: newestExamples(versions),
      ...common(versions),
      loc: this.located(versions.map((e, r) => ({ r, loc: e.loc }))),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Types, by where they are used

  /** The type of one place in every release that has it (`inputs`), merged for `dir`. */
  private merge(dir: Direction, inputs: Input[], subject: string): Merged {
    const shapes = inputs.map((i) => this.shape(i));
    const kind = shapes[0]!.kind;
    if (kind !== 'builtin' && kind !== 'array' && inputs.every((i) => i.ref.kind === 'named') && shapes.every((s) => s.kind === kind)) {
      return this.named(dir, inputs, shapes);
    }
    return this.general(dir, inputs, shapes, subject);
  }

  private shape({ r, ref }: Input): Shape {
    switch (ref.kind) {
      case 'builtin':
        return { kind: 'builtin', name: ref.name };
      case 'array':
        return { kind: 'array', of: ref.of };
      case 'enum':
        return { kind: 'enum', values: ref.values };
      case 'object':
        return { kind: 'struct', members: ref.members, open: ref.open };
      case 'union':
        return { kind: 'alternate', alternatives: ref.of.map((type, i) => ({ name: String(i), type })) };
      case 'named': {
        const type = this.facts[r]!.type(ref.name);
        if (type === undefined) throw new RangeMergeError(`QEMU ${this.labels[r]}: type ${ref.name} is used but not defined`);
        switch (type.kind) {
          case 'struct':
            return { kind: 'struct', members: this.facts[r]!.structMembers(type.name), open: false, type };
          case 'enum':
            return { kind: 'enum', values: type.values, type };
          case 'union':
            return { kind: 'union', type };
          case 'alternate':
            return { kind: 'alternate', alternatives: type.alternatives, type };
        }
      }
    }
  }

  private category(shape: Shape, r: number): Category {
    switch (shape.kind) {
      case 'builtin':
        if (shape.name === 'str') return 'string';
        if (shape.name === 'bool') return 'boolean';
        if (shape.name === 'null') return 'null';
        if (shape.name === 'any') return 'any';
        if (shape.name === 'QType') return 'qtype';
        return 'number';
      case 'enum':
        return 'string';
      case 'struct':
      case 'union':
        return 'object';
      case 'array':
        return 'array';
      case 'alternate':
        throw new RangeMergeError(`QEMU ${this.labels[r]}: an alternate inside an alternate`);
    }
  }

  /** Named types of one kind in every release: one merged named type, made once per direction. */
  private named(dir: Direction, inputs: Input[], shapes: Shape[]): Merged {
    const key = `${dir}|${inputs.map((i) => `${i.r}:${(i.ref as { name: string }).name}`).join('|')}`;
    const known = this.protos.get(key);
    if (known) return known.refusal ?? { kind: 'named', name: key };
    const sources = shapes.map((s) => (s as { type: NamedType }).type);
    const names = [...new Set(sources.map((t) => t.name).reverse())];
    const proto: Proto = { key, dir, inputs, names, name: sources[this.namer(inputs)]!.name };
    this.protos.set(key, proto);
    const subject = `type ${proto.name}`;
    const saved = this.pendingNotes.splice(0);
    const body = this.namedBody(dir, inputs, shapes, subject);
    const notes = this.pendingNotes.splice(0);
    this.pendingNotes.push(...saved);
    if (isRefusal(body)) {
      proto.refusal = body;
      return body;
    }
    // The type at these places under another name: renamed, or replaced by one of the same use.
    const renamed = names
      .filter((n) => n !== proto.name)
      .map((n) => `Called \`${n}\` in ${this.qemu(inputs.filter((_, i) => sources[i]!.name === n).map((i) => i.r))}, at the same places.`);
    proto.type = {
      ...body,
      name: key,
      doc: this.doc(
        sources.map((t) => t.doc),
        [...notes, ...renamed],
      ),
      ...common(sources),
      ...(sources.some((t) => t.hoisted) && sources.every((t) => t.hoisted) ? { hoisted: true } : {}),
      ...newestExamplesOf(sources),
      loc: this.located(sources.map((t, i) => ({ r: inputs[i]!.r, loc: t.loc }))),
    };
    return { kind: 'named', name: key };
  }

  /** The input whose name the merged type takes: the newest from a schema (introspection names are made up). */
  private namer(inputs: Input[]): number {
    for (let i = inputs.length - 1; i >= 0; i--) {
      if (this.releases[inputs[i]!.r]!.model.source.frontend !== 'introspection') return i;
    }
    return inputs.length - 1;
  }

  private namedBody(
    dir: Direction,
    inputs: Input[],
    shapes: Shape[],
    subject: string,
  ):
    | Omit<StructType, 'name' | 'doc' | 'loc'>
    | Omit<EnumType, 'name' | 'doc' | 'loc'>
    | Omit<UnionType, 'name' | 'doc' | 'loc'>
    | Omit<AlternateType, 'name' | 'doc' | 'loc'>
    | Refusal {
    const at = (shapes.at(-1) as { type: NamedType }).type.loc;
    switch (shapes[0]!.kind) {
      case 'struct': {
        const merged = this.object(
          dir,
          inputs.map((i, n) => ({ r: i.r, ...(shapes[n] as { members: readonly Member[]; open: boolean }) })),
          subject,
        );
        if (isRefusal(merged)) return merged;
        this.pendingNotes.push(...merged.notes);
        return { kind: 'struct', members: merged.members };
      }
      case 'enum': {
        const merged = this.enumeration(
          dir,
          inputs.map((i, n) => ({ r: i.r, values: (shapes[n] as { values: EnumValue[] }).values })),
          subject,
          at,
        );
        if (isRefusal(merged)) return merged;
        const prefix = (shapes.at(-1) as { type: EnumType }).type.prefix;
        return { kind: 'enum', values: merged, ...(prefix !== undefined ? { prefix } : {}) };
      }
      case 'union':
        return this.union(
          dir,
          inputs.map((i, n) => ({ r: i.r, type: (shapes[n] as { type: UnionType }).type })),
          subject,
          at,
        );
      case 'alternate': {
        const merged = this.alternatives(dir, inputs, shapes, subject, at);
        if (isRefusal(merged)) return merged;
        return { kind: 'alternate', alternatives: merged };
      }
      default:
        throw new RangeMergeError(`${subject}: not a named kind`);
    }
  }

  /** Types of different kinds at one place (or builtins, arrays, inline types): by JSON kind. */
  private general(dir: Direction, inputs: Input[], shapes: Shape[], subject: string): Merged {
    const loc = this.locOf(inputs, shapes);
    const isAny = shapes.map((s) => s.kind === 'builtin' && s.name === 'any');
    if (isAny.some(Boolean) && (dir === 'out' || isAny.every(Boolean))) return { kind: 'builtin', name: 'any' };
    // `any` accepts whatever the others accept: it adds nothing to what every release takes.
    const liveInputs = inputs.filter((_, n) => !isAny[n]);
    const liveShapes = shapes.filter((_, n) => !isAny[n]);
    const alternatives = this.alternatives(dir, liveInputs, liveShapes, subject, loc);
    if (isRefusal(alternatives)) return alternatives;
    if (alternatives.length === 1) return alternatives[0]!.type;
    const alternate = liveShapes.map((s, n) => [s, n] as const).filter(([s]) => s.kind === 'alternate' && s.type !== undefined);
    if (alternate.length === 0) return { kind: 'union', of: alternatives.map((a) => a.type) };
    // Some release has a named alternate here: the merged alternate is named after it.
    const key = `${dir}|${liveInputs.map((i) => `${i.r}:${refKey(i.ref)}`).join('|')}`;
    const sources = alternate.map(([s]) => (s as { type: AlternateType }).type);
    if (!this.protos.has(key)) {
      const names = [...new Set(sources.map((t) => t.name).reverse())];
      const namedInputs = alternate.map(([, n]) => liveInputs[n]!);
      const proto: Proto = { key, dir, inputs: liveInputs, names, name: sources[this.namer(namedInputs)]!.name };
      proto.type = {
        kind: 'alternate',
        name: key,
        alternatives: alternatives,
        doc: this.doc(sources.map((t) => t.doc)),
        ...common(sources),
        loc: sources.at(-1)!.loc,
      };
      this.protos.set(key, proto);
    }
    return { kind: 'named', name: key };
  }

  /**
   * The alternatives at a place, by JSON kind: for `in`, the kinds every release accepts; for
   * `out`, those any may send. A kind no value of which every release accepts is left out.
   */
  private alternatives(dir: Direction, inputs: Input[], shapes: Shape[], subject: string, loc: Location): AlternateType['alternatives'] | Refusal {
    const byCategory = new Map<Category, { input: Input; name: string; doc?: string; loc?: Location }[]>();
    inputs.forEach((input, n) => {
      const shape = shapes[n]!;
      const options = shape.kind === 'alternate' ? shape.alternatives : [{ name: '', type: input.ref }];
      for (const option of options) {
        const inner = { r: input.r, ref: option.type };
        const category = this.category(this.shape(inner), input.r);
        const list = byCategory.get(category) ?? [];
        list.push({
          input: inner,
          name: option.name,
          ...('doc' in option && option.doc ? { doc: option.doc } : {}),
          ...('loc' in option && option.loc ? { loc: option.loc } : {}),
        });
        byCategory.set(category, list);
      }
    });
    const result: AlternateType['alternatives'] = [];
    const refusals: string[] = [];
    const leftOut: (() => void)[] = [];
    for (const [category, options] of byCategory) {
      const releases = [...new Set(options.map((o) => o.input.r))];
      if (dir === 'in' && releases.length < inputs.length) {
        const what = options.find((o) => o.name !== '')?.name || category;
        leftOut.push(() =>
          this.finding(
            'info',
            'range-left-out',
            `${subject}: alternative ${what} left out, only ${this.qemu(releases)} ${verb(releases, 'accepts', 'accept')} it`,
            options.at(-1)!.loc ?? loc,
          ),
        );
        continue;
      }
      const merged = this.sameKind(
        dir,
        category,
        options.map((o) => o.input),
        shapes.some((x) => x.kind === 'alternate') ? `${subject} (${category})` : subject,
      );
      if (isRefusal(merged)) {
        refusals.push(merged.refused);
        if (byCategory.size > 1) this.finding('warning', 'range-conflict', `${subject}: alternative ${category} left out: ${merged.refused}`, merged.loc);
        continue;
      }
      const newest = options.at(-1)!;
      result.push({ name: newest.name || category, type: merged, ...(newest.doc ? { doc: newest.doc } : {}), ...(newest.loc ? { loc: newest.loc } : {}) });
    }
    if (result.length === 0) {
      const kinds = [...byCategory].map(([category, options]) => `${category} in ${this.qemu([...new Set(options.map((o) => o.input.r))])}`).join(', ');
      return { refused: refusals.join('; ') || `${subject} is ${kinds}`, loc };
    }
    leftOut.forEach((report) => report());
    if (result.length > 1 && !shapes.some((s) => s.kind === 'alternate')) {
      const kinds = [...byCategory].map(([category, options]) => `${category} in ${this.qemu([...new Set(options.map((o) => o.input.r))])}`).join(', ');
      this.finding('warning', 'range-conflict', `${subject} is ${kinds}: typed as either`, loc);
    }
    return result;
  }

  /** Values of one JSON kind at a place. */
  private sameKind(dir: Direction, category: Category, inputs: Input[], subject: string): Merged {
    const shapes = inputs.map((i) => this.shape(i));
    const kind = shapes[0]!.kind;
    if (kind !== 'builtin' && kind !== 'array' && inputs.every((i) => i.ref.kind === 'named') && shapes.every((s) => s.kind === kind)) {
      return this.named(dir, inputs, shapes);
    }
    const loc = this.locOf(inputs, shapes);
    switch (category) {
      case 'string': {
        const enums = inputs.filter((_, n) => shapes[n]!.kind === 'enum');
        if (enums.length === 0) return { kind: 'builtin', name: 'str' };
        if (dir === 'out' && enums.length < inputs.length) return { kind: 'builtin', name: 'str' };
        if (enums.length < inputs.length) return this.sameKind(dir, category, enums, subject);
        const values = this.enumeration(
          dir,
          enums.map((e) => ({ r: e.r, values: (this.shape(e) as { values: EnumValue[] }).values })),
          subject,
          loc,
        );
        return isRefusal(values) ? values : { kind: 'enum', values };
      }
      case 'number':
        return this.number(dir, inputs, shapes as { kind: 'builtin'; name: BuiltinName }[], subject, loc);
      case 'boolean':
        return { kind: 'builtin', name: 'bool' };
      case 'null':
        return { kind: 'builtin', name: 'null' };
      case 'qtype':
        return { kind: 'builtin', name: 'QType' };
      case 'any':
        return { kind: 'builtin', name: 'any' };
      case 'array': {
        const of = this.merge(
          dir,
          inputs.map((i, n) => ({ r: i.r, ref: (shapes[n] as { of: TypeRef }).of })),
          `${subject} (its elements)`,
        );
        return isRefusal(of) ? of : { kind: 'array', of };
      }
      case 'object': {
        if (shapes.every((s) => s.kind === 'struct')) {
          const merged = this.object(
            dir,
            inputs.map((i, n) => ({ r: i.r, ...(shapes[n] as { members: readonly Member[]; open: boolean }) })),
            subject,
          );
          if (isRefusal(merged)) return merged;
          this.pendingNotes.push(...merged.notes);
          return { kind: 'object', members: merged.members, open: merged.open };
        }
        // A struct in one release, a union in another (or inline and named unions): no member
        // list is both; sent, nothing is known to be accepted by all, received, either may come.
        const groups = new Map<string, Input[]>();
        inputs.forEach((i, n) => groups.set(shapes[n]!.kind, [...(groups.get(shapes[n]!.kind) ?? []), i]));
        const kinds = [...groups].map(([kind, group]) => `a ${kind} in ${this.qemu(group.map((i) => i.r))}`).join(', ');
        if (dir === 'in') return { refused: `${subject} is ${kinds}`, loc };
        this.finding('warning', 'range-conflict', `${subject} is ${kinds}: typed as either`, loc);
        return { kind: 'union', of: [...groups.values()].map((group) => this.sameKind(dir, category, group, subject) as TypeRef) };
      }
    }
  }

  /** Integers and numbers: for `in` the narrowest, for `out` the widest (or either, when neither holds the other). */
  private number(dir: Direction, inputs: Input[], shapes: { name: BuiltinName }[], subject: string, loc: Location): Merged {
    // Introspection says `int` for every integer width: it tells nothing beside a schema's width.
    const widthless = (n: number): boolean => shapes[n]!.name === 'int' && this.releases[inputs[n]!.r]!.model.source.frontend === 'introspection';
    const known = shapes.filter((_, n) => !widthless(n));
    const names = [...new Set((known.length > 0 ? known : shapes).map((s) => s.name))];
    if (names.length === 1) return { kind: 'builtin', name: names[0]! };
    const contains = (a: BuiltinName, b: BuiltinName): boolean => {
      if (a === 'number') return true;
      if (b === 'number') return false;
      const [ra, rb] = [integerRanges[a]!, integerRanges[b]!];
      return ra[0] <= rb[0] && rb[1] <= ra[1];
    };
    // The newest release's name first, so that equal ranges (`int`, `int64`) keep it.
    const ordered = [...names].reverse();
    if (dir === 'in') {
      const inner = ordered.find((a) => names.every((b) => contains(b, a)));
      if (inner) return { kind: 'builtin', name: inner };
      // Ranges that overlap without one holding the other (uint64 and int): no integer type is
      // the values all accept; typed as the newest release has it, the range to keep to said.
      const ranges = names.filter((n) => n !== 'number').map((n) => integerRanges[n]!);
      const low = ranges.reduce((m, r) => (r[0] > m ? r[0] : m), ranges[0]![0]);
      const high = ranges.reduce((m, r) => (r[1] < m ? r[1] : m), ranges[0]![1]);
      const kinds = names.map((n) => `${n} in ${this.qemu(inputs.filter((_, i) => shapes[i]!.name === n && !widthless(i)).map((i) => i.r))}`).join(', ');
      this.finding(
        'warning',
        'range-conflict',
        `${subject} is ${kinds}: typed as ${ordered[0]!}; every release accepts integers from ${low} to ${high} only`,
        loc,
      );
      return { kind: 'builtin', name: ordered[0]! };
    }
    const outer = ordered.find((a) => names.every((b) => contains(a, b)));
    return outer ? { kind: 'builtin', name: outer } : { kind: 'union', of: ordered.map((name) => ({ kind: 'builtin', name })) };
  }

  /** Notes that an inline object's merge leaves for the command or event that holds it. */
  private readonly pendingNotes: string[] = [];

  /** Members of one object in every release at a place. */
  private object(dir: Direction, versions: { r: number; members: readonly Member[]; open: boolean }[], subject: string): ReturnType<RangeMerger['members']> {
    const outside = this.place;
    try {
      return this.members(dir, versions, subject);
    } finally {
      this.place = outside;
    }
  }

  private members(
    dir: Direction,
    versions: { r: number; members: readonly Member[]; open: boolean }[],
    subject: string,
  ): { members: Member[]; open: boolean; notes: string[] } | Refusal {
    const byName = versions.map((v) => new Map(v.members.map((m) => [m.name, m])));
    const order: string[] = [];
    for (let n = versions.length - 1; n >= 0; n--) for (const m of versions[n]!.members) if (!order.includes(m.name)) order.push(m.name);
    const members: Member[] = [];
    const leftOut: string[] = [];
    for (const name of order) {
      const present = versions
        .map((v, n) => ({ r: v.r, member: byName[n]!.get(name) }))
        .filter((p): p is { r: number; member: Member } => p.member !== undefined);
      const having = present.map((p) => p.r);
      const lacking = versions.map((v) => v.r).filter((r) => !having.includes(r));
      const at = this.located(present.map((p) => ({ r: p.r, loc: p.member.loc })));
      const where = `${subject}: member ${name}`;
      this.place = at;
      if (dir === 'in') {
        if (lacking.length > 0) {
          const requiring = present.filter((p) => !p.member.optional).map((p) => p.r);
          if (requiring.length > 0) {
            return { refused: `${where} is required by ${this.qemu(requiring)} and not accepted by ${this.qemu(lacking)}`, loc: at };
          }
          this.finding('info', 'range-left-out', `${where} left out, only ${this.qemu(having)} ${verb(having, 'accepts', 'accept')} it`, at);
          leftOut.push(`\`${name}\` (${this.qemu(having)})`);
          continue;
        }
        const type = this.merge(
          'in',
          present.map((p) => ({ r: p.r, ref: p.member.type })),
          where,
        );
        if (isRefusal(type)) {
          if (present.some((p) => !p.member.optional)) return type;
          this.finding('warning', 'range-conflict', `${where} left out, no value of it is accepted by every release: ${type.refused}`, at);
          leftOut.push(`\`${name}\` (no value of it is accepted by every release)`);
          continue;
        }
        const optional = present.every((p) => p.member.optional);
        const optionalIn = present.filter((p) => p.member.optional).map((p) => p.r);
        const requiring = present.filter((p) => !p.member.optional).map((p) => p.r);
        const notes =
          !optional && optionalIn.length > 0
            ? [
                `Required: ${this.qemu(requiring)} ${verb(requiring, 'requires', 'require')} it, though ${this.qemu(optionalIn)} ${verb(optionalIn, 'does', 'do')} not.`,
              ]
            : [];
        members.push(
          this.member(
            present.map((p) => p.member),
            type,
            optional,
            notes,
            at,
          ),
        );
      } else {
        const type = this.merge(
          'out',
          present.map((p) => ({ r: p.r, ref: p.member.type })),
          where,
        ) as TypeRef;
        const requiredBy = present.filter((p) => !p.member.optional).map((p) => p.r);
        const optional = lacking.length > 0 || requiredBy.length < present.length;
        const notes: string[] = [];
        if (lacking.length > 0)
          notes.push(`Only ${this.qemu(having)} ${verb(having, 'sends', 'send')} it; ${this.qemu(lacking)} ${verb(lacking, 'does', 'do')} not.`);
        else if (optional && requiredBy.length > 0)
          notes.push(`Always sent by ${this.qemu(requiredBy)}; optional in ${this.qemu(present.filter((p) => p.member.optional).map((p) => p.r))}.`);
        members.push(
          this.member(
            present.map((p) => p.member),
            type,
            optional,
            notes,
            at,
          ),
        );
      }
    }
    const notes = leftOut.length > 0 ? [`Left out, as not every release of this range accepts them: ${leftOut.join(', ')}.`] : [];
    const open = dir === 'in' ? versions.every((v) => v.open) : versions.some((v) => v.open);
    return { members, open, notes };
  }

  private member(versions: Member[], type: TypeRef, optional: boolean, notes: string[], loc: Location): Member {
    const newest = versions.at(-1)!;
    const documented = [...versions].reverse().find((m) => m.doc !== undefined && m.doc !== '');
    const deprecated = [...versions].reverse().find((m) => m.deprecated !== undefined)?.deprecated;
    const features = mergeFeatures(versions.map((m) => m.features));
    const allNotes = [...versions.flatMap((m) => m.notes ?? []).filter((n, i, a) => a.indexOf(n) === i), ...notes];
    return {
      name: newest.name,
      type,
      optional,
      ...(documented?.doc !== undefined ? { doc: documented.doc } : {}),
      ...(newest.typeText !== undefined ? { typeText: newest.typeText } : {}),
      ...(newest.since !== undefined ? { since: newest.since } : {}),
      ...(newest.default !== undefined ? { default: newest.default } : {}),
      ...(features ? { features } : {}),
      ...(deprecated !== undefined ? { deprecated } : {}),
      ...(allNotes.length > 0 ? { notes: allNotes } : {}),
      ...(newest.if !== undefined ? { if: newest.if } : {}),
      loc,
    };
  }

  /** The values of one enumeration in every release at a place. */
  private enumeration(dir: Direction, versions: { r: number; values: EnumValue[] }[], subject: string, loc: Location): EnumValue[] | Refusal {
    const order: string[] = [];
    for (let n = versions.length - 1; n >= 0; n--) for (const v of versions[n]!.values) if (!order.includes(v.name)) order.push(v.name);
    const values: EnumValue[] = [];
    const leftOut: string[] = [];
    for (const name of order) {
      const present = versions
        .map((v) => ({ r: v.r, value: v.values.find((x) => x.name === name) }))
        .filter((p): p is { r: number; value: EnumValue } => p.value !== undefined);
      const having = present.map((p) => p.r);
      const newest = present.at(-1)!.value;
      const at = this.located(present.map((p) => ({ r: p.r, loc: p.value.loc }))) ?? loc;
      const documented = [...present].reverse().find((p) => p.value.doc)?.value.doc;
      if (having.length < versions.length) {
        if (dir === 'in') {
          this.finding('info', 'range-left-out', `${subject}: value ${name} left out, only ${this.qemu(having)} ${verb(having, 'accepts', 'accept')} it`, at);
          leftOut.push(name);
          continue;
        }
        const only = `(only ${this.qemu(having)} ${verb(having, 'sends', 'send')} it)`;
        values.push({ ...newest, doc: documented ? `${documented} ${only}` : only });
        continue;
      }
      const deprecated = [...present].reverse().find((p) => p.value.deprecated !== undefined)?.value.deprecated;
      values.push({ ...newest, ...(documented ? { doc: documented } : {}), ...(deprecated !== undefined ? { deprecated } : {}) });
    }
    if (values.length === 0) return { refused: `${subject}: no value is accepted by every release`, loc };
    if (leftOut.length > 0) this.pendingNotes.push(`Left out, as not every release of this range accepts them: ${leftOut.map((v) => `\`${v}\``).join(', ')}.`);
    return values;
  }

  /** One discriminated union in every release at a place. */
  private union(dir: Direction, versions: { r: number; type: UnionType }[], subject: string, loc: Location): Omit<UnionType, 'name' | 'doc' | 'loc'> | Refusal {
    const discriminators = [...new Set(versions.map((v) => v.type.discriminator))];
    if (discriminators.length > 1) {
      const which = versions.map((v) => `'${v.type.discriminator}' in QEMU ${this.labels[v.r]}`).join(', ');
      if (dir === 'in') return { refused: `${subject} is told apart by ${which}`, loc };
      throw new RangeMergeError(`${subject}: told apart by ${which}; received unions with different discriminators are not merged yet`);
    }
    const discriminator = discriminators[0]!;
    const base = this.object(
      dir,
      versions.map((v) => ({ r: v.r, members: v.type.baseMembers, open: false })),
      subject,
    );
    if (isRefusal(base)) return base;
    this.pendingNotes.push(...base.notes);
    // Each release's branch for a value: its variant's type, or no members when the value is
    // valid without a branch of its own.
    const tagValues = versions.map((v) => new Set(this.discriminatorValues(v.r, v.type)));
    const baseTag = base.members.find((m) => m.name === discriminator);
    const order: string[] = [];
    for (let n = versions.length - 1; n >= 0; n--) for (const v of versions[n]!.type.variants) if (!order.includes(v.value)) order.push(v.value);
    const variants: UnionVariant[] = [];
    const dropped: string[] = [];
    for (const value of order) {
      const present = versions
        .map((v, n) => {
          const variant = v.type.variants.find((x) => x.value === value);
          return variant ? { r: v.r, variant, ref: variant.type } : tagValues[n]!.has(value) ? { r: v.r, variant: undefined, ref: emptyObject } : undefined;
        })
        .filter((p) => p !== undefined);
      if (dir === 'in' && present.length < versions.length) continue; // the tag's enum leaves it out, and says so
      const newest = present.findLast((p) => p.variant !== undefined)!.variant;
      const type = this.merge(
        dir,
        present.map((p) => ({ r: p.r, ref: p.ref })),
        `${subject}: branch ${value}`,
      );
      if (isRefusal(type)) {
        this.finding(
          'warning',
          'range-conflict',
          `${subject}: branch ${value} left out, no value of it is accepted by every release: ${type.refused}`,
          type.loc,
        );
        dropped.push(value);
        continue;
      }
      const having = present.map((p) => p.r);
      const notes = present.length < versions.length ? ` (only ${this.qemu(having)} ${verb(having, 'sends', 'send')} it)` : '';
      variants.push({
        value,
        type,
        ...(newest.doc || notes ? { doc: `${newest.doc ?? ''}${notes}`.trim() } : {}),
        ...(newest.if !== undefined ? { if: newest.if } : {}),
        ...(newest.loc ? { loc: newest.loc } : {}),
      });
    }
    if (dropped.length > 0) {
      if (baseTag === undefined) throw new RangeMergeError(`${subject}: no discriminator member '${discriminator}'`);
      // The tag's values must lose the dropped branches too, or the branch would read as valid
      // without members: the tag gets an enumeration of its own.
      const values = this.enumValuesOf(baseTag.type).filter((v) => !dropped.includes(v.name));
      if (values.length === 0) return { refused: `${subject}: no branch is accepted by every release`, loc };
      baseTag.type = { kind: 'enum', values };
      baseTag.notes = [
        ...(baseTag.notes ?? []),
        `Left out: ${dropped.map((v) => `\`${v}\``).join(', ')}, whose branches no release of this range accepts alike.`,
      ];
    }
    return { kind: 'union', baseMembers: base.members, discriminator, variants };
  }

  private discriminatorValues(r: number, type: UnionType): string[] {
    const tag = type.baseMembers.find((m) => m.name === type.discriminator);
    return tag ? this.enumValuesIn(r, tag.type).map((v) => v.name) : [];
  }

  private enumValuesIn(r: number, ref: TypeRef): EnumValue[] {
    if (ref.kind === 'enum') return ref.values;
    if (ref.kind === 'named') {
      const type = this.facts[r]!.type(ref.name);
      if (type?.kind === 'enum') return type.values;
    }
    return [];
  }

  /** The values of a merged tag's type (a proto enum or an inline one). */
  private enumValuesOf(ref: TypeRef): EnumValue[] {
    if (ref.kind === 'enum') return ref.values;
    if (ref.kind === 'named') {
      const type = this.protos.get(ref.name)?.type;
      if (type?.kind === 'enum') return type.values;
    }
    return [];
  }

  private locOf(inputs: Input[], shapes: Shape[]): Location {
    const placed = shapes.map((s, n) => ({
      r: inputs[n]!.r,
      loc: 'type' in s && s.type ? s.type.loc : s.kind === 'struct' && s.members.length > 0 ? s.members[0]!.loc : undefined,
    }));
    const loc = this.located(placed) ?? this.place;
    if (loc) return loc;
    const model = this.releases[inputs.at(-1)?.r ?? this.releases.length - 1]!.model;
    return { file: model.source.files[0] ?? '<range>', line: 1, column: 1 };
  }

  /**
   * Where something is in its newest release that has places (a reply's definitions are all at
   * its first line), for findings a reader can look up.
   */
  private located<L extends Location | undefined>(versions: { r: number; loc: L }[]): L {
    const placed = versions.filter((v) => v.loc !== undefined);
    const documented = placed.filter((v) => this.releases[v.r]!.model.source.frontend !== 'introspection');
    return (documented.at(-1) ?? placed.at(-1) ?? versions.at(-1)!).loc;
  }

  /** The member being merged, where a finding about its type (a builtin's, say) is located. */
  private place: Location | undefined;

  // -------------------------------------------------------------------------------------------
  // Naming, and the types in the model

  /**
   * Settles the merged types: a received type of some releases is the one of more releases where
   * that one holds the same types (fewer, wider types); types alike on the wire are one type
   * (sent and received forms that came out the same, or the same type reached from places that
   * diverged); every type gets its name; only the types reached are kept.
   */
  private finish(model: QmpModel): void {
    const done = [...this.protos.values()].filter((p) => p.type !== undefined);
    const inputSet = (p: Proto): Set<string> => new Set(p.inputs.map((i) => `${i.r}:${refKey(i.ref)}`));
    const sets = new Map(done.map((p) => [p.key, inputSet(p)]));
    const redirect = new Map<string, string>();
    for (const p of done) {
      if (p.dir !== 'out') continue;
      const mine = sets.get(p.key)!;
      let best: Proto | undefined;
      for (const q of done) {
        if (q === p || q.dir !== 'out' || q.type!.kind !== p.type!.kind) continue;
        const theirs = sets.get(q.key)!;
        if (theirs.size <= mine.size || ![...mine].every((k) => theirs.has(k))) continue;
        if (!best || theirs.size > sets.get(best.key)!.size) best = q;
      }
      if (best) redirect.set(p.key, best.key);
    }
    const resolve = (key: string): string => {
      for (let k = key; ;) {
        const next = redirect.get(k);
        if (next === undefined) return k;
        k = next;
      }
    };
    // Alike on the wire: partition refinement from "same name and kind", each round splitting
    // types whose members' types fall in different classes, until no class splits.
    const live = done.filter((p) => !redirect.has(p.key)).sort((a, b) => this.order(a) - this.order(b) || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
    let classOf = new Map<string, string>(live.map((p) => [p.key, `${p.name}|${p.type!.kind}`]));
    for (let count = new Set(classOf.values()).size; ;) {
      const refClass = (ref: string): string => {
        const key = resolve(ref);
        const refusal = this.protos.get(key)?.refusal;
        if (refusal)
          throw new RangeMergeError(
            `${refusal.loc.file}:${refusal.loc.line}:${refusal.loc.column}: a type no value of which every release accepts is still used: ${refusal.refused}`,
          );
        return classOf.get(key) ?? key;
      };
      const next = new Map(live.map((p) => [p.key, `${classOf.get(p.key)!}|${signature(p.type!, refClass)}`]));
      const ids = new Map([...new Set(next.values())].map((sig, i) => [sig, String(i)]));
      classOf = new Map([...next].map(([k, sig]) => [k, ids.get(sig)!]));
      if (ids.size === count) break;
      count = ids.size;
    }
    const classes = new Map<string, Proto[]>();
    for (const p of live) classes.set(classOf.get(p.key)!, [...(classes.get(classOf.get(p.key)!) ?? []), p]);
    const kept: { rep: Proto; members: Proto[]; releases: Set<number>; sent: boolean }[] = [];
    for (const members of classes.values()) {
      // The sent form represents the class: what every release accepts, with its notes.
      const rep = members.find((p) => p.dir === 'in') ?? members[0]!;
      for (const p of members) if (p !== rep) redirect.set(p.key, rep.key);
      kept.push({ rep, members, releases: new Set(members.flatMap((p) => p.inputs.map((i) => i.r))), sent: members.some((p) => p.dir === 'in') });
    }
    const reached = this.reached(model, resolve);
    const used = kept.filter((k) => reached.has(k.rep.key));
    // Names: one type per name where it can be; else the sent form keeps the name, the received
    // form of the same releases is `<Name>Received`, and a form of other releases is
    // `<Name>Qemu<major><minor>`, after the newest release it is the form of.
    const byName = new Map<string, typeof used>();
    for (const k of used) byName.set(k.rep.name, [...(byName.get(k.rep.name) ?? []), k]);
    const final = new Map<string, string>();
    const taken = new Set<string>();
    const claim = (wanted: string): string => {
      let name = wanted;
      for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
      taken.add(name);
      return name;
    };
    const newestOf = (k: (typeof used)[number]): number => Math.max(...k.releases);
    for (const [name, group] of byName) {
      group.sort((a, b) => Number(b.sent) - Number(a.sent) || newestOf(b) - newestOf(a) || b.releases.size - a.releases.size);
      const [primary, ...others] = group;
      final.set(primary!.rep.key, claim(name));
      for (const k of others) {
        const sameReleases = k.releases.size === primary!.releases.size && [...k.releases].every((r) => primary!.releases.has(r));
        const received = !k.sent && primary!.sent && sameReleases;
        const label = this.labels[newestOf(k)]!;
        const given = claim(received ? `${name}Received` : `${name}Qemu${label.split('.').slice(0, 2).join('')}`);
        final.set(k.rep.key, given);
        const primaryName = final.get(primary!.rep.key)!;
        const mine = k.rep.type!;
        const theirs = primary!.rep.type!;
        if (received) {
          mine.doc = withNote(mine.doc, `As any QEMU of this range may send it; \`${primaryName}\` is what every one of them accepts.`);
          theirs.doc = withNote(theirs.doc, `As every QEMU of this range accepts it; \`${given}\` is what any of them may send.`);
        } else {
          mine.doc = withNote(
            mine.doc,
            `The form of ${this.qemu([...k.releases].sort((a, b) => a - b))}; \`${primaryName}\` is that of ${this.qemu([...primary!.releases].sort((a, b) => a - b))}.`,
          );
        }
      }
    }
    for (const k of used) k.rep.type!.name = final.get(k.rep.key)!;
    const rename = (ref: TypeRef): void => {
      if (ref.kind === 'named') {
        const name = final.get(resolve(ref.name));
        if (name === undefined) throw new RangeMergeError(`merged type ${ref.name} has no name`);
        ref.name = name;
      } else if (ref.kind === 'array') rename(ref.of);
      else if (ref.kind === 'union') ref.of.forEach(rename);
      else if (ref.kind === 'object') ref.members.forEach((m) => rename(m.type));
    };
    // Each ref is renamed once: inline refs taken from a release may be shared by several places.
    const seen = new WeakSet<object>();
    const once = (ref: TypeRef): void => {
      if (seen.has(ref)) return;
      seen.add(ref);
      rename(ref);
    };
    const types = used.map((k) => k.rep.type!);
    for (const type of types) forEachRef(type, once);
    for (const command of model.commands) {
      command.arguments.forEach((m) => once(m.type));
      if (command.argumentsType) once(command.argumentsType);
      if (command.returns) once(command.returns);
    }
    for (const event of model.events) {
      event.data.forEach((m) => once(m.type));
      if (event.dataType) once(event.dataType);
    }
    model.types = types;
  }

  /** The proto keys reached from the commands and events, through redirects. */
  private reached(model: QmpModel, resolve: (key: string) => string): Set<string> {
    const seen = new Set<string>();
    const visit = (ref: TypeRef): void => {
      if (ref.kind === 'named') {
        const key = resolve(ref.name);
        if (seen.has(key)) return;
        seen.add(key);
        const type = this.protos.get(key)?.type;
        if (type) forEachRef(type, visit);
      } else if (ref.kind === 'array') visit(ref.of);
      else if (ref.kind === 'union') ref.of.forEach(visit);
      else if (ref.kind === 'object') ref.members.forEach((m) => visit(m.type));
    };
    for (const command of model.commands) {
      command.arguments.forEach((m) => visit(m.type));
      if (command.argumentsType) visit(command.argumentsType);
      if (command.returns) visit(command.returns);
    }
    for (const event of model.events) {
      event.data.forEach((m) => visit(m.type));
      if (event.dataType) visit(event.dataType);
    }
    return seen;
  }

  /** Where a merged type goes: where its name-giving type is in its release (newest releases first). */
  private order(p: Proto): number {
    const n = this.namer(p.inputs);
    const { r, ref } = p.inputs[n]!;
    const types = this.releases[r]!.model.types;
    const index = ref.kind === 'named' ? types.findIndex((t) => t.name === ref.name) : types.length;
    return (this.releases.length - 1 - r) * 100_000 + index;
  }

  // -------------------------------------------------------------------------------------------
  // Documentation, examples, findings

  private doc(versions: Doc[], notes: string[] = []): Doc {
    const documented = [...versions].reverse().find((d) => d.description.trim() !== '') ?? versions.at(-1)!;
    return notes.length > 0 ? { ...documented, notes: [...documented.notes, ...notes] } : documented;
  }

  /**
   * The documents' examples are kept where their messages conform to the merged model: they hold
   * for every release. A message that does not is left out (a request with its replies) and
   * reported, saying whether it holds in its own release (or contradicts its documents there too,
   * which that release's own target marks).
   */
  private keepTrueExamples(model: QmpModel): void {
    const merged = exampleChecker(model);
    const own = this.releases.map((r) => exampleChecker(r.model));
    const source = new Map<Example, number>();
    this.releases.forEach((r, n) => {
      for (const entry of [...r.model.commands, ...r.model.events, ...r.model.types]) for (const e of entry.examples ?? []) source.set(e, n);
    });
    const filter = (examples: Example[], owner: string | undefined, subject: string): Example[] =>
      examples.flatMap((e) => {
        const n = source.get(e) ?? this.releases.length - 1;
        const [here, there] = [merged(e, owner), own[n]!(e, owner)];
        let requestDropped = false;
        const messages = e.messages.filter((m, i) => {
          if (m.direction === 'text') return true;
          const untrue = !here[i];
          const isEvent = m.json !== null && typeof m.json === 'object' && 'event' in m.json;
          if (m.direction === '->') requestDropped = untrue;
          // A reply (or error) goes with its request; an event stands alone.
          const drop = m.direction === '<-' && !isEvent ? requestDropped || untrue : untrue;
          const what = m.direction === '->' ? 'request' : isEvent ? 'event' : 'reply';
          const why = there[i] ? `true for QEMU ${this.labels[n]}, not for every release` : `contradicts the documents of QEMU ${this.labels[n]} too`;
          if (untrue)
            this.finding('info', 'range-left-out', `${subject}: example ${what} left out${what === 'request' ? ' (with its replies)' : ''}: ${why}`, m.loc);
          return !drop;
        });
        if (messages.length === e.messages.length) return [e];
        return messages.some((m) => m.direction !== 'text') ? [{ ...e, messages }] : [];
      });
    for (const command of model.commands) command.examples = filter(command.examples, command.name, `command ${command.name}`);
    for (const event of model.events) event.examples = filter(event.examples, undefined, `event ${event.name}`);
    for (const type of model.types) if (type.examples) type.examples = filter(type.examples, undefined, `type ${type.name}`);
  }

  private qemu(releases: number[]): string {
    const names = releases.map((r) => this.labels[r]!);
    const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
    return `QEMU ${list}`;
  }

  private finding(severity: 'warning' | 'info', code: string, message: string, loc: Location): void {
    this.diagnostics.push({ severity, code, message, file: loc.file, line: loc.line, column: loc.column });
  }
}

/**
 * For each message of an example, whether it conforms to `model` (a request to its command's
 * arguments, a reply to the return of the request before it, an event to its data); prose and
 * what is not JSON count as conforming.
 */
function exampleChecker(model: QmpModel): (example: Example, owner: string | undefined) => boolean[] {
  const checker = new ConformanceChecker(model);
  const commands = new Map(model.commands.map((c) => [c.name, c]));
  const events = new Map(model.events.map((e) => [e.name, e]));
  return (example, owner) => {
    let last = owner === undefined ? undefined : commands.get(owner);
    return example.messages.map((message) => {
      const json = message.json as Record<string, unknown> | undefined;
      if (message.direction === 'text' || typeof json !== 'object' || json === null || Array.isArray(json)) return true;
      if (message.direction === '->') {
        const name = json.execute ?? json['exec-oob'];
        last = typeof name === 'string' ? commands.get(name) : undefined;
        if (!last) return false;
        const args = json.arguments ?? {};
        return (last.argumentsType ? checker.check(args, last.argumentsType) : checker.checkMembers(args, last.arguments, false)).length === 0;
      }
      if ('event' in json) {
        const event = events.get(String(json.event));
        if (!event) return false;
        const data = json.data ?? {};
        return (event.dataType ? checker.check(data, event.dataType) : checker.checkMembers(data, event.data, false)).length === 0;
      }
      if ('return' in json && last?.returns) return checker.check(json.return, last.returns).length === 0;
      return true;
    });
  };
}

/** Deprecation, features, `since` and `if`, as the newest release states them (deprecated in any, deprecated). */
function common(
  versions: { deprecated?: string; features?: Feature[]; since?: string; if?: NamedType['if'] }[],
): Pick<NamedType, 'deprecated' | 'features' | 'since' | 'if'> {
  const newest = versions.at(-1)!;
  const deprecated = [...versions].reverse().find((v) => v.deprecated !== undefined)?.deprecated;
  const since = [...versions].reverse().find((v) => v.since !== undefined)?.since;
  const features = mergeFeatures(versions.map((v) => v.features));
  return {
    ...(features ? { features } : {}),
    ...(deprecated !== undefined ? { deprecated } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(newest.if !== undefined ? { if: newest.if } : {}),
  };
}

function mergeFeatures(versions: (Feature[] | undefined)[]): Feature[] | undefined {
  const byName = new Map<string, Feature>();
  for (const features of versions) for (const f of features ?? []) byName.set(f.name, f);
  return byName.size > 0 ? [...byName.values()] : undefined;
}

function newestExamples(versions: { examples: Example[] }[]): Example[] {
  return [...versions].reverse().find((v) => v.examples.length > 0)?.examples ?? [];
}

function newestExamplesOf(versions: NamedType[]): { examples?: Example[] } {
  const examples = [...versions].reverse().find((v) => (v.examples ?? []).length > 0)?.examples;
  return examples ? { examples } : {};
}

/** A type use as a key part: named by name, others by their JSON. */
function refKey(ref: TypeRef): string {
  if (ref.kind === 'named') return ref.name;
  if (ref.kind === 'builtin') return `@${ref.name}`;
  if (ref.kind === 'array') return `[${refKey(ref.of)}]`;
  return JSON.stringify(ref, (k, v: unknown) => (k === 'loc' || k === 'doc' ? undefined : v));
}

function forEachRef(type: NamedType, visit: (ref: TypeRef) => void): void {
  if (type.kind === 'struct') type.members.forEach((m) => visit(m.type));
  else if (type.kind === 'union') {
    type.baseMembers.forEach((m) => visit(m.type));
    type.variants.forEach((v) => visit(v.type));
  } else if (type.kind === 'alternate') type.alternatives.forEach((a) => visit(a.type));
}

/** The verb for one release or several. */
function verb(releases: unknown[], one: string, several: string): string {
  return releases.length === 1 ? one : several;
}

function withNote(doc: Doc, note: string): Doc {
  return { ...doc, notes: [...doc.notes, note] };
}

/** A type's wire shape as text, its named types by `named` (their class): equal texts, alike types. */
function signature(type: NamedType, named: (name: string) => string): string {
  const ref = (r: TypeRef): string => {
    switch (r.kind) {
      case 'builtin':
        return `@${r.name}`;
      case 'named':
        return `#${named(r.name)}`;
      case 'array':
        return `[${ref(r.of)}]`;
      case 'enum':
        return `E(${r.values.map((v) => v.name).join(',')})`;
      case 'union':
        return `U(${r.of.map(ref).join(',')})`;
      case 'object':
        return `O(${r.open ? '*' : ''}${members(r.members)})`;
    }
  };
  const members = (list: Member[]): string => list.map((m) => `${m.name}${m.optional ? '?' : ''}:${ref(m.type)}`).join(',');
  switch (type.kind) {
    case 'struct':
      return `S(${members(type.members)})`;
    case 'enum':
      return `E(${type.values.map((v) => v.name).join(',')})`;
    case 'union':
      return `U(${type.discriminator};${members(type.baseMembers)};${type.variants.map((v) => `${v.value}=${ref(v.type)}`).join(',')})`;
    case 'alternate':
      return `A(${type.alternatives.map((a) => ref(a.type)).join(',')})`;
  }
}
