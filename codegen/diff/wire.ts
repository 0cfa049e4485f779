/**
 * The wire-level walk of a diff: each command's arguments and return and each event's data,
 * followed structurally through both models' types (bases, flat and simple unions, alternates,
 * arrays, enums, built-ins) with the direction a client meets them in, and what differs found
 * where it sits.
 *
 * Names are not on the wire: a member whose type is `SocketAddress` in one release and
 * `SocketAddressLegacy` in the next is compared by what the two types are, and the pair is
 * remembered (a TypeScript rename, if the names differ). Each pair of named types met is compared
 * once per direction and its findings are kept against the pair, with every place that uses it,
 * so that a change inside a shared type is reported once with every command and event it reaches.
 */
import type { IntegerRange, JsonKind, ModelFacts, WireShape } from '../ir/facts.js';
import type { EnumValue, Member, TypeRef } from '../ir/types.js';

/** `input`: what a client sends (arguments); `output`: what it receives (returns, event data). */
export type Direction = 'input' | 'output';

export type FindingKind =
  | 'member-added'
  | 'member-removed'
  | 'optional-to-required'
  | 'required-to-optional'
  | 'type-changed'
  | 'enum-value-added'
  | 'enum-value-removed'
  | 'deprecated'
  | 'undeprecated';

/** A step into a value: a member, an array's elements, a union's branch for one discriminator value. */
export type Segment = { member: string } | { array: true } | { discriminator: string; value: string };

/** Where a client meets a value: a command's arguments or return, an event's data. */
export interface Root {
  subject: 'command' | 'event';
  name: string;
  via: 'arguments' | 'returns' | 'data';
}

/** What a finding belongs to: a root, or a pair of named types (old name, new name). */
export type Owner = { root: Root } | { pair: string };

export interface Place {
  owner: Owner;
  path: Segment[];
}

export interface Verdict {
  breaking: boolean;
  /** A caution for a compatible change (a new value a `switch` may not expect). */
  note?: string;
}

export interface Finding {
  owner: Owner;
  path: Segment[];
  kind: FindingKind;
  /** The enum value added or removed. */
  value?: string;
  /** For a member added or removed: whether it is (was) optional. */
  optional?: boolean;
  old?: string;
  new?: string;
  /** For a deprecation: the new documents' words. */
  deprecation?: string;
  /** The verdict for each direction the place is met in. */
  verdicts: Map<Direction, Verdict>;
}

/** A pair of named types compared because a place used one in the old model and the other in the new. */
export interface TypePair {
  key: string;
  old: string;
  new: string;
  /** Every place that reached the pair, by `ownerKey + path`. */
  uses: Map<string, Place>;
  directions: Set<Direction>;
}

export function ownerKey(owner: Owner): string {
  return 'pair' in owner ? `type ${owner.pair}` : `${owner.root.subject} ${owner.root.name} ${owner.root.via}`;
}

export function pathKey(path: readonly Segment[]): string {
  return path.map((s) => ('member' in s ? `.${s.member}` : 'array' in s ? '[]' : `(${s.discriminator}=${s.value})`)).join('');
}

const both = (breaking: boolean): Record<Direction, Verdict> => ({ input: { breaking }, output: { breaking } });

export class WireWalk {
  readonly findings = new Map<string, Finding>();
  readonly pairs = new Map<string, TypePair>();
  private readonly compared = new Set<string>();

  constructor(
    private readonly oldFacts: ModelFacts,
    private readonly newFacts: ModelFacts,
    /** Whether both models state integer widths (the text documents and introspection say `int` for all). */
    private readonly integerWidths: boolean,
  ) {}

  /** Compares what a root carries in the old model with what it carries in the new. */
  root(root: Root, oldRef: TypeRef, newRef: TypeRef, direction: Direction): void {
    this.value(oldRef, newRef, direction, { owner: { root }, path: [] });
  }

  private add(at: Place, direction: Direction, finding: Omit<Finding, 'owner' | 'path' | 'verdicts'>, verdicts: Record<Direction, Verdict>): void {
    const key = [ownerKey(at.owner), pathKey(at.path), finding.kind, finding.value ?? '', finding.old ?? '', finding.new ?? ''].join('\u0000');
    let known = this.findings.get(key);
    if (!known) {
      known = { ...finding, owner: at.owner, path: at.path, verdicts: new Map() };
      this.findings.set(key, known);
    }
    known.verdicts.set(direction, verdicts[direction]);
  }

  private value(oldRef: TypeRef, newRef: TypeRef, direction: Direction, at: Place): void {
    if (oldRef.kind === 'named' && newRef.kind === 'named' && this.oldFacts.type(oldRef.name) && this.newFacts.type(newRef.name)) {
      const key = `${oldRef.name}>${newRef.name}`;
      this.usePair(oldRef.name, newRef.name, direction, at);
      // Once per pair and direction: recursive types (a node holding a list of nodes) end here.
      if (this.compared.has(`${key} ${direction}`)) return;
      this.compared.add(`${key} ${direction}`);
      return this.shapes(oldRef, newRef, direction, { owner: { pair: key }, path: [] });
    }
    this.shapes(oldRef, newRef, direction, at);
  }

  /** Alternatives are matched by their JSON type, the only thing that tells them apart on the wire. */
  private shapes(oldRef: TypeRef, newRef: TypeRef, direction: Direction, at: Place): void {
    const olds = this.oldFacts.wireBranches(oldRef);
    const news = this.newFacts.wireBranches(newRef);
    if (olds.length === 1 && news.length === 1) {
      if (olds[0] === oldRef && news[0] === newRef) return this.single(oldRef, newRef, direction, at);
      return this.value(olds[0]!, news[0]!, direction, at);
    }
    const byKind = (refs: TypeRef[], facts: ModelFacts): Map<JsonKind, TypeRef> => {
      const map = new Map<JsonKind, TypeRef>();
      for (const ref of refs) if (!map.has(facts.jsonKind(ref))) map.set(facts.jsonKind(ref), ref);
      return map;
    };
    const oldKinds = byKind(olds, this.oldFacts);
    const newKinds = byKind(news, this.newFacts);
    if (oldKinds.has('any') || newKinds.has('any')) return;
    const lost = [...oldKinds.keys()].filter((k) => !newKinds.has(k));
    const gained = [...newKinds.keys()].filter((k) => !oldKinds.has(k));
    if (lost.length > 0 || gained.length > 0) {
      // Sent: a kind of value no longer accepted breaks. Received: a kind of value never seen before breaks.
      const verdicts = { input: { breaking: lost.length > 0 }, output: { breaking: gained.length > 0 } };
      this.add(at, direction, { kind: 'type-changed', old: typeText(oldRef, this.oldFacts), new: typeText(newRef, this.newFacts) }, verdicts);
    }
    for (const [kind, old] of oldKinds) {
      const now = newKinds.get(kind);
      if (now) this.value(old, now, direction, at);
    }
  }

  private single(oldRef: TypeRef, newRef: TypeRef, direction: Direction, at: Place): void {
    const a = this.oldFacts.wireShape(oldRef);
    const b = this.newFacts.wireShape(newRef);
    if ((a.kind === 'scalar' && a.json === 'any') || (b.kind === 'scalar' && b.json === 'any')) return;
    const changed = (verdicts: Record<Direction, Verdict>): void =>
      this.add(at, direction, { kind: 'type-changed', old: typeText(oldRef, this.oldFacts), new: typeText(newRef, this.newFacts) }, verdicts);
    if (a.kind === 'enum' && b.kind === 'enum') return this.enumValues(a.values, b.values, direction, at);
    if (a.kind === 'object' && b.kind === 'object') return this.objects(a, b, direction, at, this.declared(oldRef, newRef, at));
    if (a.kind === 'array' && b.kind === 'array') return this.value(a.of, b.of, direction, { owner: at.owner, path: [...at.path, { array: true }] });
    // A set of strings became any string: a sender is fine; a reader may meet values it did not know.
    if (a.kind === 'enum' && b.kind === 'scalar' && b.json === 'string') {
      return changed({ input: { breaking: false }, output: { breaking: false, note: 'a client may now receive strings outside the old values' } });
    }
    if (a.kind === 'scalar' && a.json === 'string' && b.kind === 'enum') return changed({ input: { breaking: true }, output: { breaking: false } });
    if (a.kind === 'scalar' && b.kind === 'scalar' && a.json === b.json) {
      if (a.json !== 'number') return;
      if (a.integer && b.integer && !this.integerWidths) return;
      const relation = numberRelation(a.integer, b.integer);
      if (relation === 'same') return;
      if (relation === 'wider') return changed({ input: { breaking: false }, output: { breaking: true } });
      if (relation === 'narrower') return changed({ input: { breaking: true }, output: { breaking: false } });
    }
    changed(both(true));
  }

  private objects(
    a: Extract<WireShape, { kind: 'object' }>,
    b: Extract<WireShape, { kind: 'object' }>,
    direction: Direction,
    at: Place,
    declared?: Declared,
  ): void {
    if (a.variants && b.variants && a.variants.discriminator === b.variants.discriminator) {
      this.members(a.members, b.members, direction, at, declared);
      const news = new Map(b.variants.branches.map((v) => [v.value, v.type]));
      for (const branch of a.variants.branches) {
        const now = news.get(branch.value);
        // A value gone or new is the discriminator's change, reported on its enumeration.
        if (now)
          this.value(branch.type, now, direction, { owner: at.owner, path: [...at.path, { discriminator: a.variants.discriminator, value: branch.value }] });
      }
      return;
    }
    // A struct that became a union (or back): compared through every member a value may carry,
    // a branch's members optional (they are there for some values only).
    this.members(flatMembers(a, this.oldFacts), flatMembers(b, this.newFacts), direction, at, declared);
  }

  /**
   * For two named types compared as their own place (a pair's top), which type declares each
   * member: a base's members are its own, reported under the base once however many types
   * inherit them. Undefined when neither has a base.
   */
  private declared(oldRef: TypeRef, newRef: TypeRef, at: Place): Declared | undefined {
    if (oldRef.kind !== 'named' || newRef.kind !== 'named' || !('pair' in at.owner) || at.path.length > 0) return undefined;
    const olds = declarers(this.oldFacts, oldRef.name);
    const news = declarers(this.newFacts, newRef.name);
    if (olds.size === 0 && news.size === 0) return undefined;
    return { old: olds, new: news, top: { old: oldRef.name, new: newRef.name }, at };
  }

  /** Where member `name` is reported: the top pair, or the pair of bases that declare it. */
  private memberPlace(name: string, at: Place, direction: Direction, declared: Declared | undefined): Place {
    if (!declared) return { owner: at.owner, path: [...at.path, { member: name }] };
    const oldIn = declared.old.get(name);
    const newIn = declared.new.get(name);
    // A member declared by a base of the same name on both sides (or on the side that has it) is the base's.
    const base = oldIn !== undefined && newIn !== undefined ? (oldIn === newIn ? oldIn : undefined) : (oldIn ?? newIn);
    const inOld = base !== undefined && (base === declared.top.old || this.oldFacts.type(base) !== undefined);
    const inNew = base !== undefined && (base === declared.top.new || this.newFacts.type(base) !== undefined);
    if (base === undefined || !inOld || !inNew || base === declared.top.old || base === declared.top.new)
      return { owner: at.owner, path: [...at.path, { member: name }] };
    const owner = this.usePair(base, base, direction, declared.at);
    return { owner, path: [{ member: name }] };
  }

  private usePair(oldName: string, newName: string, direction: Direction, at: Place): Owner {
    const key = `${oldName}>${newName}`;
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = { key, old: oldName, new: newName, uses: new Map(), directions: new Set() };
      this.pairs.set(key, pair);
    }
    pair.uses.set(`${ownerKey(at.owner)}${pathKey(at.path)}`, at);
    pair.directions.add(direction);
    return { pair: key };
  }

  private members(olds: readonly Member[], news: readonly Member[], direction: Direction, at: Place, declared?: Declared): void {
    const newByName = new Map(news.map((m) => [m.name, m]));
    const oldNames = new Set(olds.map((m) => m.name));
    for (const old of olds) {
      const place = this.memberPlace(old.name, at, direction, declared);
      const now = newByName.get(old.name);
      if (!now) {
        // Sent: the client may send it and be refused. Received: only a required member was relied on.
        this.add(place, direction, { kind: 'member-removed', optional: old.optional }, { input: { breaking: true }, output: { breaking: !old.optional } });
        continue;
      }
      if (old.optional && !now.optional)
        this.add(place, direction, { kind: 'optional-to-required' }, { input: { breaking: true }, output: { breaking: false } });
      if (!old.optional && now.optional)
        this.add(place, direction, { kind: 'required-to-optional' }, { input: { breaking: false }, output: { breaking: true } });
      if (old.deprecated === undefined && now.deprecated !== undefined)
        this.add(place, direction, { kind: 'deprecated', deprecation: now.deprecated }, both(false));
      if (old.deprecated !== undefined && now.deprecated === undefined) this.add(place, direction, { kind: 'undeprecated' }, both(false));
      this.value(old.type, now.type, direction, place);
    }
    for (const now of news) {
      if (oldNames.has(now.name)) continue;
      const place = this.memberPlace(now.name, at, direction, declared);
      this.add(place, direction, { kind: 'member-added', optional: now.optional }, { input: { breaking: !now.optional }, output: { breaking: false } });
    }
  }

  private enumValues(olds: readonly EnumValue[], news: readonly EnumValue[], direction: Direction, at: Place): void {
    const newNames = new Set(news.map((v) => v.name));
    const oldNames = new Set(olds.map((v) => v.name));
    for (const v of olds) {
      if (!newNames.has(v.name))
        this.add(at, direction, { kind: 'enum-value-removed', value: v.name }, { input: { breaking: true }, output: { breaking: false } });
    }
    for (const v of news) {
      if (oldNames.has(v.name)) continue;
      const note = 'a switch over received values may not expect it';
      this.add(at, direction, { kind: 'enum-value-added', value: v.name }, { input: { breaking: false }, output: { breaking: false, note } });
    }
  }
}

interface Declared {
  old: Map<string, string>;
  new: Map<string, string>;
  top: { old: string; new: string };
  at: Place;
}

/** For a struct (or a union with a named base), each inherited member's declaring base; own members are left out. */
function declarers(facts: ModelFacts, name: string): Map<string, string> {
  const out = new Map<string, string>();
  const top = facts.type(name);
  const seen = new Set<string>([name]);
  for (let at = top?.kind === 'struct' || top?.kind === 'union' ? top.base : undefined; at !== undefined && !seen.has(at);) {
    seen.add(at);
    const base = facts.type(at);
    if (base?.kind !== 'struct') break;
    for (const m of base.members) if (!out.has(m.name)) out.set(m.name, base.name);
    at = base.base;
  }
  return out;
}

/** Every member a value of an object may carry: the base's, then each branch's (optional). */
function flatMembers(shape: Extract<WireShape, { kind: 'object' }>, facts: ModelFacts): readonly Member[] {
  if (!shape.variants) return shape.members;
  const members = [...shape.members];
  const seen = new Set(members.map((m) => m.name));
  for (const branch of shape.variants.branches) {
    const inner = facts.wireShape(branch.type);
    if (inner.kind !== 'object') continue;
    for (const m of flatMembers(inner, facts)) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      members.push({ ...m, optional: true });
    }
  }
  return members;
}

/** How the numbers a type admits changed: a float admits every integer. */
function numberRelation(a: IntegerRange | undefined, b: IntegerRange | undefined): 'same' | 'wider' | 'narrower' | 'other' {
  if (!a && !b) return 'same';
  if (!b) return 'wider';
  if (!a) return 'narrower';
  if (a.min === b.min && a.max === b.max) return 'same';
  if (b.min <= a.min && b.max >= a.max) return 'wider';
  if (a.min <= b.min && a.max >= b.max) return 'narrower';
  return 'other';
}

/** A client's view of a type, for messages: `string`, `integer (uint8)`, `string | null (StrOrNull)`. */
export function typeText(ref: TypeRef, facts: ModelFacts): string {
  const plain = (at: TypeRef, depth: number): string => {
    if (at.kind === 'builtin') {
      if (at.name === 'str' || at.name === 'QType') return 'string';
      if (at.name === 'bool') return 'boolean';
      if (at.name === 'number' || at.name === 'null' || at.name === 'any') return at.name;
      return `integer (${at.name})`;
    }
    if (at.kind === 'array') return `array of ${plain(at.of, depth)}`;
    if (at.kind === 'object') return 'object';
    if (at.kind === 'enum') return 'enum';
    const branches = facts.wireBranches(at);
    const inner = depth > 0 ? '' : branches.map((b) => plain(b, depth + 1)).join(' | ');
    if (at.kind === 'union') return inner;
    const shape = facts.wireShape(at);
    return shape.kind === 'alternate' && inner ? `${inner} (${at.name})` : at.name;
  };
  return plain(ref, 0);
}
