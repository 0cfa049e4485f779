/**
 * Facts derived from a model, computed in one place and read by every output, as QEMU's
 * `scripts/qapi/schema.py` computes a checked schema's facts once for every generator: the
 * type of each name, the wire members of each struct (its bases' first), the built-in types and
 * which of them are integers, how a condition reads. Front ends produce the IR; emitters, the
 * diff and the conformance checker ask these questions of it here rather than each answering
 * them anew.
 */
import type { BuiltinName, Condition, EnumValue, Member, NamedType, QmpModel, TypeRef } from './types.js';

/** QAPI's built-in types, as the schema names them. */
export const builtinNames: readonly BuiltinName[] = [
  'str',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'size',
  'number',
  'bool',
  'null',
  'any',
  'QType',
];

const builtinSet: ReadonlySet<string> = new Set(builtinNames);

export function isBuiltinName(name: string): name is BuiltinName {
  return builtinSet.has(name);
}

/** The built-in types whose values are JSON integers. */
export const integerBuiltins: ReadonlySet<string> = new Set<BuiltinName>([
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'size',
]);

/**
 * The built-in integers that can leave JavaScript's exact range (beyond ±(2^53 − 1)); `int` is
 * QAPI's int64.
 */
export const wideIntegerBuiltins: ReadonlySet<string> = new Set<BuiltinName>(['int', 'int64', 'uint64', 'size']);

/** The values of QAPI's built-in `QType` enumeration (JSON value kinds). */
export const qtypeValues: readonly string[] = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'];

/** The values a built-in integer type admits, both ends included. */
export interface IntegerRange {
  min: bigint;
  max: bigint;
}

const signed = (bits: bigint): IntegerRange => ({ min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n });
const unsigned = (bits: bigint): IntegerRange => ({ min: 0n, max: 2n ** bits - 1n });

/** Each built-in integer's range; `int` is QAPI's int64, `size` a uint64. */
export const integerRanges: ReadonlyMap<string, IntegerRange> = new Map<BuiltinName, IntegerRange>([
  ['int8', signed(8n)],
  ['int16', signed(16n)],
  ['int32', signed(32n)],
  ['int', signed(64n)],
  ['int64', signed(64n)],
  ['uint8', unsigned(8n)],
  ['uint16', unsigned(16n)],
  ['uint32', unsigned(32n)],
  ['uint64', unsigned(64n)],
  ['size', unsigned(64n)],
]);

/**
 * What a value of a type is on the wire, one level deep: names followed (a struct's bases, a
 * union's base and branches, an alternate's alternatives), what it holds left as type references
 * so that recursive types unfold only as far as a reader follows them. Names are gone: two types
 * of the same shape under different names have the same wire shape.
 */
export type WireShape =
  /** A JSON scalar; `integer` is set for the built-in integers, with the values they admit. */
  | { kind: 'scalar'; json: 'string' | 'number' | 'boolean' | 'null' | 'any'; integer?: IntegerRange }
  /** A string from a fixed set (a QAPI enum, an inline list of values, `QType`). */
  | { kind: 'enum'; values: readonly EnumValue[] }
  | { kind: 'array'; of: TypeRef }
  /**
   * A JSON object: its members as on the wire (bases first); for a union, the base's members and
   * the branch each discriminator value adds. `open` when other keys may be present.
   */
  | { kind: 'object'; members: readonly Member[]; open: boolean; variants?: WireVariants }
  /** One of several JSON values told apart by their JSON type (an alternate, an inline union). */
  | { kind: 'alternate'; of: readonly TypeRef[] };

export interface WireVariants {
  /** The base member whose value selects the branch. */
  discriminator: string;
  branches: readonly { value: string; type: TypeRef }[];
}

/** What tells an alternate's branches apart on the wire: the JSON type of the value. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'any';

/** `CONFIG_A and not (CONFIG_B)`: a condition as a reader reads it. */
export function conditionText(condition: Condition): string {
  if (typeof condition === 'string') return condition;
  if ('not' in condition) return `not (${conditionText(condition.not)})`;
  if ('all' in condition) return condition.all.map(conditionText).join(' and ');
  return condition.any.map(conditionText).join(' or ');
}

/** The facts of one model; get them with `factsOf`, which computes them once per model. */
export class ModelFacts {
  private readonly byName: ReadonlyMap<string, NamedType>;
  private readonly wireMembers = new Map<string, readonly Member[]>();
  private wideNames: Set<string> | undefined;

  constructor(model: Pick<QmpModel, 'types'>) {
    this.byName = new Map(model.types.map((t) => [t.name, t]));
  }

  /** The named type `name`, if the model defines it. */
  type(name: string): NamedType | undefined {
    return this.byName.get(name);
  }

  /**
   * A struct's members as they are on the wire: its bases' first, then its own. Empty for a name
   * that is no struct. A base cycle (which a checked schema never has, but IR JSON may) ends the
   * chain where it would repeat.
   */
  structMembers(name: string): readonly Member[] {
    const known = this.wireMembers.get(name);
    if (known !== undefined) return known;
    const chain: NamedType[] = [];
    const seen = new Set<string>();
    for (let at: string | undefined = name; at !== undefined && !seen.has(at);) {
      seen.add(at);
      const type = this.byName.get(at);
      if (type?.kind !== 'struct') break;
      chain.unshift(type);
      at = type.base;
    }
    const members = chain.flatMap((t) => (t.kind === 'struct' ? t.members : []));
    this.wireMembers.set(name, members);
    return members;
  }

  /** What a value of `ref` is on the wire, one level deep (see `WireShape`). */
  wireShape(ref: TypeRef): WireShape {
    switch (ref.kind) {
      case 'builtin': {
        if (ref.name === 'str') return { kind: 'scalar', json: 'string' };
        if (ref.name === 'QType') return { kind: 'enum', values: qtypeValues.map((name) => ({ name })) };
        const integer = integerRanges.get(ref.name);
        if (integer) return { kind: 'scalar', json: 'number', integer };
        if (ref.name === 'number') return { kind: 'scalar', json: 'number' };
        if (ref.name === 'bool') return { kind: 'scalar', json: 'boolean' };
        return { kind: 'scalar', json: ref.name === 'null' ? 'null' : 'any' };
      }
      case 'array':
        return { kind: 'array', of: ref.of };
      case 'object':
        return { kind: 'object', members: ref.members, open: ref.open };
      case 'enum':
        return { kind: 'enum', values: ref.values };
      case 'union':
        return { kind: 'alternate', of: ref.of };
      case 'named': {
        const named = this.byName.get(ref.name);
        switch (named?.kind) {
          case 'struct':
            return { kind: 'object', members: this.structMembers(named.name), open: false };
          case 'enum':
            return { kind: 'enum', values: named.values };
          case 'union':
            return { kind: 'object', members: named.baseMembers, open: false, variants: { discriminator: named.discriminator, branches: named.variants } };
          case 'alternate':
            return { kind: 'alternate', of: named.alternatives.map((a) => a.type) };
          case undefined:
            // A name the model does not define (IR JSON may hold one): nothing is known of it.
            return { kind: 'scalar', json: 'any' };
        }
      }
    }
  }

  /**
   * The values `ref` may be, by their JSON type: an alternate's (or inline union's) alternatives,
   * nested ones flattened; any other type is its own only branch.
   */
  wireBranches(ref: TypeRef): TypeRef[] {
    const out: TypeRef[] = [];
    const seen = new Set<string>();
    const visit = (at: TypeRef): void => {
      const shape = this.wireShape(at);
      if (shape.kind !== 'alternate') return void out.push(at);
      if (at.kind === 'named') {
        if (seen.has(at.name)) return;
        seen.add(at.name);
      }
      shape.of.forEach(visit);
    };
    visit(ref);
    return out;
  }

  /** The JSON type of a value of `ref` (`any` for an alternate: see `wireBranches`). */
  jsonKind(ref: TypeRef): JsonKind {
    const shape = this.wireShape(ref);
    switch (shape.kind) {
      case 'scalar':
        return shape.json;
      case 'enum':
        return 'string';
      case 'array':
        return 'array';
      case 'object':
        return 'object';
      case 'alternate':
        return 'any';
    }
  }

  /**
   * Whether a value of `ref` can hold, at any depth, an integer that may leave JavaScript's exact
   * range (an int64, uint64 or size): what a bigint-mode client can deliver as a `bigint`. `any`
   * is not counted (its values are `unknown` already).
   */
  holdsWideInteger(ref: TypeRef): boolean {
    switch (ref.kind) {
      case 'builtin':
        return wideIntegerBuiltins.has(ref.name);
      case 'named':
        return this.namedHoldsWideInteger(ref.name);
      case 'array':
        return this.holdsWideInteger(ref.of);
      case 'union':
        return ref.of.some((t) => this.holdsWideInteger(t));
      case 'object':
        return ref.members.some((m) => this.holdsWideInteger(m.type));
      case 'enum':
        return false;
    }
  }

  private namedHoldsWideInteger(name: string): boolean {
    this.wideNames ??= this.typesHoldingWideIntegers();
    return this.wideNames.has(name);
  }

  /**
   * Every named type that holds a wide integer, directly or through the types it names: a least
   * fixed point, so that recursive types (a tree of nodes) are settled like any other.
   */
  private typesHoldingWideIntegers(): Set<string> {
    const parts = new Map<string, { direct: boolean; names: Set<string> }>();
    for (const type of this.byName.values()) {
      const part = { direct: false, names: new Set<string>() };
      const visit = (ref: TypeRef): void => {
        if (ref.kind === 'builtin') part.direct ||= wideIntegerBuiltins.has(ref.name);
        else if (ref.kind === 'named') part.names.add(ref.name);
        else if (ref.kind === 'array') visit(ref.of);
        else if (ref.kind === 'union') ref.of.forEach(visit);
        else if (ref.kind === 'object') ref.members.forEach((m) => visit(m.type));
      };
      if (type.kind === 'struct') {
        type.members.forEach((m) => visit(m.type));
        if (type.base !== undefined) part.names.add(type.base);
      } else if (type.kind === 'union') {
        type.baseMembers.forEach((m) => visit(m.type));
        if (type.base !== undefined) part.names.add(type.base);
        type.variants.forEach((v) => visit(v.type));
      } else if (type.kind === 'alternate') type.alternatives.forEach((a) => visit(a.type));
      parts.set(type.name, part);
    }
    const wide = new Set([...parts].filter(([, p]) => p.direct).map(([n]) => n));
    for (let grew = true; grew;) {
      grew = false;
      for (const [name, part] of parts) {
        if (!wide.has(name) && [...part.names].some((n) => wide.has(n))) {
          wide.add(name);
          grew = true;
        }
      }
    }
    return wide;
  }
}

const computed = new WeakMap<object, ModelFacts>();

/** The facts of `model`, computed on first use; a model is not changed after it is read. */
export function factsOf(model: Pick<QmpModel, 'types'>): ModelFacts {
  let facts = computed.get(model.types);
  if (facts === undefined) {
    facts = new ModelFacts(model);
    computed.set(model.types, facts);
  }
  return facts;
}

/**
 * One way two definitions' wire shapes differ: at `where` (`member 'x'`, `value 'y'`, `branch
 * 'z'`, or `''` for the whole), what the first side has (`here`) and what the second has.
 */
export interface WireDifference {
  where: string;
  here: string;
  there: string;
}

export interface WireComparison {
  /** Whether a named type of the first model stands for one of the second (the caller's pairing). */
  sameType(here: string, there: string): boolean;
  /**
   * Whether integer widths count: not where one side is introspection, which says `int` for
   * every width.
   */
  integerWidths?: boolean;
}

/**
 * How `here` (a type of the model of `a`) and `there` (of `b`) differ on the wire, one level
 * deep: a struct's members (bases' included) by name, their optionality and types, a union's
 * discriminator and branches by value (a value without a branch is the empty object), an enum's
 * values, an alternate's alternatives by JSON type. Named types inside are not followed: they are
 * the same where `sameType` says so. Member order does not count (JSON objects have none), nor do
 * features and documentation. Empty when the shapes agree.
 */
export function wireDifferences(a: ModelFacts, here: TypeRef, b: ModelFacts, there: TypeRef, options: WireComparison): WireDifference[] {
  const out: WireDifference[] = [];
  const x = a.wireShape(here);
  const y = b.wireShape(there);
  if (x.kind !== y.kind || (x.kind === 'scalar' && !sameRef(a, here, b, there, options))) {
    out.push({ where: '', here: shapeText(x, here), there: shapeText(y, there) });
    return out;
  }
  switch (x.kind) {
    case 'enum': {
      const theirs = new Set((y as typeof x).values.map((v) => v.name));
      const ours = new Set(x.values.map((v) => v.name));
      for (const v of ours) if (!theirs.has(v)) out.push({ where: `value '${v}'`, here: 'present', there: 'absent' });
      for (const v of theirs) if (!ours.has(v)) out.push({ where: `value '${v}'`, here: 'absent', there: 'present' });
      break;
    }
    case 'array':
      if (!sameRef(a, x.of, b, (y as typeof x).of, options)) out.push({ where: 'elements', here: refText(x.of), there: refText((y as typeof x).of) });
      break;
    case 'object': {
      const other = y as typeof x;
      memberDifferences(a, x.members, b, other.members, options, '', out);
      if ((x.variants === undefined) !== (other.variants === undefined)) {
        out.push({ where: '', here: x.variants ? 'a union' : 'a struct', there: other.variants ? 'a union' : 'a struct' });
      } else if (x.variants && other.variants) {
        if (x.variants.discriminator !== other.variants.discriminator)
          out.push({ where: 'discriminator', here: `'${x.variants.discriminator}'`, there: `'${other.variants.discriminator}'` });
        const empty: TypeRef = { kind: 'object', members: [], open: false };
        const theirs = new Map(other.variants.branches.map((v) => [v.value, v.type]));
        const values = [...new Set([...x.variants.branches.map((v) => v.value), ...theirs.keys()])];
        const ours = new Map(x.variants.branches.map((v) => [v.value, v.type]));
        for (const value of values) {
          const mine = ours.get(value) ?? empty;
          const yours = theirs.get(value) ?? empty;
          if (!sameRef(a, mine, b, yours, options)) out.push({ where: `branch '${value}'`, here: refText(mine), there: refText(yours) });
        }
      }
      break;
    }
    case 'alternate': {
      const byKind = (facts: ModelFacts, of: readonly TypeRef[]) => new Map(of.map((t) => [facts.jsonKind(t), t]));
      const ours = byKind(a, x.of);
      const theirs = byKind(b, (y as typeof x).of);
      for (const [kind, t] of ours) {
        const u = theirs.get(kind);
        if (u === undefined) out.push({ where: `alternative ${kind}`, here: refText(t), there: 'absent' });
        else if (!sameRef(a, t, b, u, options)) out.push({ where: `alternative ${kind}`, here: refText(t), there: refText(u) });
      }
      for (const [kind, u] of theirs) if (!ours.has(kind)) out.push({ where: `alternative ${kind}`, here: 'absent', there: refText(u) });
      break;
    }
    case 'scalar':
      break;
  }
  return out;
}

/** Two member lists compared by name, as `wireDifferences` compares a struct's. */
export function memberDifferences(
  a: ModelFacts,
  ours: readonly Member[],
  b: ModelFacts,
  theirs: readonly Member[],
  options: WireComparison,
  prefix = '',
  out: WireDifference[] = [],
): WireDifference[] {
  const byName = new Map(theirs.map((m) => [m.name, m]));
  const mine = new Set(ours.map((m) => m.name));
  const text = (m: Member) => `${m.optional ? 'optional' : 'required'} ${refText(m.type)}`;
  for (const m of ours) {
    const n = byName.get(m.name);
    const where = `${prefix}member '${m.name}'`;
    if (n === undefined) out.push({ where, here: text(m), there: 'absent' });
    else if (m.optional !== n.optional || !sameRef(a, m.type, b, n.type, options)) out.push({ where, here: text(m), there: text(n) });
  }
  for (const n of theirs) if (!mine.has(n.name)) out.push({ where: `${prefix}member '${n.name}'`, here: 'absent', there: text(n) });
  return out;
}

/** Whether two references are the same type on the wire, named types by the caller's pairing. */
function sameRef(a: ModelFacts, x: TypeRef, b: ModelFacts, y: TypeRef, options: WireComparison): boolean {
  if (x.kind === 'named' && y.kind === 'named') return options.sameType(x.name, y.name);
  // The empty object inline on one side, an empty struct by name on the other (introspection
  // lists QEMU's `Abort` as its `q_empty`).
  if ((x.kind === 'object' && y.kind === 'named') || (x.kind === 'named' && y.kind === 'object')) {
    const empty = (facts: ModelFacts, ref: TypeRef) => {
      const shape = facts.wireShape(ref);
      return shape.kind === 'object' && shape.members.length === 0 && shape.variants === undefined;
    };
    return empty(a, x) && empty(b, y);
  }
  if (x.kind === 'array' && y.kind === 'array') return sameRef(a, x.of, b, y.of, options);
  if (x.kind === 'builtin' && y.kind === 'builtin') {
    if (integerBuiltins.has(x.name) && integerBuiltins.has(y.name)) return options.integerWidths === false || x.name === y.name;
    return x.name === y.name;
  }
  if (x.kind === 'object' && y.kind === 'object') return x.open === y.open && memberDifferences(a, x.members, b, y.members, options).length === 0;
  if (x.kind === 'enum' && y.kind === 'enum') {
    const names = (values: readonly EnumValue[]) =>
      values
        .map((v) => v.name)
        .sort()
        .join(',');
    return names(x.values) === names(y.values);
  }
  if (x.kind === 'union' && y.kind === 'union') return x.of.length === y.of.length && x.of.every((t, i) => sameRef(a, t, b, y.of[i]!, options));
  return false;
}

function refText(ref: TypeRef): string {
  switch (ref.kind) {
    case 'builtin':
    case 'named':
      return ref.name;
    case 'array':
      return `[${refText(ref.of)}]`;
    case 'object':
      return ref.members.length === 0 ? '{}' : `{${ref.members.map((m) => m.name).join(', ')}}`;
    case 'enum':
      return `one of ${ref.values.map((v) => `'${v.name}'`).join(', ')}`;
    case 'union':
      return ref.of.map(refText).join(' | ');
  }
}

function shapeText(shape: WireShape, ref: TypeRef): string {
  switch (shape.kind) {
    case 'scalar':
      return refText(ref);
    case 'object':
      return shape.variants ? 'a union' : 'an object';
    default:
      return `an ${shape.kind}`;
  }
}
