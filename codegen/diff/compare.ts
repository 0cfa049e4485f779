/**
 * Two models → the changes a client of the old one meets in the new one, judged on the wire,
 * each breaking or compatible *for a client*: one that sends commands and reads replies and
 * events.
 *
 * Every command's arguments and return and every event's data are followed structurally through
 * the types they use (`wire.ts`), with the direction the client meets them in. What a client
 * sends may widen but not narrow: an argument removed or newly required, an enum value or a kind
 * of value no longer accepted, breaks; an optional argument, an enum value or `null` newly
 * accepted (`str` → `StrOrNull`) does not. What it receives may grow but not lose what it relied
 * on: a member removed or made optional, a kind of value it never saw (`null`), breaks; a new
 * member does not, nor a new enum value (listed with a note: a `switch` may not expect it). A
 * type met both ways is judged both ways, and breaks if either way breaks.
 *
 * Each change is reported once, where it sits: under the command or event when it is in their
 * own arguments or data, else under the named type that holds it, with every command and event
 * it reaches. Type names are not on the wire: a type used where another name was before, with
 * the same shape, is no wire change but a TypeScript one (code naming the type must change),
 * reported once as a rename note.
 */
import { factsOf } from '../ir/facts.js';
import type { Command, Event, NamedType, QmpModel, TypeRef } from '../ir/types.js';
import { ownerKey, pathKey, WireWalk, type Direction, type Finding, type FindingKind, type Owner, type Root, type Segment, type TypePair } from './wire.js';

export type { Direction } from './wire.js';
export type Subject = 'command' | 'event' | 'type';
/** `note`: no change on the wire, one for TypeScript code (a type renamed). */
export type Severity = 'breaking' | 'compatible' | 'note';

export type ChangeKind = 'added' | 'removed' | 'renamed' | FindingKind;

/** A place where a client meets a change: a command's arguments or return, an event's data. */
export type Reach = Root;

export interface Change {
  kind: ChangeKind;
  subject: Subject;
  /** The command, event or type name (a type's name in the new model). */
  name: string;
  /**
   * Dotted path of the member inside it (`arguments.blk`, `returns.status`, `data.device`; a
   * type's own members bare: `version`); `[]` steps into an array's elements.
   */
  member?: string;
  breaking: boolean;
  /** `breaking` or `compatible` for a wire change; `note` for a TypeScript-only one. */
  severity: Severity;
  /** One line for people. */
  message: string;
  old?: string;
  new?: string;
  /** For deprecations: the release the documents say it was deprecated in, when they say. */
  since?: string;
  /** How clients meet the change: `input`, they send it; `output`, they receive it. */
  directions?: Direction[];
  /** The directions in which it breaks (a type sent and received may break one way only). */
  breakingFor?: Direction[];
  /** A caution on a compatible change. */
  note?: string;
  /** Every command and event whose arguments, return or data reach the change. */
  reaches?: Reach[];
  /** The named type (its new name) whose definition holds the change, when one does. */
  type?: string;
  /** For a type renamed or changed under a new name: its name in the old model. */
  oldName?: string;
  /** Branch conditions on the path (`driver=nbd`): the change is in those union branches only. */
  when?: string[];
}

export interface ModelDiff {
  old: { files: string[]; release?: string };
  new: { files: string[]; release?: string };
  changes: Change[];
  /** Wire changes that break a client. */
  breaking: number;
  /** Wire changes that do not. */
  compatible: number;
  /** TypeScript notes: no change on the wire (types renamed). */
  notes: number;
}

const emptyObject: TypeRef = { kind: 'object', open: false, members: [] };
const statesWidths = new Set(['qapi', 'reconciled', 'range']);

export function diffModels(oldModel: QmpModel, newModel: QmpModel): ModelDiff {
  const oldFacts = factsOf(oldModel);
  const newFacts = factsOf(newModel);
  const widths = statesWidths.has(oldModel.source.frontend) && statesWidths.has(newModel.source.frontend);
  const walk = new WireWalk(oldFacts, newFacts, widths);
  const changes: Change[] = [];

  const commands = pairByName(oldModel.commands, newModel.commands, 'command', changes);
  for (const [old, now] of commands) {
    walk.root({ subject: 'command', name: old.name, via: 'arguments' }, argumentsOf(old), argumentsOf(now), 'input');
    if (old.returns || now.returns)
      walk.root({ subject: 'command', name: old.name, via: 'returns' }, old.returns ?? emptyObject, now.returns ?? emptyObject, 'output');
  }
  for (const [old, now] of pairByName(oldModel.events, newModel.events, 'event', changes)) {
    walk.root({ subject: 'event', name: old.name, via: 'data' }, dataOf(old), dataOf(now), 'output');
  }

  const report = new Report(walk, oldModel, newModel);
  for (const finding of walk.findings.values()) changes.push(report.change(finding));
  // Introspection's type names are made up by us (QEMU numbers them): a rename there means nothing.
  if (oldModel.source.frontend !== 'introspection' && newModel.source.frontend !== 'introspection') {
    for (const pair of walk.pairs.values()) if (pair.old !== pair.new) changes.push(report.rename(pair));
  }

  const count = (severity: Severity): number => changes.filter((c) => c.severity === severity).length;
  return {
    old: { files: oldModel.source.files, ...(oldModel.source.release ? { release: oldModel.source.release } : {}) },
    new: { files: newModel.source.files, ...(newModel.source.release ? { release: newModel.source.release } : {}) },
    changes,
    breaking: count('breaking'),
    compatible: count('compatible'),
    notes: count('note'),
  };
}

/** What a client sends: the arguments object, whether a member list or a named type (boxed). */
function argumentsOf(command: Command): TypeRef {
  return command.argumentsType ?? { kind: 'object', open: false, members: command.arguments };
}

function dataOf(event: Event): TypeRef {
  return event.dataType ?? { kind: 'object', open: false, members: event.data };
}

/** Commands (or events) added, removed and deprecated; the pairs present in both. */
function pairByName<T extends { name: string; deprecated?: string | undefined }>(
  olds: T[],
  news: T[],
  subject: 'command' | 'event',
  changes: Change[],
): [T, T][] {
  const newByName = new Map(news.map((n) => [n.name, n]));
  const oldNames = new Set(olds.map((o) => o.name));
  const pairs: [T, T][] = [];
  for (const old of olds) {
    const now = newByName.get(old.name);
    if (!now) {
      changes.push({ kind: 'removed', subject, name: old.name, breaking: true, severity: 'breaking', message: `${subject} ${old.name} removed` });
      continue;
    }
    if (old.deprecated === undefined && now.deprecated !== undefined) changes.push(deprecated(subject, old.name, `${subject} ${old.name}`, now.deprecated));
    if (old.deprecated !== undefined && now.deprecated === undefined) {
      changes.push({
        kind: 'undeprecated',
        subject,
        name: old.name,
        breaking: false,
        severity: 'compatible',
        message: `${subject} ${old.name} no longer deprecated`,
      });
    }
    pairs.push([old, now]);
  }
  for (const now of news) {
    if (!oldNames.has(now.name))
      changes.push({ kind: 'added', subject, name: now.name, breaking: false, severity: 'compatible', message: `${subject} ${now.name} added` });
  }
  return pairs;
}

function deprecated(subject: Subject, name: string, label: string, text: string): Change {
  const since = deprecationRelease(text);
  return {
    kind: 'deprecated',
    subject,
    name,
    breaking: false,
    severity: 'compatible',
    message: `${label} deprecated${since ? ` in ${since}` : ''}${text ? `: ${firstLine(text)}` : ''}`,
    ...(since ? { since } : {}),
  };
}

/** Where a finding is reported: the owner a reader meets it under, and the path from there. */
interface Resolved {
  owner: Owner;
  path: Segment[];
}

/** Turns the walk's findings into changes: who reports each, what it reaches, its words. */
class Report {
  private readonly reachCache = new Map<string, Reach[]>();

  constructor(
    private readonly walk: WireWalk,
    private readonly oldModel: QmpModel,
    private readonly newModel: QmpModel,
  ) {}

  /**
   * A pair is reported under the place that uses it when that place is its only use and either
   * it is a command's or event's own arguments or data (`data: 'MigrateSetParameters'`: a client
   * meets those members as arguments), or both names are made up (a simple union's implicit
   * enum). Otherwise under its own name.
   */
  private resolve(owner: Owner, path: Segment[], seen = new Set<string>()): Resolved {
    if (!('pair' in owner)) return { owner, path };
    const pair = this.walk.pairs.get(owner.pair)!;
    if (pair.uses.size !== 1 || seen.has(pair.key)) return { owner, path };
    const use = [...pair.uses.values()][0]!;
    const ownObject = !('pair' in use.owner) && use.path.length === 0;
    if (!ownObject && !(this.hoisted(this.oldModel, pair.old) && this.hoisted(this.newModel, pair.new))) return { owner, path };
    seen.add(pair.key);
    return this.resolve(use.owner, [...use.path, ...path], seen);
  }

  private hoisted(model: QmpModel, name: string): boolean {
    return model.types.find((t: NamedType) => t.name === name)?.hoisted === true;
  }

  /** Every root that reaches an owner through the places that use it. */
  private reaches(owner: Owner): Reach[] {
    if (!('pair' in owner)) return [owner.root];
    const cached = this.reachCache.get(owner.pair);
    if (cached) return cached;
    const found = new Map<string, Reach>();
    const seen = new Set<string>();
    const visit = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const use of this.walk.pairs.get(key)!.uses.values()) {
        if ('pair' in use.owner) visit(use.owner.pair);
        else found.set(ownerKey(use.owner), use.owner.root);
      }
    };
    visit(owner.pair);
    const reaches = [...found.values()].sort(compareReach);
    this.reachCache.set(owner.pair, reaches);
    return reaches;
  }

  change(finding: Finding): Change {
    const { owner, path } = this.resolve(finding.owner, finding.path);
    const directions = (['input', 'output'] as const).filter((d) => finding.verdicts.has(d));
    const breakingFor = directions.filter((d) => finding.verdicts.get(d)!.breaking);
    const notes = [...new Set(directions.map((d) => finding.verdicts.get(d)!.note).filter((n): n is string => n !== undefined))];
    const pair = 'pair' in finding.owner ? this.walk.pairs.get(finding.owner.pair)! : undefined;
    const where = describePlace(owner, path, 'pair' in owner ? this.walk.pairs.get(owner.pair)! : undefined);
    let message = `${where.who}: ${findingText(finding, where, directions.includes('input'))}`;
    if (breakingFor.length > 0 && breakingFor.length < directions.length) {
      message += breakingFor[0] === 'output' ? ' (breaks what clients receive, not what they send)' : ' (breaks what clients send, not what they receive)';
    }
    const change: Change = {
      kind: finding.kind,
      subject: where.subject,
      name: where.name,
      ...(where.member ? { member: where.member } : {}),
      breaking: breakingFor.length > 0,
      severity: breakingFor.length > 0 ? 'breaking' : 'compatible',
      message,
      ...(finding.old !== undefined ? { old: finding.old, new: finding.new } : {}),
      directions,
      ...(breakingFor.length > 0 ? { breakingFor } : {}),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      reaches: this.reaches(owner),
      ...(pair ? { type: pair.new } : {}),
      ...('pair' in owner && this.walk.pairs.get(owner.pair)!.old !== where.name ? { oldName: this.walk.pairs.get(owner.pair)!.old } : {}),
      ...(where.when.length > 0 ? { when: where.when } : {}),
    };
    if (finding.kind === 'deprecated') {
      const since = deprecationRelease(finding.deprecation ?? '');
      if (since) change.since = since;
    }
    return change;
  }

  rename(pair: TypePair): Change {
    const reaches = this.reaches({ pair: pair.key });
    const listed = this.listedUnder();
    const own = [...(listed.get(pair.key) ?? [])].sort();
    // The types met directly inside it whose own changes are listed: a rename is about the type, not what it holds.
    const held = [...new Set([...this.directChildren(pair.key)].filter((k) => (listed.get(k)?.size ?? 0) > 0).map((k) => this.walk.pairs.get(k)!.new))].sort();
    const heldText = held.length > 5 ? `${held.slice(0, 5).join(', ')} and ${held.length - 5} more` : held.join(', ');
    const kept = this.newModel.types.some((t) => t.name === pair.old);
    const wire =
      own.length > 0
        ? `its wire changes are listed under ${own.join(', ')}`
        : held.length > 0
          ? `the same on the wire but for the types it holds (${heldText})`
          : 'the same on the wire';
    const what = kept ? `type ${pair.new} is used where ${pair.old} was (${pair.old} is still defined)` : `type ${pair.old} is now ${pair.new}`;
    return {
      kind: 'renamed',
      subject: 'type',
      name: pair.new,
      breaking: false,
      severity: 'note',
      message: `${what}: ${wire}; TypeScript code that names ${pair.old} there must change`,
      old: pair.old,
      new: pair.new,
      directions: (['input', 'output'] as const).filter((d) => pair.directions.has(d)),
      reaches,
      type: pair.new,
      oldName: pair.old,
    };
  }

  private listed: Map<string, Set<string>> | undefined;

  /**
   * For each pair, where the changes found in it are reported (`type B`, `command X`): under
   * itself, or under the command it is inlined into. A pair that others are inlined into lists
   * theirs too.
   */
  private listedUnder(): Map<string, Set<string>> {
    if (this.listed) return this.listed;
    const listed = new Map<string, Set<string>>();
    const note = (key: string, label: string): void => {
      const set = listed.get(key) ?? new Set<string>();
      set.add(label);
      listed.set(key, set);
    };
    for (const f of this.walk.findings.values()) {
      const { owner } = this.resolve(f.owner, f.path);
      const label = 'pair' in owner ? this.walk.pairs.get(owner.pair)!.new : `${owner.root.subject} ${owner.root.name}`;
      if ('pair' in f.owner) note(f.owner.pair, label);
      if ('pair' in owner) note(owner.pair, label);
    }
    this.listed = listed;
    return listed;
  }

  /** The pairs met directly inside a pair (its members, branches, elements, bases). */
  private directChildren(key: string): Set<string> {
    if (!this.children) {
      this.children = new Map();
      for (const pair of this.walk.pairs.values()) {
        for (const use of pair.uses.values()) {
          if (!('pair' in use.owner) || use.owner.pair === pair.key) continue;
          const list = this.children.get(use.owner.pair) ?? new Set<string>();
          list.add(pair.key);
          this.children.set(use.owner.pair, list);
        }
      }
    }
    return this.children.get(key) ?? new Set();
  }

  private children: Map<string, Set<string>> | undefined;
}

interface PlaceText {
  subject: Subject;
  name: string;
  /** `command eject`, `type BlockdevOptions`. */
  who: string;
  /** The member path as `Change.member` carries it; `''` for the place itself. */
  member: string;
  /** The members inside the root or type (`device`, `a.b`), without the root's `arguments.`. */
  inner: string;
  via?: Root['via'];
  when: string[];
}

function describePlace(owner: Owner, path: Segment[], pair: TypePair | undefined): PlaceText {
  const when = path.filter((s): s is { discriminator: string; value: string } => 'discriminator' in s).map((s) => `${s.discriminator}=${s.value}`);
  const inner = pathKey(path.filter((s) => !('discriminator' in s))).replace(/^\./, '');
  if ('root' in owner) {
    const { subject, name, via } = owner.root;
    return { subject, name, who: `${subject} ${name}`, member: inner ? `${via}${inner.startsWith('[') ? '' : '.'}${inner}` : via, inner, via, when };
  }
  const who = pair!.old === pair!.new ? `type ${pair!.new}` : `type ${pair!.new} (was ${pair!.old})`;
  return { subject: 'type', name: pair!.new, who, member: inner, inner, when };
}

/** `argument blk`, `data member device`, `member returns.status`, `member loaded`. */
function memberLabel(place: PlaceText): string {
  const simple = /^[^.[\]]+$/.test(place.inner);
  let text: string;
  if (place.via === 'arguments' && simple) text = `argument ${place.inner}`;
  else if (place.via === 'data' && simple) text = `data member ${place.inner}`;
  else text = `member ${place.member}`;
  return place.when.length > 0 ? `${text} (when ${place.when.join(', ')})` : text;
}

function findingText(finding: Finding, place: PlaceText, sent: boolean): string {
  const label = memberLabel(place);
  const at = place.member
    ? `${place.member}${place.when.length > 0 ? ` (when ${place.when.join(', ')})` : ''}: `
    : place.when.length > 0
      ? `when ${place.when.join(', ')}: `
      : '';
  switch (finding.kind) {
    case 'member-removed':
      return `${label} removed${finding.optional ? '' : ' (was required)'}`;
    case 'member-added':
      return `${!finding.optional && sent ? 'required ' : ''}${label} added`;
    case 'optional-to-required':
      return `${label} changed from optional to required`;
    case 'required-to-optional':
      return `${label} changed from required to optional`;
    case 'deprecated': {
      const since = deprecationRelease(finding.deprecation ?? '');
      return `${label} deprecated${since ? ` in ${since}` : ''}${finding.deprecation ? `: ${firstLine(finding.deprecation)}` : ''}`;
    }
    case 'undeprecated':
      return `${label} no longer deprecated`;
    case 'type-changed':
      return place.member
        ? `the type of ${place.member}${place.when.length > 0 ? ` (when ${place.when.join(', ')})` : ''} changed from ${finding.old} to ${finding.new}`
        : `${at}changed from ${finding.old} to ${finding.new}`;
    case 'enum-value-added':
      return `${at}enum value '${finding.value}' added`;
    case 'enum-value-removed':
      return `${at}enum value '${finding.value}' removed`;
  }
}

const viaOrder = { arguments: 0, returns: 1, data: 2 } as const;

function compareReach(a: Reach, b: Reach): number {
  return a.subject.localeCompare(b.subject) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || viaOrder[a.via] - viaOrder[b.via];
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** "deprecated since 9.1", "(since 8.2)", "Deprecated in 10.0": the release, when stated. */
export function deprecationRelease(text: string): string | undefined {
  return /\b(?:since|in|as of)\s+(?:QEMU\s+)?v?(\d+\.\d+(?:\.\d+)?)/i.exec(text)?.[1];
}
