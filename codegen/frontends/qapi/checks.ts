/**
 * The schema's rules beyond reading it, as QEMU's `scripts/qapi` checks them (expr.py's names,
 * schema.py's clashes, alternates, unions, features and flags), over the checked definitions.
 *
 * Severity follows meaning, not QEMU's strictness of the day: what the IR cannot say faithfully
 * (a member twice on the wire, alternate branches JSON cannot tell apart, a union branch that is
 * no object) is an error; what only QEMU's C generator or its style needs (naming case, reserved
 * C names, names that clash once made C identifiers, flags C cannot combine), which QEMU's own
 * older releases broke in their shipped schemas, is a warning.
 */
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { Location } from '../../ir/types.js';
import { isBuiltinName } from '../../ir/facts.js';
import { codes } from './codes.js';
import type { BranchDefinition, Definition, FeatureDefinition, MemberDefinition, TypeExpression, UnionDefinition } from './definitions.js';
import type { Pragmas } from './reader.js';

/** QEMU's valid name: an optional `__RFQDN_` vendor prefix, an optional `x-`, then a letter. */
const validName = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;

/** QEMU's features are bits of a 64-bit mask, two of them its own (`deprecated`, `unstable`). */
const MAX_FEATURES = 62;
const specialFeatures = new Set(['deprecated', 'unstable']);

/** QEMU's `c_name`: what a name becomes as a C identifier. */
function cName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function checkSchema(definitions: readonly Definition[], pragmas: Pragmas, diagnostics: Diagnostics): void {
  new SchemaChecker(definitions, pragmas, diagnostics).run();
}

class SchemaChecker {
  private readonly byName = new Map<string, Definition>();

  constructor(
    private readonly definitions: readonly Definition[],
    private readonly pragmas: Pragmas,
    private readonly diagnostics: Diagnostics,
  ) {
    for (const d of definitions) if (!this.byName.has(d.name)) this.byName.set(d.name, d);
  }

  run(): void {
    for (const d of this.definitions) {
      this.definitionName(d);
      this.features(d.features, d, d.loc);
      switch (d.meta) {
        case 'enum':
          this.enumValues(d);
          break;
        case 'struct':
          this.memberNames(d.members, d);
          this.clashes(this.structMembers(d.name), d, d.loc);
          break;
        case 'union':
          this.union(d);
          break;
        case 'alternate':
          this.alternate(d);
          break;
        case 'command':
        case 'event':
          this.commandOrEvent(d);
          break;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // names (expr.py)

  private definitionName(d: Definition): void {
    const stem = this.validName(d.name, `${d.meta} name '${d.name}'`, d.loc);
    if (stem === undefined) return;
    if (d.meta === 'event') {
      if (/[a-z-]/.test(stem)) this.warn(codes.nameCase, `event name '${d.name}' should use upper case and '_' (as 'BLOCK_JOB_COMPLETED')`, d.loc);
    } else if (d.meta === 'command') {
      if (/[A-Z]/.test(stem) || (stem.includes('_') && !this.pragmas.commandNameExceptions.includes(d.name))) {
        this.warn(codes.nameCase, `command name '${d.name}' should use lower case and '-' (as 'query-status')`, d.loc);
      }
    } else {
      if (!/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(stem)) this.warn(codes.nameCase, `${d.meta} name '${d.name}' should be CamelCase`, d.loc);
      if (d.name.endsWith('List'))
        this.warn(codes.nameReserved, `${d.meta} name '${d.name}' ends in 'List', which QEMU's C generator reserves for lists`, d.loc);
    }
  }

  /**
   * The name's stem when it is a valid QAPI name; a warning when it is none: on the wire it is
   * still a plain string (2.x wrote enum values as 'l1_grow.alloc_table').
   */
  private validName(name: string, what: string, loc: Location): string | undefined {
    // eslint-disable-next-line no-control-regex -- control characters are what QEMU refuses
    const control = /[\x00-\x1f\x7f]/.exec(name);
    if (control) {
      this.error(
        codes.badString,
        `${what.replace(name, JSON.stringify(name).slice(1, -1))} holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
        loc,
      );
      return undefined;
    }
    const match = validName.exec(name);
    if (!match) {
      this.warn(codes.nameInvalid, `${what} is not a valid QAPI name (a letter, then letters, digits, '-' or '_')`, loc);
      return undefined;
    }
    if (cName(name).startsWith('q_')) this.warn(codes.nameReserved, `${what} starts with 'q-' or 'q_', which QEMU reserves`, loc);
    return match[3];
  }

  private memberNames(members: readonly MemberDefinition[], owner: Definition): void {
    const exempt = this.pragmas.memberNameExceptions.includes(owner.name);
    for (const m of members) {
      const stem = this.validName(m.name, `member '${m.name}' of ${owner.meta} '${owner.name}'`, m.loc);
      if (stem === undefined) continue;
      if (!exempt && /[A-Z_]/.test(stem)) this.warn(codes.nameCase, `member '${m.name}' of ${owner.meta} '${owner.name}' should use lower case and '-'`, m.loc);
      const c = cName(m.name);
      if (c === 'u' || c.startsWith('has_'))
        this.warn(codes.nameReserved, `member '${m.name}' of ${owner.meta} '${owner.name}' uses a name QEMU's C generator reserves ('u', 'has-…')`, m.loc);
      if (m.type.kind === 'object') this.memberNames(m.type.members, owner);
      this.features(m.features, owner, m.loc);
    }
  }

  private enumValues(d: Extract<Definition, { meta: 'enum' }>): void {
    const exempt = this.pragmas.memberNameExceptions.includes(d.name);
    const seen = new Map<string, string>();
    for (const v of d.values) {
      // Enum values may start with a digit ('2_5', '16'), as QEMU allows them.
      const stem = this.validName(/^\d/.test(v.name) ? `d${v.name}` : v.name, `value '${v.name}' of enum '${d.name}'`, v.loc);
      if (stem !== undefined && !exempt && /[A-Z_]/.test(stem))
        this.warn(codes.nameCase, `value '${v.name}' of enum '${d.name}' should use lower case and '-'`, v.loc);
      const c = cName(v.name).toLowerCase();
      const other = seen.get(c);
      if (other !== undefined && other !== v.name)
        this.warn(codes.nameClash, `value '${v.name}' of enum '${d.name}' and value '${other}' are one name in C`, v.loc);
      seen.set(c, v.name);
      this.features(v.features, d, v.loc);
    }
  }

  // ------------------------------------------------------------------------------------------
  // members on the wire (schema.py check_clash)

  /** A struct's members with its bases' (definitions order), following bases while they are structs. */
  private structMembers(name: string, seen = new Set<string>()): MemberDefinition[] {
    const d = this.byName.get(name);
    if (d?.meta !== 'struct' || seen.has(name)) return [];
    seen.add(name);
    return [...(d.base ? this.structMembers(d.base.name, seen) : []), ...d.members];
  }

  /**
   * Members that meet on the wire: the same name twice is an error (the second cannot be sent
   * or read); two names that are one in C ('a-b', 'a_b') are distinct JSON keys, a warning.
   */
  private clashes(members: readonly MemberDefinition[], owner: Definition, loc: Location, against: readonly MemberDefinition[] = [], at?: Location): void {
    // A key written twice in one object is definitions.ts's 'duplicate-member' already.
    const ownList = (m: MemberDefinition) => ownerMembers(owner).includes(m);
    const wire = new Map<string, MemberDefinition>(against.map((m) => [m.name, m]));
    const c = new Map<string, MemberDefinition>(against.map((m) => [cName(m.name), m]));
    for (const m of members) {
      const twin = wire.get(m.name);
      if (twin !== undefined && twin !== m && !(ownList(twin) && ownList(m))) {
        this.error(
          codes.memberClash,
          `member '${m.name}' of ${owner.meta} '${owner.name}' is on the wire twice (at ${where(m.loc)} and ${where(twin.loc)})`,
          at ?? m.loc,
        );
        continue;
      }
      const cTwin = c.get(cName(m.name));
      if (cTwin !== undefined && cTwin !== m)
        this.warn(codes.nameClash, `members '${m.name}' and '${cTwin.name}' of ${owner.meta} '${owner.name}' are one name in C`, at ?? m.loc ?? loc);
      wire.set(m.name, m);
      c.set(cName(m.name), m);
    }
  }

  // ------------------------------------------------------------------------------------------
  // unions and alternates

  private union(d: UnionDefinition): void {
    const base = Array.isArray(d.base) ? d.base : d.base ? this.structMembers(d.base.name) : [];
    if (Array.isArray(d.base)) this.memberNames(d.base, d);
    this.clashes(base, d, d.loc);
    if (!d.discriminator) {
      if (d.base !== undefined) this.error(codes.badDiscriminator, `union '${d.name}' has a 'base' but no 'discriminator'`, d.loc);
      return; // a simple union (QEMU ≤ 6.2): each branch is wrapped as { 'data': ... }
    }
    const tag = base.find((m) => m.name === d.discriminator!.name);
    if (tag) {
      if (tag.optional)
        this.error(
          codes.badDiscriminator,
          `discriminator '${tag.name}' of union '${d.name}' is optional: a branch could not be chosen without it`,
          d.discriminator.loc,
        );
      if (tag.if !== undefined)
        this.error(
          codes.badDiscriminator,
          `discriminator '${tag.name}' of union '${d.name}' is conditional: a build without it could not choose a branch`,
          d.discriminator.loc,
        );
      const tagType = tag.type.kind === 'name' ? this.byName.get(tag.type.name) : undefined;
      if (tagType?.meta !== 'enum')
        this.warn(
          codes.discriminatorNotEnum,
          `discriminator '${tag.name}' of union '${d.name}' is not of an enum type: its branches' names are read as its values, as QEMU 1.7 did`,
          d.discriminator.loc,
        );
      else if (d.branches.length === 0 && tagType.values.length === 0) this.warn(codes.unionEmpty, `union '${d.name}' has no branches`, d.loc);
    }
    for (const branch of d.branches) {
      const members = this.branchMembers(branch, d);
      // Reported at the branch: the union is where its members meet the base's.
      for (const set of members) this.clashes(set, d, branch.loc, base, branch.loc);
    }
  }

  /** A flat union branch's members on the wire (one set per variant when it is a union itself). */
  private branchMembers(branch: BranchDefinition, union: UnionDefinition): MemberDefinition[][] {
    const type = branch.type;
    if (type.kind === 'object') return [type.members];
    if (type.kind === 'array') {
      this.error(codes.unionBranchType, `branch '${branch.name}' of union '${union.name}' is a list: a flat union's branch must be a struct`, branch.loc);
      return [];
    }
    const d = this.byName.get(type.name);
    if (d?.meta === 'struct') return [this.structMembers(d.name)];
    if (d?.meta === 'union' && d.discriminator) {
      const base = Array.isArray(d.base) ? d.base : d.base ? this.structMembers(d.base.name) : [];
      return [base, ...d.branches.flatMap((b) => this.branchMembers(b, d).map((set) => [...base, ...set]))];
    }
    const what = isBuiltinName(type.name) ? `the built-in type '${type.name}'` : d ? `the ${d.meta} '${type.name}'` : undefined;
    if (what !== undefined)
      this.error(codes.unionBranchType, `branch '${branch.name}' of union '${union.name}' is ${what}: a flat union's branch must be a struct`, branch.loc);
    return [];
  }

  private alternate(d: Extract<Definition, { meta: 'alternate' }>): void {
    // QEMU holds an alternate's branch names to the rules whatever the pragma says.
    const names = new Map<string, BranchDefinition>();
    const seen = new Map<JsonKind, BranchDefinition>();
    const keyval: { branch: BranchDefinition; kinds: JsonKind[] }[] = [];
    for (const branch of d.branches) {
      const stem = this.validName(branch.name, `branch '${branch.name}' of alternate '${d.name}'`, branch.loc);
      if (stem !== undefined && /[A-Z_]/.test(stem))
        this.warn(codes.nameCase, `branch '${branch.name}' of alternate '${d.name}' should use lower case and '-'`, branch.loc);
      const cTwin = names.get(cName(branch.name));
      if (cTwin) this.warn(codes.nameClash, `branches '${cTwin.name}' and '${branch.name}' of alternate '${d.name}' are one name in C`, branch.loc);
      names.set(cName(branch.name), branch);
      const kind = this.jsonKind(branch.type);
      if (kind === undefined) {
        const name = branch.type.kind === 'name' ? branch.type.name : '';
        const what = name === 'any' ? "the built-in type 'any', which matches every JSON value" : `the alternate '${name}': alternates do not nest`;
        this.error(codes.alternateBranchType, `branch '${branch.name}' of alternate '${d.name}' is ${what}`, branch.loc);
        continue;
      }
      const twin = seen.get(kind);
      if (twin) {
        this.error(
          codes.alternateAmbiguous,
          `branches '${twin.name}' and '${branch.name}' of alternate '${d.name}' are both a JSON ${kind}: a value cannot tell them apart`,
          branch.loc,
        );
        continue;
      }
      seen.set(kind, branch);
      keyval.push({ branch, kinds: this.keyvalKinds(branch.type, kind) });
    }
    // On QEMU's command line (keyval) every value is a string: 'on' or '1' could be either branch.
    for (const { branch, kinds } of keyval) {
      for (const k of kinds) {
        const other = seen.get(k);
        if (other && other !== branch)
          this.warn(
            codes.alternateKeyval,
            `branches '${other.name}' and '${branch.name}' of alternate '${d.name}' differ in JSON, but not on QEMU's command line, where '${other.name}' is written as a string too`,
            branch.loc,
          );
      }
    }
  }

  /** What JSON value a branch type takes; undefined for `any` and alternates (no one kind). */
  private jsonKind(type: TypeExpression): JsonKind | undefined {
    if (type.kind === 'array') return 'array';
    if (type.kind === 'object') return 'object';
    const name = type.name;
    if (name === 'str' || name === 'QType') return 'string';
    if (name === 'bool') return 'boolean';
    if (name === 'null') return 'null';
    if (name === 'any') return undefined;
    if (isBuiltinName(name)) return 'number';
    const d = this.byName.get(name);
    if (d?.meta === 'enum') return 'string';
    if (d?.meta === 'alternate') return undefined;
    return 'object';
  }

  /** The other kinds a string branch's values could be read as on the command line. */
  private keyvalKinds(type: TypeExpression, kind: JsonKind): JsonKind[] {
    if (kind !== 'string' || type.kind !== 'name') return [];
    const d = this.byName.get(type.name);
    if (d?.meta !== 'enum') return ['number', 'boolean'];
    const kinds: JsonKind[] = [];
    if (d.values.some((v) => v.name === 'on' || v.name === 'off')) kinds.push('boolean');
    if (d.values.some((v) => /^[-+0-9.]/.test(v.name))) kinds.push('number');
    return kinds;
  }

  // ------------------------------------------------------------------------------------------
  // commands, events, features

  private commandOrEvent(d: Extract<Definition, { meta: 'command' | 'event' }>): void {
    if (Array.isArray(d.data)) {
      this.memberNames(d.data, d);
      this.clashes(d.data, d, d.loc);
      const conditional = d.data.find((m) => m.if !== undefined);
      if (conditional && !d.boxed)
        this.warn(
          codes.argsIfUnboxed,
          `${d.meta} '${d.name}' has a conditional member '${conditional.name}' without 'boxed': true, which QEMU's C generator needs`,
          conditional.loc,
        );
    } else if (d.data !== undefined && !d.boxed) {
      const conditional = this.structMembers(d.data.name).find((m) => m.if !== undefined);
      if (conditional)
        this.warn(
          codes.argsIfUnboxed,
          `${d.meta} '${d.name}' takes '${d.data.name}', whose member '${conditional.name}' is conditional, without 'boxed': true, which QEMU's C generator needs`,
          d.loc,
        );
    }
    if (d.boxed && d.data === undefined) this.error(codes.badFlag, `${d.meta} '${d.name}' is 'boxed' but has no 'data' to box`, d.loc);
    if (d.meta !== 'command') return;
    if (d.allowOob && d.coroutine)
      this.warn(codes.flagsIncompatible, `command '${d.name}' sets both 'allow-oob' and 'coroutine', which QEMU cannot combine`, d.loc);
    const returns = d.returns;
    if (returns && !this.pragmas.commandReturnsExceptions.includes(d.name)) {
      const element = returns.kind === 'array' ? returns.of : returns.kind === 'name' ? returns.name : undefined;
      const target = element === undefined ? undefined : this.byName.get(element);
      const isObject = target?.meta === 'struct' || target?.meta === 'union';
      if (element !== undefined && !isObject) {
        const what =
          returns.kind === 'array'
            ? `a list of '${element}'`
            : isBuiltinName(element)
              ? `the built-in type '${element}'`
              : `the ${target?.meta ?? 'type'} '${element}'`;
        this.warn(
          codes.returnsNotObject,
          `command '${d.name}' returns ${what}: QEMU wants an object (or a list of objects), so that members can be added later`,
          returns.loc,
        );
      }
    }
  }

  private features(features: readonly FeatureDefinition[], owner: Definition, loc: Location): void {
    const seen = new Map<string, FeatureDefinition>();
    for (const f of features) {
      this.validName(f.name, `feature '${f.name}' of ${owner.meta} '${owner.name}'`, f.loc);
      const twin = seen.get(f.name);
      if (twin) this.error(codes.duplicateFeature, `feature '${f.name}' of ${owner.meta} '${owner.name}' is listed twice (also at ${where(twin.loc)})`, f.loc);
      seen.set(f.name, f);
      const isType = owner.meta !== 'command' && owner.meta !== 'event';
      if (f.name === 'deprecated' && isType && features === owner.features) {
        this.warn(
          codes.featureDeprecatedType,
          `feature 'deprecated' on the ${owner.meta} '${owner.name}': QEMU deprecates commands, events and members, not types`,
          f.loc,
        );
      }
    }
    const custom = features.filter((f) => !specialFeatures.has(f.name)).length;
    if (custom > MAX_FEATURES)
      this.warn(
        codes.featuresTooMany,
        `${owner.meta} '${owner.name}' has ${custom} features of its own; QEMU allows ${MAX_FEATURES} beside 'deprecated' and 'unstable'`,
        loc,
      );
  }

  private error(code: (typeof codes)[keyof typeof codes], message: string, loc: Location): void {
    this.diagnostics.error(code, message, loc);
  }

  private warn(code: (typeof codes)[keyof typeof codes], message: string, loc: Location): void {
    this.diagnostics.warn(code, message, loc);
  }
}

/** The members a definition writes itself (not its base's). */
function ownerMembers(d: Definition): readonly MemberDefinition[] {
  switch (d.meta) {
    case 'struct':
      return d.members;
    case 'union':
      return Array.isArray(d.base) ? d.base : [];
    case 'command':
    case 'event':
      return Array.isArray(d.data) ? d.data : [];
    default:
      return [];
  }
}

function where(loc: Location): string {
  return `${loc.file.split('/').pop()}:${loc.line}`;
}
