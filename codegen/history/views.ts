/**
 * One release's definitions as a history compares them: each command, event and named type with
 * its parts (members, enum values, union branches, alternatives), and whether each is deprecated,
 * optional, or conditional (`if`: a build may lack it). What the documents say about releases
 * (`Since:` lines, `(since X)` notes) is kept as claims, to be checked against the history.
 */
import { conditionText, factsOf, type ModelFacts } from '../ir/facts.js';
import { memberNotes } from '../frontends/qapi/doc.js';
import type { Command, Condition, Event, Location, Member, NamedType, QmpModel, TypeRef } from '../ir/types.js';

export type EntitySubject = 'command' | 'event' | 'type';
export type PartSubject = 'member' | 'value' | 'branch' | 'alternative';

export interface Part {
  subject: PartSubject;
  name: string;
  /** For members. */
  optional?: boolean;
  deprecated: boolean;
  /** Its `if`, as text, when a build may lack it. */
  condition?: string;
}

export interface Definition {
  subject: EntitySubject;
  name: string;
  /** For types: what kind of type. */
  kind?: NamedType['kind'];
  deprecated: boolean;
  /** Its `if`, as text, when a build may lack it. */
  condition?: string;
  /** By name; a name used by two kinds of part (rare) keeps the first: members, values, branches, alternatives. */
  parts: Map<string, Part>;
  /**
   * Set where the documents name the definition but say nothing of its parts or deprecation
   * (a guest agent's `guest-info`), and why.
   */
  nameOnly?: string;
}

/** What a history is of: a command, event or type, or one part of one (`migrate.blk`). */
export interface Subject {
  entity: EntitySubject;
  /** The command, event or type. */
  name: string;
  /** The member, enum value, branch or alternative of it, if the subject is a part. */
  part?: string;
}

/** `migrate.blk`: the subject as the command line names it. */
export function subjectPath(subject: Subject): string {
  return subject.part === undefined ? subject.name : `${subject.name}.${subject.part}`;
}

/**
 * A statement of the documents about when something came: the text of a `Since:` line or a
 * `(since X)` note, and where to look for the line (see `since.ts`).
 */
export interface SinceClaim {
  subject: Subject;
  /** What kind of part, for a part's claim. */
  part?: PartSubject;
  since: string;
  file: string;
  /** The lines to search for it, both ends included; `anchor` narrows the search to a member's own text. */
  from: number;
  to: number;
  anchor?: string;
}

export interface Definitions {
  commands: Map<string, Definition>;
  events: Map<string, Definition>;
  types: Map<string, Definition>;
  claims: SinceClaim[];
}

const condition = (node: { if?: Condition }): { condition?: string } => (node.if !== undefined ? { condition: conditionText(node.if) } : {});

const partOf = (subject: PartSubject, node: { name: string; deprecated?: string; if?: Condition }, optional?: boolean): Part => ({
  subject,
  name: node.name,
  ...(optional !== undefined ? { optional } : {}),
  deprecated: node.deprecated !== undefined,
  ...condition(node),
});

function addParts(parts: Map<string, Part>, list: Part[]): void {
  for (const part of list) if (!parts.has(part.name)) parts.set(part.name, part);
}

/** The parts of a value of `ref`: an object's members, a union's base members and branches, an enum's values. */
export function partsOfRef(ref: TypeRef, facts: ModelFacts): Map<string, Part> {
  const parts = new Map<string, Part>();
  if (ref.kind === 'object')
    addParts(
      parts,
      ref.members.map((m) => partOf('member', m, m.optional)),
    );
  else if (ref.kind === 'enum')
    addParts(
      parts,
      ref.values.map((v) => partOf('value', v)),
    );
  else if (ref.kind === 'named') {
    const type = facts.type(ref.name);
    if (type) return partsOfType(type, facts);
  }
  return parts;
}

function partsOfType(type: NamedType, facts: ModelFacts): Map<string, Part> {
  const parts = new Map<string, Part>();
  switch (type.kind) {
    case 'struct':
      addParts(
        parts,
        facts.structMembers(type.name).map((m) => partOf('member', m, m.optional)),
      );
      break;
    case 'union':
      addParts(
        parts,
        type.baseMembers.map((m) => partOf('member', m, m.optional)),
      );
      addParts(
        parts,
        type.variants.map((v) => partOf('branch', { name: v.value, ...(v.if !== undefined ? { if: v.if } : {}) })),
      );
      break;
    case 'enum':
      addParts(
        parts,
        type.values.map((v) => partOf('value', v)),
      );
      break;
    case 'alternate':
      addParts(
        parts,
        type.alternatives.map((a) => partOf('alternative', a)),
      );
      break;
  }
  return parts;
}

/** A named type of `facts` (or an inline one: text documents, introspection) under the name `name`. */
export function typeDefinition(name: string, ref: TypeRef, facts: ModelFacts): Definition | undefined {
  const named = ref.kind === 'named' ? facts.type(ref.name) : undefined;
  if (named) {
    return { subject: 'type', name, kind: named.kind, deprecated: named.deprecated !== undefined, ...condition(named), parts: partsOfType(named, facts) };
  }
  if (ref.kind === 'object') return { subject: 'type', name, kind: 'struct', deprecated: false, parts: partsOfRef(ref, facts) };
  if (ref.kind === 'enum') return { subject: 'type', name, kind: 'enum', deprecated: false, parts: partsOfRef(ref, facts) };
  return undefined;
}

function commandParts(command: Command, facts: ModelFacts): Map<string, Part> {
  const parts = new Map<string, Part>();
  addParts(
    parts,
    command.arguments.map((m) => partOf('member', m, m.optional)),
  );
  const boxed = command.argumentsType ? facts.type(command.argumentsType.name) : undefined;
  if (boxed?.kind === 'union')
    addParts(
      parts,
      [...partsOfType(boxed, facts).values()].filter((p) => p.subject === 'branch'),
    );
  return parts;
}

function eventParts(event: Event, facts: ModelFacts): Map<string, Part> {
  const parts = new Map<string, Part>();
  addParts(
    parts,
    event.data.map((m) => partOf('member', m, m.optional)),
  );
  const boxed = event.dataType ? facts.type(event.dataType.name) : undefined;
  if (boxed?.kind === 'union')
    addParts(
      parts,
      [...partsOfType(boxed, facts).values()].filter((p) => p.subject === 'branch'),
    );
  return parts;
}

/**
 * The definitions of one model. `namedTypes`: whether its types are the documents' own names
 * (a QAPI schema), not names a front end made up (text documents, introspection).
 */
export function definitionsOf(model: QmpModel, namedTypes: boolean): Definitions {
  const facts = factsOf(model);
  const out: Definitions = { commands: new Map(), events: new Map(), types: new Map(), claims: [] };
  const claims = new ClaimCollector(model, out.claims);
  for (const c of model.commands) {
    out.commands.set(c.name, {
      subject: 'command',
      name: c.name,
      deprecated: c.deprecated !== undefined,
      ...condition(c),
      parts: commandParts(c, facts),
    });
    claims.definition('command', c.name, c.since, c.loc, c.doc.loc);
    // Members of a named argument type are claimed where the type is documented.
    if (!c.argumentsType) claims.members('command', c.name, c.arguments, c.loc, c.doc.loc);
  }
  for (const e of model.events) {
    out.events.set(e.name, { subject: 'event', name: e.name, deprecated: e.deprecated !== undefined, ...condition(e), parts: eventParts(e, facts) });
    claims.definition('event', e.name, e.since, e.loc, e.doc.loc);
    if (!e.dataType) claims.members('event', e.name, e.data, e.loc, e.doc.loc);
  }
  if (namedTypes) {
    for (const t of model.types) {
      if (t.hoisted) continue;
      out.types.set(t.name, typeDefinition(t.name, { kind: 'named', name: t.name }, facts)!);
      claims.definition('type', t.name, t.since, t.loc, t.doc.loc);
      if (t.kind === 'struct') claims.members('type', t.name, t.members, t.loc, t.doc.loc);
      else if (t.kind === 'union' && t.base === undefined) claims.members('type', t.name, t.baseMembers, t.loc, t.doc.loc);
      else if (t.kind === 'enum') {
        for (const v of t.values) {
          const since = v.doc !== undefined ? memberNotes(v.doc).since : undefined;
          if (since !== undefined) claims.part({ entity: 'type', name: t.name, part: v.name }, 'value', since, t.loc, t.doc.loc);
        }
      }
    }
  }
  return out;
}

/** Where each definition's documentation lies, so that its claims can be found by line. */
class ClaimCollector {
  /** Per file, the lines where a definition or its doc comment starts, ascending. */
  private readonly starts = new Map<string, number[]>();

  constructor(
    model: QmpModel,
    private readonly claims: SinceClaim[],
  ) {
    const add = (loc: Location | undefined): void => {
      if (loc) (this.starts.get(loc.file) ?? this.starts.set(loc.file, []).get(loc.file)!).push(loc.line);
    };
    for (const d of [...model.commands, ...model.events, ...model.types]) {
      add(d.loc);
      add(d.doc.loc);
    }
    for (const lines of this.starts.values()) lines.sort((a, b) => a - b);
  }

  /**
   * The lines a definition's documentation spans: a QAPI doc comment runs from its `##` to the
   * definition; a text document's entry from its heading to the next entry.
   */
  private span(loc: Location, docLoc: Location | undefined): { file: string; from: number; to: number } {
    if (docLoc && docLoc.file === loc.file && docLoc.line < loc.line) return { file: loc.file, from: docLoc.line, to: loc.line };
    const next = this.starts.get(loc.file)?.find((line) => line > loc.line);
    return { file: loc.file, from: loc.line, to: next !== undefined ? next - 1 : loc.line + 400 };
  }

  definition(entity: EntitySubject, name: string, since: string | undefined, loc: Location, docLoc: Location | undefined): void {
    if (since !== undefined) this.claims.push({ subject: { entity, name }, since, ...this.span(loc, docLoc) });
  }

  members(entity: EntitySubject, owner: string, members: readonly Member[], loc: Location, docLoc: Location | undefined): void {
    for (const m of members) if (m.since !== undefined) this.part({ entity, name: owner, part: m.name }, 'member', m.since, loc, docLoc, m.loc);
  }

  part(subject: Subject, part: PartSubject, since: string, loc: Location, docLoc: Location | undefined, own?: Location): void {
    const span = this.span(loc, docLoc);
    // A text document states a member's release on the member's own lines.
    if (own && own.file === span.file && own.line > span.from && own.line <= span.to && !(docLoc && docLoc.line < loc.line)) {
      this.claims.push({ subject, part, since, file: span.file, from: own.line, to: Math.min(own.line + 3, span.to) });
    } else this.claims.push({ subject, part, since, ...span, anchor: subject.part! });
  }
}
