/**
 * QEMU's own names and documentation for a model read from introspection, taken from a
 * documented release (its QAPI schema's model, configured for the same kind of build).
 *
 * The reply has neither: its types are numbers, and the front end names them after their first
 * use (`QueryStatusResult`). Here each of its types is matched with the documented release's type
 * used at the same places (the return of `query-status`, the member `status` of that, …), never
 * by shape alone, as a QEMU that renames a type keeps its places: that type takes the documented
 * name (`StatusInfo`). Where the release documents the same wire shape (`wireDifferences`, one
 * level deep, integer widths aside, which the reply does not keep), the type gets that
 * definition's documentation, its members', values' and branches' too; where the shape differs,
 * it keeps QEMU's name, and a note says what differs instead of documentation that would be
 * wrong. Commands and events (named alike on both sides) are documented where their arguments,
 * reply or data agree. A type found at no place of the release (new in the reply's QEMU) keeps
 * a name derived from where it is used (`names.ts`): stable, as nothing here depends on the
 * reply's order or numbers.
 */
import { factsOf, integerBuiltins, memberDifferences, wireDifferences, type ModelFacts, type WireComparison, type WireDifference } from '../../ir/facts.js';
import type { Command, Doc, Event, Member, NamedType, QmpModel, TypeRef } from '../../ir/types.js';
import { deriveTypeNames, renameTypes } from './names.js';

export interface NamingRelease {
  /** How notes name the release: `10.2.0`. */
  label: string;
  /** Its documented model (a QAPI schema's), configured as the reply's build was. */
  model: QmpModel;
}

/** What naming from a release did, for the user and for the tests. */
export interface NamingReport {
  release: string;
  types: number;
  /** Named as the release names them, and documented from it: the shapes agree. */
  documented: string[];
  /** Named as the release names them at the same places, not documented: the shapes differ. */
  changed: { name: string; differences: WireDifference[] }[];
  /** Not named from the release (found nowhere in it, or its name went to another type): a name derived from where they are used. */
  derived: string[];
  /** Of `derived`, those documented all the same: the release's type at their places has their shape. */
  documentedDerived: string[];
  commands: { documented: number; changed: string[]; absent: string[] };
  events: { documented: number; changed: string[]; absent: string[] };
}

interface Candidate {
  name: string;
  votes: number;
  first: number;
}

/**
 * `live` (an introspection model, its types under any unique names) named and documented from
 * `release`. The model given is not changed.
 */
export function nameFromRelease(live: QmpModel, release: NamingRelease): { model: QmpModel; report: NamingReport } {
  const matcher = new PlaceMatcher(live, release.model);
  const fixed = matcher.resolve();
  const names = deriveTypeNames(live, fixed);
  const model = renameTypes(live, names);
  model.types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // by the model's own (final) names
  const final = (map: ReadonlyMap<string, string>) => new Map([...map].map(([own, theirs]) => [names.get(own)!, theirs]));
  return { model, report: new Documenter(model, release, final(fixed), final(matcher.placed())).run() };
}

/** Pairs the live model's types with the release's by the places they are used at. */
class PlaceMatcher {
  private readonly ours: ModelFacts;
  private readonly theirs: ModelFacts;
  private readonly votes = new Map<string, Map<string, Candidate>>();
  private readonly seen = new Set<string>();
  private order = 0;

  constructor(
    private readonly live: QmpModel,
    private readonly release: QmpModel,
  ) {
    this.ours = factsOf(live);
    this.theirs = factsOf(release);
  }

  /** Live type name → the release's name for it. */
  resolve(): Map<string, string> {
    const commands = new Map(this.release.commands.map((c) => [c.name, c]));
    for (const command of sorted(this.live.commands)) {
      const theirs = commands.get(command.name);
      if (theirs === undefined) continue;
      if (command.argumentsType && theirs.argumentsType) this.pair(command.argumentsType, theirs.argumentsType);
      this.pairMembers(command.arguments, theirs.arguments);
      if (command.returns && theirs.returns) this.pair(command.returns, theirs.returns);
    }
    const events = new Map(this.release.events.map((e) => [e.name, e]));
    for (const event of sorted(this.live.events)) {
      const theirs = events.get(event.name);
      if (theirs === undefined) continue;
      if (event.dataType && theirs.dataType) this.pair(event.dataType, theirs.dataType);
      this.pairMembers(event.data, theirs.data);
    }
    const fixed = this.choose();
    this.matchUnplaced(fixed);
    return fixed;
  }

  /** Each type found at places of the release: the release's type found there most often. */
  placed(): Map<string, string> {
    return new Map([...this.votes].map(([ours, candidates]) => [ours, [...candidates.values()].sort(byVotes)[0]!.name]));
  }

  private pairMembers(ours: readonly Member[], theirs: readonly Member[]): void {
    const byName = new Map(theirs.map((m) => [m.name, m]));
    for (const member of ours) {
      const other = byName.get(member.name);
      if (other) this.pair(member.type, other.type);
    }
  }

  /** The two types at one place: a vote for naming ours as theirs, and their insides paired. */
  private pair(ours: TypeRef, theirs: TypeRef): void {
    if (ours.kind === 'array' && theirs.kind === 'array') return this.pair(ours.of, theirs.of);
    if (ours.kind !== 'named' || theirs.kind !== 'named') return;
    const a = this.ours.type(ours.name);
    const b = this.theirs.type(theirs.name);
    if (a === undefined || b === undefined || category(a) !== category(b)) return;
    const candidates = this.votes.get(a.name) ?? new Map<string, Candidate>();
    this.votes.set(a.name, candidates);
    const candidate = candidates.get(b.name) ?? { name: b.name, votes: 0, first: this.order++ };
    candidates.set(b.name, candidate);
    candidate.votes++;
    const key = `${a.name}\u0000${b.name}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pairInsides(a, b);
  }

  private pairInsides(a: NamedType, b: NamedType): void {
    if ((a.kind === 'struct' || a.kind === 'union') && (b.kind === 'struct' || b.kind === 'union')) {
      this.pairMembers(this.objectMembers(this.ours, a), this.objectMembers(this.theirs, b));
      if (a.kind === 'union' && b.kind === 'union') {
        const branches = new Map(b.variants.map((v) => [v.value, v.type]));
        for (const variant of a.variants) {
          const other = branches.get(variant.value);
          if (other) this.pair(variant.type, other);
        }
      }
    } else if (a.kind === 'alternate' && b.kind === 'alternate') {
      const byKind = new Map(b.alternatives.map((alt) => [this.theirs.jsonKind(alt.type), alt.type]));
      for (const alt of a.alternatives) {
        const other = byKind.get(this.ours.jsonKind(alt.type));
        if (other) this.pair(alt.type, other);
      }
    }
  }

  private objectMembers(facts: ModelFacts, type: NamedType): readonly Member[] {
    return type.kind === 'struct' ? facts.structMembers(type.name) : type.kind === 'union' ? type.baseMembers : [];
  }

  /**
   * Each live type takes the release's name it was found at most often (the first found, on a
   * tie); a name wanted by several types goes to the one whose shape agrees with it, else to the
   * one found there most often, else to the first found. The others are new to the release.
   */
  private choose(): Map<string, string> {
    const best = new Map<string, Candidate>();
    for (const [ours, candidates] of this.votes) best.set(ours, [...candidates.values()].sort(byVotes)[0]!);
    const provisional = new Map([...best].map(([ours, c]) => [ours, c.name]));
    const claimants = new Map<string, { ours: string; agrees: boolean; candidate: Candidate }[]>();
    for (const [ours, candidate] of best) {
      const agrees = this.differences(ours, candidate.name, provisional).length === 0;
      const list = claimants.get(candidate.name) ?? [];
      list.push({ ours, agrees, candidate });
      claimants.set(candidate.name, list);
    }
    const fixed = new Map<string, string>();
    for (const [theirs, list] of claimants) {
      list.sort((x, y) => Number(y.agrees) - Number(x.agrees) || byVotes(x.candidate, y.candidate));
      fixed.set(list[0]!.ours, theirs);
    }
    return fixed;
  }

  /**
   * Types found at no place (QEMU lists a few that nothing uses): named as the one type of the
   * release, not yet taken, with exactly their shape; then their insides are paired too.
   */
  private matchUnplaced(fixed: Map<string, string>): void {
    const taken = new Set(fixed.values());
    const placed = new Set(this.votes.keys());
    const unplaced = this.live.types.filter((t) => !placed.has(t.name));
    if (unplaced.length === 0) return;
    const free = this.release.types.filter((t) => !taken.has(t.name));
    for (const type of sorted(unplaced)) {
      const matches = free.filter((t) => category(t) === category(type) && !taken.has(t.name) && this.differences(type.name, t.name, fixed).length === 0);
      if (matches.length !== 1) continue;
      const theirs = matches[0]!.name;
      fixed.set(type.name, theirs);
      taken.add(theirs);
      const before = new Set(this.votes.keys());
      this.pairInsides(type, matches[0]!);
      for (const [ours, candidates] of this.votes) {
        if (before.has(ours) || fixed.has(ours)) continue;
        const candidate = [...candidates.values()].sort(byVotes)[0]!;
        if (!taken.has(candidate.name)) {
          fixed.set(ours, candidate.name);
          taken.add(candidate.name);
        }
      }
    }
  }

  differences(ours: string, theirs: string, fixed: ReadonlyMap<string, string>): WireDifference[] {
    return wireDifferences(this.ours, { kind: 'named', name: ours }, this.theirs, { kind: 'named', name: theirs }, comparison(fixed));
  }
}

/** Named types are the same where the pairing says so; integer widths never count (the reply says `int`). */
function comparison(fixed: ReadonlyMap<string, string>): WireComparison {
  return { sameType: (ours, theirs) => fixed.get(ours) === theirs, integerWidths: false };
}

/**
 * As `comparison`, and a type not named from the release (the name went to another type at its
 * places) is the same as the release's type at its places where their shapes agree, all the way
 * down (a pair is assumed the same while it is being compared, so recursive types end).
 */
function deepComparison(ours: ModelFacts, theirs: ModelFacts, named: ReadonlyMap<string, string>, placed: ReadonlyMap<string, string>): WireComparison {
  const known = new Map<string, boolean>();
  const options: WireComparison = {
    integerWidths: false,
    sameType: (a, b) => {
      if (named.has(a)) return named.get(a) === b;
      if (placed.get(a) !== b) return false;
      const key = `${a}\u0000${b}`;
      const answer = known.get(key);
      if (answer !== undefined) return answer;
      known.set(key, true);
      const same = wireDifferences(ours, { kind: 'named', name: a }, theirs, { kind: 'named', name: b }, options).length === 0;
      known.set(key, same);
      return same;
    },
  };
  return options;
}

function byVotes(x: Candidate, y: Candidate): number {
  return y.votes - x.votes || x.first - y.first;
}

function category(type: NamedType): string {
  return type.kind === 'struct' || type.kind === 'union' ? 'object' : type.kind;
}

function sorted<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Copies the release's documentation onto the definitions whose shapes agree; notes the others. */
class Documenter {
  private readonly ours: ModelFacts;
  private readonly theirs: ModelFacts;
  private readonly theirTypes: Map<string, NamedType>;
  private readonly options: WireComparison;

  constructor(
    private readonly model: QmpModel,
    private readonly release: NamingRelease,
    /** Our (final) name → the release's, for the types named from it. */
    private readonly named: ReadonlyMap<string, string>,
    /** Our (final) name → the release's type at the same places, for every type found there. */
    private readonly placed: ReadonlyMap<string, string>,
  ) {
    this.ours = factsOf(model);
    this.theirs = factsOf(release.model);
    this.theirTypes = new Map(release.model.types.map((t) => [t.name, t]));
    this.options = deepComparison(this.ours, this.theirs, named, placed);
  }

  run(): NamingReport {
    const report: NamingReport = {
      release: this.release.label,
      types: this.model.types.length,
      documented: [],
      changed: [],
      derived: [],
      documentedDerived: [],
      commands: { documented: 0, changed: [], absent: [] },
      events: { documented: 0, changed: [], absent: [] },
    };
    for (const type of this.model.types) {
      const theirs = this.named.get(type.name);
      const other = this.theirTypes.get(theirs ?? this.placed.get(type.name) ?? '');
      const differences =
        other === undefined
          ? []
          : wireDifferences(this.ours, { kind: 'named', name: type.name }, this.theirs, { kind: 'named', name: other.name }, this.options);
      if (theirs === undefined) {
        // a name of its own; documented still where it has the shape of the type at its places
        report.derived.push(type.name);
        if (other !== undefined && differences.length === 0) {
          this.documentType(type, other);
          type.doc.notes.push(`Documented as QEMU ${this.release.label}'s \`${other.name}\`, which is used at the same places with the same wire shape.`);
          report.documentedDerived.push(type.name);
        }
        continue;
      }
      delete type.hoisted;
      if (differences.length === 0) {
        this.documentType(type, other!);
        report.documented.push(type.name);
      } else {
        type.doc.notes.push(this.changedNote(`\`${other!.name}\``, differences));
        report.changed.push({ name: type.name, differences });
      }
    }
    const commands = new Map(this.release.model.commands.map((c) => [c.name, c]));
    for (const command of this.model.commands) {
      const other = commands.get(command.name);
      if (other === undefined) report.commands.absent.push(command.name);
      else {
        const differences = this.commandDifferences(command, other);
        if (differences.length === 0) {
          documentCommand(command, other, this.adopt);
          report.commands.documented++;
        } else {
          command.doc.notes.push(this.changedNote(`\`${other.name}\``, differences));
          report.commands.changed.push(command.name);
        }
      }
    }
    const events = new Map(this.release.model.events.map((e) => [e.name, e]));
    for (const event of this.model.events) {
      const other = events.get(event.name);
      if (other === undefined) report.events.absent.push(event.name);
      else {
        const differences = this.dataDifferences(event.data, event.dataType, other.data, other.dataType, 'data ');
        if (differences.length === 0) {
          documentEvent(event, other, this.adopt);
          report.events.documented++;
        } else {
          event.doc.notes.push(this.changedNote(`\`${other.name}\``, differences));
          report.events.changed.push(event.name);
        }
      }
    }
    // a new array: facts computed for the old one (factsOf caches by it) do not know the added types
    this.model.types = [...this.model.types, ...this.added.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    report.documented.push(...this.added.keys());
    report.types = this.model.types.length;
    return report;
  }

  private commandDifferences(command: Command, other: Command): WireDifference[] {
    const out = this.dataDifferences(command.arguments, command.argumentsType, other.arguments, other.argumentsType, 'argument ');
    const empty: TypeRef = { kind: 'object', members: [], open: false };
    const ours = command.returns ?? empty;
    const theirs = other.returns ?? empty;
    const same = wireDifferences(this.ours, { kind: 'array', of: ours }, this.theirs, { kind: 'array', of: theirs }, this.options).length === 0;
    if (!same) out.push({ where: 'reply', here: text(ours), there: text(theirs) });
    return out;
  }

  /** Arguments or event data: a union's branches too, else the members by name. */
  private dataDifferences(
    ours: readonly Member[],
    ourType: TypeRef | undefined,
    theirs: readonly Member[],
    theirType: TypeRef | undefined,
    prefix: string,
  ): WireDifference[] {
    const union = (facts: ModelFacts, ref: TypeRef | undefined) => {
      const shape = ref === undefined ? undefined : facts.wireShape(ref);
      return shape?.kind === 'object' && shape.variants !== undefined;
    };
    if (union(this.ours, ourType) || union(this.theirs, theirType)) {
      if (ourType === undefined || theirType === undefined)
        return [{ where: prefix.trim(), here: ourType ? 'a union' : 'members', there: theirType ? 'a union' : 'members' }];
      return this.options.sameType((ourType as { name: string }).name, (theirType as { name: string }).name)
        ? []
        : [{ where: prefix.trim(), here: text(ourType), there: text(theirType) }];
    }
    return memberDifferences(this.ours, ours, this.theirs, theirs, this.options, prefix);
  }

  /** Types of the release the reply has inline only (QEMU's empty structs, `Abort`), added by name. */
  private readonly added = new Map<string, NamedType>();

  /**
   * A member's (branch's, alternative's) type as the release types it, where the two agree: its
   * integer widths, and an empty struct by its name where the reply has the empty object inline
   * (so that the release's `Abort` and this `{}` are one type to TypeScript too).
   */
  private readonly adopt = (ours: TypeRef, theirs: TypeRef): TypeRef => {
    if (ours.kind === 'object' && ours.members.length === 0 && theirs.kind === 'named') {
      const type = this.theirTypes.get(theirs.name);
      const empty = type?.kind === 'struct' && this.theirs.structMembers(type.name).length === 0;
      if (!empty || this.ours.type(theirs.name) !== undefined) return ours;
      if (!this.added.has(type.name)) {
        const added: NamedType = { kind: 'struct', name: type.name, doc: structuredClone(type.doc), members: [], loc: type.loc };
        if (type.since !== undefined) added.since = type.since;
        this.added.set(type.name, added);
      }
      return { kind: 'named', name: theirs.name };
    }
    return withWidths(ours, theirs);
  };

  private documentType(ours: NamedType, theirs: NamedType): void {
    withDoc(ours, theirs);
    if (theirs.examples) ours.examples = structuredClone(theirs.examples);
    if (ours.kind === 'struct') {
      // the reply lists a struct's bases' members in the struct itself
      documentMembers(ours.members, this.theirs.structMembers(theirs.name), this.adopt);
    } else if (ours.kind === 'union' && theirs.kind === 'union') {
      documentMembers(ours.baseMembers, theirs.baseMembers, this.adopt);
      for (const variant of ours.variants) {
        const other = theirs.variants.find((v) => v.value === variant.value);
        if (other?.doc !== undefined) variant.doc = other.doc;
        if (other !== undefined) variant.type = this.adopt(variant.type, other.type);
      }
    } else if (ours.kind === 'enum' && theirs.kind === 'enum') {
      const values = new Map(theirs.values.map((v) => [v.name, v]));
      for (const value of ours.values) {
        const other = values.get(value.name);
        if (other?.doc !== undefined) value.doc = other.doc;
        if (value.deprecated !== undefined && other?.deprecated) value.deprecated = other.deprecated;
      }
      if (theirs.prefix !== undefined) ours.prefix = theirs.prefix;
    } else if (ours.kind === 'alternate' && theirs.kind === 'alternate') {
      // the reply names alternatives by JSON type: the release's names and docs, matched so
      const byKind = new Map(theirs.alternatives.map((a) => [this.theirs.jsonKind(a.type), a]));
      for (const alternative of ours.alternatives) {
        const other = byKind.get(this.ours.jsonKind(alternative.type));
        if (other === undefined) continue;
        alternative.name = other.name;
        alternative.type = this.adopt(alternative.type, other.type);
        if (other.doc !== undefined) alternative.doc = other.doc;
      }
    }
  }

  private changedNote(what: string, differences: WireDifference[]): string {
    const here = this.model.source.release === undefined ? 'here' : `in ${this.model.source.release}`;
    const listed = differences.slice(0, 6).map((d) => `${d.where === '' ? 'the type' : d.where}: ${d.here} ${here}, ${d.there} in ${this.release.label}`);
    const more = differences.length > 6 ? `; and ${differences.length - 6} more` : '';
    return `QEMU ${this.release.label} documents ${what} with another wire shape (${listed.join('; ')}${more}): its documentation is not carried over.`;
  }
}

function text(ref: TypeRef): string {
  return ref.kind === 'named' || ref.kind === 'builtin' ? ref.name : ref.kind === 'object' && ref.members.length === 0 ? 'nothing' : ref.kind;
}

/** The release's prose, keeping what the wire says (features, deprecation) from ours. */
function withDoc<T extends { doc: Doc; since?: string; deprecated?: string; features?: { name: string; doc?: string }[] }>(ours: T, theirs: T): void {
  ours.doc = structuredClone(theirs.doc);
  if (theirs.since !== undefined) ours.since = theirs.since;
  if (ours.deprecated !== undefined && theirs.deprecated) ours.deprecated = theirs.deprecated;
  for (const feature of ours.features ?? []) {
    const doc = theirs.features?.find((f) => f.name === feature.name)?.doc;
    if (doc !== undefined) feature.doc = doc;
  }
}

/**
 * The reply says `int` for every integer: where the release's type at the same place is an
 * integer of a stated width (`uint64`, `int32`, `size`), that width, as the rest of its
 * documentation is taken. Only on definitions whose shapes agree (so the same integer).
 */
function withWidths(ours: TypeRef, theirs: TypeRef): TypeRef {
  if (ours.kind === 'builtin' && ours.name === 'int' && theirs.kind === 'builtin' && integerBuiltins.has(theirs.name)) return theirs;
  if (ours.kind === 'array' && theirs.kind === 'array') return { kind: 'array', of: withWidths(ours.of, theirs.of) };
  return ours;
}

function documentMembers(ours: readonly Member[], theirs: readonly Member[], adopt: (ours: TypeRef, theirs: TypeRef) => TypeRef): void {
  const byName = new Map(theirs.map((m) => [m.name, m]));
  for (const member of ours) {
    const other = byName.get(member.name);
    if (other === undefined) continue;
    member.type = adopt(member.type, other.type);
    if (other.doc !== undefined) member.doc = other.doc;
    if (other.since !== undefined) member.since = other.since;
    if (other.default !== undefined) member.default = other.default;
    if (member.deprecated !== undefined && other.deprecated) member.deprecated = other.deprecated;
    for (const feature of member.features ?? []) {
      const doc = other.features?.find((f) => f.name === feature.name)?.doc;
      if (doc !== undefined) feature.doc = doc;
    }
  }
}

function documentCommand(ours: Command, theirs: Command, adopt: (ours: TypeRef, theirs: TypeRef) => TypeRef): void {
  withDoc(ours, theirs);
  documentMembers(ours.arguments, theirs.arguments, adopt);
  ours.examples = structuredClone(theirs.examples);
}

function documentEvent(ours: Event, theirs: Event, adopt: (ours: TypeRef, theirs: TypeRef) => TypeRef): void {
  withDoc(ours, theirs);
  documentMembers(ours.data, theirs.data, adopt);
  ours.examples = structuredClone(theirs.examples);
}
