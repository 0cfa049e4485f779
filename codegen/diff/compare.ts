/**
 * Two models → the changes a client of the old one meets in the new one, each classified
 * breaking or compatible *for a client*: one that sends commands and reads replies and events.
 *
 * Direction decides: what a client sends (arguments) may widen but not narrow, what it reads
 * (returns, event data) may grow but must not lose what it relied on. So removing an optional
 * argument breaks (the client may send it), removing an optional reply member does not (the client
 * already handles its absence); an enum value removed from an argument breaks, one added to a reply
 * is listed as compatible (a client's exhaustive switch should have a default).
 *
 * Types are compared by shape, not by name, so models from different front ends (text documents'
 * inline objects, the schema's named structs) compare fairly.
 */
import { factsOf, type ModelFacts } from '../ir/facts.js';
import type { Command, EnumValue, Event, Member, NamedType, QmpModel, TypeRef, UnionVariant } from '../ir/types.js';

export type Subject = 'command' | 'event' | 'type';
export type Direction = 'input' | 'output';

export type ChangeKind =
  | 'added'
  | 'removed'
  | 'member-added'
  | 'member-removed'
  | 'optional-to-required'
  | 'required-to-optional'
  | 'type-changed'
  | 'enum-value-added'
  | 'enum-value-removed'
  | 'deprecated'
  | 'undeprecated';

export interface Change {
  kind: ChangeKind;
  subject: Subject;
  /** The command, event or type name. */
  name: string;
  /** Dotted path of the member inside it (`arguments.blk`, `returns.status`, `data.device`). */
  member?: string;
  breaking: boolean;
  /** One line for people. */
  message: string;
  old?: string;
  new?: string;
  /** For deprecations: the release the documents say it was deprecated in, when they say. */
  since?: string;
}

export interface ModelDiff {
  old: { files: string[]; release?: string };
  new: { files: string[]; release?: string };
  changes: Change[];
  breaking: number;
  compatible: number;
}

export function diffModels(oldModel: QmpModel, newModel: QmpModel): ModelDiff {
  // Introspection hides type names (ours are derived): then types are compared where they are
  // used, never by name.
  const namesMean = oldModel.source.frontend !== 'introspection' && newModel.source.frontend !== 'introspection';
  const ctx = new DiffContext(oldModel, newModel, namesMean);
  ctx.compareNamed(oldModel.commands, newModel.commands, 'command', (a, b) => ctx.compareCommand(a, b));
  ctx.compareNamed(oldModel.events, newModel.events, 'event', (a, b) => ctx.compareEvent(a, b));
  if (namesMean) ctx.compareNamed(oldModel.types, newModel.types, 'type', (a, b) => ctx.compareType(a, b));
  const changes = ctx.changes;
  const breaking = changes.filter((c) => c.breaking).length;
  return {
    old: { files: oldModel.source.files, ...(oldModel.source.release ? { release: oldModel.source.release } : {}) },
    new: { files: newModel.source.files, ...(newModel.source.release ? { release: newModel.source.release } : {}) },
    changes,
    breaking,
    compatible: changes.length - breaking,
  };
}

class DiffContext {
  readonly changes: Change[] = [];
  private readonly oldTypes: ModelFacts;
  private readonly newTypes: ModelFacts;

  private readonly oldUsage: Map<string, Set<Direction>>;
  private readonly newUsage: Map<string, Set<Direction>>;

  constructor(
    oldModel: QmpModel,
    newModel: QmpModel,
    private readonly namesMean: boolean,
  ) {
    this.oldTypes = factsOf(oldModel);
    this.newTypes = factsOf(newModel);
    this.oldUsage = typeUsage(oldModel, this.oldTypes);
    this.newUsage = typeUsage(newModel, this.newTypes);
  }

  private add(change: Change): void {
    this.changes.push(change);
  }

  compareNamed<T extends { name: string; deprecated?: string | undefined }>(
    olds: T[],
    news: T[],
    subject: Subject,
    compare: (a: T, b: T) => void,
  ): void {
    const newByName = new Map(news.map((n) => [n.name, n]));
    const oldNames = new Set(olds.map((o) => o.name));
    for (const old of olds) {
      const now = newByName.get(old.name);
      if (!now) {
        // A type vanishing is seen by clients only through the commands and events that use it.
        this.add({ kind: 'removed', subject, name: old.name, breaking: subject !== 'type', message: `${subject} ${old.name} removed` });
        continue;
      }
      this.compareDeprecation(subject, old, now);
      compare(old, now);
    }
    for (const now of news) {
      if (!oldNames.has(now.name)) this.add({ kind: 'added', subject, name: now.name, breaking: false, message: `${subject} ${now.name} added` });
    }
  }

  private compareDeprecation(subject: Subject, old: { name: string; deprecated?: string | undefined }, now: { deprecated?: string | undefined }, member?: string): void {
    const label = member ? `${subject} ${old.name}: ${memberLabel(member)}` : `${subject} ${old.name}`;
    if (old.deprecated === undefined && now.deprecated !== undefined) {
      const since = deprecationRelease(now.deprecated);
      this.add({
        kind: 'deprecated',
        subject,
        name: old.name,
        ...(member ? { member } : {}),
        breaking: false,
        message: `${label} deprecated${since ? ` in ${since}` : ''}${now.deprecated ? `: ${firstLine(now.deprecated)}` : ''}`,
        ...(since ? { since } : {}),
      });
    } else if (old.deprecated !== undefined && now.deprecated === undefined) {
      this.add({ kind: 'undeprecated', subject, name: old.name, ...(member ? { member } : {}), breaking: false, message: `${label} no longer deprecated` });
    }
  }

  compareCommand(old: Command, now: Command): void {
    this.compareMembers('command', old.name, 'arguments', this.argumentMembers(old, this.oldTypes), this.argumentMembers(now, this.newTypes), 'input');
    if (old.returns || now.returns) {
      this.compareTypes('command', old.name, 'returns', old.returns ?? emptyObject, now.returns ?? emptyObject, 'output', new Set());
    }
  }

  compareEvent(old: Event, now: Event): void {
    this.compareMembers('event', old.name, 'data', this.eventMembers(old, this.oldTypes), this.eventMembers(now, this.newTypes), 'output');
  }

  /**
   * A named type's own changes are reported once, here, judged by how clients use it: a type sent
   * in arguments (input), read in replies or events (output), or both (then the stricter rule).
   */
  compareType(old: NamedType, now: NamedType): void {
    const directions = new Set([...(this.oldUsage.get(old.name) ?? []), ...(this.newUsage.get(now.name) ?? [])]);
    if (directions.size === 0) return; // used by no command or event: no client can meet it
    const direction: Direction = directions.has('input') ? 'input' : 'output';
    const before = this.changes.length;
    const objectLike = (t: NamedType): boolean => t.kind === 'struct' || t.kind === 'union';
    if (old.kind !== now.kind && !(objectLike(old) && objectLike(now))) {
      this.add({ kind: 'type-changed', subject: 'type', name: old.name, breaking: true, message: `type ${old.name} changed from ${old.kind} to ${now.kind}`, old: old.kind, new: now.kind });
      return;
    }
    if (old.kind !== now.kind) {
      // A struct that became a union (or back) still has members a client reads or sends.
      this.add({ kind: 'type-changed', subject: 'type', name: old.name, breaking: false, message: `type ${old.name} changed from ${old.kind} to ${now.kind}`, old: old.kind, new: now.kind });
    }
    if (old.kind === 'enum' && now.kind === 'enum') this.compareEnumValues('type', old.name, undefined, old.values, now.values, direction);
    if (objectLike(old) && objectLike(now)) {
      // Members compared with their bases', so a member moved into a base is not "removed".
      const own = new Set([...ownMembers(old), ...ownMembers(now)]);
      this.compareMembers('type', old.name, 'members', allMembers(this.oldTypes, old), allMembers(this.newTypes, now), direction, new Set(), own);
      if (old.kind === 'union' && now.kind === 'union') this.compareVariants(old.name, old.variants, now.variants, direction);
    }
    if (old.kind === 'alternate' && now.kind === 'alternate') {
      const a = old.alternatives.map((x) => shapeText(x.type)).sort().join(' | ');
      const b = now.alternatives.map((x) => shapeText(x.type)).sort().join(' | ');
      if (a !== b) this.add({ kind: 'type-changed', subject: 'type', name: old.name, breaking: true, message: `type ${old.name} alternatives changed from ${a} to ${b}`, old: a, new: b });
    }
    // A type used both ways: what breaks a reader of output breaks too.
    if (directions.size === 2) {
      for (const change of this.changes.slice(before)) change.breaking ||= isBreakingForOutput(change);
    }
  }

  private compareVariants(name: string, olds: UnionVariant[], news: UnionVariant[], direction: Direction): void {
    const newByValue = new Map(news.map((v) => [v.value, v]));
    for (const old of olds) {
      const now = newByValue.get(old.value);
      if (!now) continue; // the discriminator enum's own diff reports the value
      this.compareTypes('type', name, `variant ${old.value}`, old.type, now.type, direction, new Set());
    }
  }

  private argumentMembers(command: Command, types: ModelFacts): readonly Member[] {
    if (command.argumentsType && command.arguments.length === 0) return types.structMembers(command.argumentsType.name);
    return command.arguments;
  }

  private eventMembers(event: Event, types: ModelFacts): readonly Member[] {
    if (event.dataType && event.data.length === 0) return types.structMembers(event.dataType.name);
    return event.data;
  }

  /**
   * `own`, when given, names the members declared by the type itself: inherited ones are compared
   * (to find a member that moved) but reported only where they are declared.
   */
  private compareMembers(subject: Subject, name: string, path: string, olds: readonly Member[], news: readonly Member[], direction: Direction, seen = new Set<string>(), own?: Set<string>): void {
    const newByName = new Map(news.map((m) => [m.name, m]));
    const oldNames = new Set(olds.map((m) => m.name));
    for (const old of olds) {
      if (own && !own.has(old.name)) continue;
      const member = memberPath(path, old.name);
      const now = newByName.get(old.name);
      if (!now) {
        const breaking = direction === 'input' || !old.optional;
        this.add({ kind: 'member-removed', subject, name, member, breaking, message: `${subject} ${name}: ${label(path, old.name)} removed${old.optional ? '' : ' (was required)'}` });
        continue;
      }
      if (old.optional !== now.optional) {
        const toRequired = old.optional && !now.optional;
        // A client sends arguments: newly required breaks it. It reads output: newly optional breaks it.
        const breaking = direction === 'input' ? toRequired : !toRequired;
        this.add({
          kind: toRequired ? 'optional-to-required' : 'required-to-optional',
          subject,
          name,
          member,
          breaking,
          message: `${subject} ${name}: ${label(path, old.name)} changed from ${toRequired ? 'optional to required' : 'required to optional'}`,
        });
      }
      this.compareDeprecation(subject, { name, deprecated: old.deprecated }, now, member);
      this.compareTypes(subject, name, member, old.type, now.type, direction, seen);
    }
    for (const now of news) {
      if (oldNames.has(now.name) || (own && !own.has(now.name))) continue;
      const breaking = direction === 'input' && !now.optional;
      this.add({
        kind: 'member-added',
        subject,
        name,
        member: memberPath(path, now.name),
        breaking,
        message: `${subject} ${name}: ${now.optional || direction === 'output' ? '' : 'required '}${label(path, now.name)} added`,
      });
    }
  }

  private compareTypes(subject: Subject, name: string, member: string, oldType: TypeRef, newType: TypeRef, direction: Direction, seen: Set<string>): void {
    // The same named type on both sides: its own changes are reported once, under its name.
    if (this.namesMean && oldType.kind === 'named' && newType.kind === 'named' && oldType.name === newType.name && this.newTypes.type(newType.name) !== undefined) return;
    const a = this.resolve(oldType, this.oldTypes);
    const b = this.resolve(newType, this.newTypes);
    // A pair of named types is compared once per use: recursive types (a struct holding a list
    // of itself) would otherwise never end.
    if (oldType.kind === 'named' && newType.kind === 'named') {
      const key = `${oldType.name}>${newType.name}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    if (a.kind === 'enum' && b.kind === 'enum') {
      return this.compareEnumValues(subject, name, member, a.values, b.values, direction);
    }
    if (a.kind === 'object' && b.kind === 'object') {
      return this.compareMembers(subject, name, member, a.members, b.members, direction, seen);
    }
    if (a.kind === 'array' && b.kind === 'array') {
      return this.compareTypes(subject, name, `${member}[]`, a.of, b.of, direction, seen);
    }
    // Alternatives are compared by what they are (object, string…), not by their types' names.
    const shapeOf = (t: TypeRef, types: ModelFacts): string =>
      t.kind === 'union' ? [...new Set(t.of.map((x) => shapeText(this.resolve(x, types))))].sort().join(' | ') : shapeText(t);
    const before = shapeOf(a, this.oldTypes);
    const after = shapeOf(b, this.newTypes);
    if (before === after || before === 'any' || after === 'any') return;
    // Integers are numbers: a number widened from an integer is fine to send, and so on.
    const widening = (before === 'integer' && after === 'number') || (a.kind === 'enum' && after === 'string');
    const narrowing = (before === 'number' && after === 'integer') || (before === 'string' && b.kind === 'enum');
    const breaking = direction === 'input' ? !widening : !narrowing;
    this.add({ kind: 'type-changed', subject, name, member, breaking, message: `${subject} ${name}: the type of ${member} changed from ${before} to ${after}`, old: before, new: after });
  }

  private compareEnumValues(subject: Subject, name: string, member: string | undefined, olds: EnumValue[], news: EnumValue[], direction: Direction | undefined): void {
    const newNames = new Set(news.map((v) => v.name));
    const oldNames = new Set(olds.map((v) => v.name));
    const where = member ? `${subject} ${name}: ${member}` : `${subject} ${name}`;
    for (const v of olds) {
      if (!newNames.has(v.name)) {
        // Named enums are also reported where they are used, with the direction that decides.
        this.add({ kind: 'enum-value-removed', subject, name, ...(member ? { member } : {}), breaking: direction === 'input', message: `${where}: enum value '${v.name}' removed` });
      }
    }
    for (const v of news) {
      if (!oldNames.has(v.name)) this.add({ kind: 'enum-value-added', subject, name, ...(member ? { member } : {}), breaking: false, message: `${where}: enum value '${v.name}' added` });
    }
  }

  /** Follows named references to what a client sees: an object, enum, array or scalar. */
  private resolve(type: TypeRef, types: ModelFacts): TypeRef {
    if (type.kind !== 'named') return type;
    const named = types.type(type.name);
    if (!named) return type;
    switch (named.kind) {
      case 'struct':
        return { kind: 'object', open: false, members: [...types.structMembers(named.name)] };
      case 'enum':
        return { kind: 'enum', values: named.values };
      case 'union':
        // Compared through its common members; variant changes show on the variants' own types.
        return { kind: 'object', open: true, members: named.baseMembers };
      case 'alternate':
        return { kind: 'union', of: named.alternatives.map((a) => a.type) };
    }
  }
}

/**
 * Every member a client may meet in a struct or union value, bases included. For a union, the
 * variants' members count too, as optional (they are there for some values only); a struct member
 * that moved into a variant is then "required to optional", not "removed".
 */
function allMembers(types: ModelFacts, type: NamedType): readonly Member[] {
  if (type.kind === 'struct') return types.structMembers(type.name);
  if (type.kind !== 'union') return [];
  const members = [...type.baseMembers];
  const seen = new Set(members.map((m) => m.name));
  for (const variant of type.variants) {
    const own = variant.type.kind === 'object' ? variant.type.members : variant.type.kind === 'named' ? types.structMembers(variant.type.name) : [];
    for (const m of own) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      members.push({ ...m, optional: true });
    }
  }
  return members;
}

/** The members a struct or union declares itself (a union's inline base), not those it inherits. */
function ownMembers(type: NamedType): string[] {
  if (type.kind === 'struct') return type.members.map((m) => m.name);
  if (type.kind === 'union') return type.base ? [] : type.baseMembers.map((m) => m.name);
  return [];
}

const emptyObject: TypeRef = { kind: 'object', open: false, members: [] };


/** A client's view of a scalar or composite type, for messages and comparison. */
function shapeText(type: TypeRef): string {
  switch (type.kind) {
    case 'builtin':
      if (/^u?int(8|16|32|64)?$|^size$/.test(type.name)) return 'integer';
      if (type.name === 'str') return 'string';
      if (type.name === 'bool') return 'boolean';
      if (type.name === 'QType') return 'string';
      return type.name;
    case 'named':
      return type.name;
    case 'array':
      return `array of ${shapeText(type.of)}`;
    case 'object':
      return 'object';
    case 'enum':
      return 'enum';
    case 'union':
      return type.of.map(shapeText).sort().join(' | ');
  }
}

/** A type's own members are named bare (`loaded`); others by where they sit (`arguments.blk`). */
function memberPath(path: string, name: string): string {
  return path === 'members' ? name : `${path}.${name}`;
}

/** `argument blk`, `data member device`, `member returns.status`, `member loaded`. */
function label(path: string, member: string): string {
  if (path === 'arguments') return `argument ${member}`;
  if (path === 'data') return `data member ${member}`;
  if (path === 'members') return `member ${member}`;
  return `member ${path}.${member}`;
}

/** `arguments.device` → `argument device`; `data.x` → `data member x`; others as they are. */
function memberLabel(member: string): string {
  const dot = member.indexOf('.');
  return dot === -1 ? `member ${member}` : label(member.slice(0, dot), member.slice(dot + 1));
}

/** Would this change break a client that reads the type (as well as one that sends it)? */
function isBreakingForOutput(change: Change): boolean {
  return change.kind === 'required-to-optional' || (change.kind === 'member-removed' && change.message.includes('(was required)'));
}

/** For each named type, whether clients send it (input), read it (output), or both. */
function typeUsage(model: QmpModel, types: ModelFacts): Map<string, Set<Direction>> {
  const usage = new Map<string, Set<Direction>>();
  const visit = (type: TypeRef | undefined, direction: Direction): void => {
    if (!type) return;
    switch (type.kind) {
      case 'array':
        return visit(type.of, direction);
      case 'union':
        return type.of.forEach((t) => visit(t, direction));
      case 'object':
        return type.members.forEach((m) => visit(m.type, direction));
      case 'named': {
        const seen = usage.get(type.name) ?? new Set<Direction>();
        if (seen.has(direction)) return;
        seen.add(direction);
        usage.set(type.name, seen);
        visitNamed(types.type(type.name), direction);
        return;
      }
      default:
        return;
    }
  };
  const visitNamed = (named: NamedType | undefined, direction: Direction): void => {
    if (!named) return;
    if (named.kind === 'struct') {
      if (named.base) visit({ kind: 'named', name: named.base }, direction);
      named.members.forEach((m) => visit(m.type, direction));
    } else if (named.kind === 'union') {
      if (named.base) visit({ kind: 'named', name: named.base }, direction);
      named.baseMembers.forEach((m) => visit(m.type, direction));
      named.variants.forEach((v) => visit(v.type, direction));
    } else if (named.kind === 'alternate') named.alternatives.forEach((a) => visit(a.type, direction));
  };
  for (const c of model.commands) {
    if (c.argumentsType) visit(c.argumentsType, 'input');
    c.arguments.forEach((m) => visit(m.type, 'input'));
    visit(c.returns, 'output');
  }
  for (const e of model.events) {
    if (e.dataType) visit(e.dataType, 'output');
    e.data.forEach((m) => visit(m.type, 'output'));
  }
  return usage;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** "deprecated since 9.1", "(since 8.2)", "Deprecated in 10.0": the release, when stated. */
export function deprecationRelease(text: string): string | undefined {
  return /\b(?:since|in|as of)\s+(?:QEMU\s+)?v?(\d+\.\d+(?:\.\d+)?)/i.exec(text)?.[1];
}
