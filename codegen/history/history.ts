/**
 * The history of a command, event, type, or part of one (`migrate.blk`, `MigrationCapability.block`)
 * across the releases of a corpus, computed from what each release's documents define, never
 * from their `Since:` lines; those are checked against it instead.
 *
 * - Each release says `present`, `absent` or `unknown` of a subject. `unknown` where its documents
 *   cannot tell: text documents (0.13–0.15) name no types; a text-era schema that lacks commands
 *   its text has (1.0–1.2) may lack the types they use; one build's introspection reply lacks
 *   what that build was configured without (a definition with an `if`), which is no removal.
 * - Changes are found between consecutive releases whose status is known: added (the oldest such
 *   release having it says only that it was there from the start of what the corpus tells),
 *   removed, deprecated (the `deprecated` feature, or the text documents' word), made optional or
 *   required (members), and the parts added, removed or deprecated (a command's arguments, an
 *   event's data, a struct's members, an enum's values, a union's branches, an alternate's
 *   alternatives).
 * - A guest agent known only by its `guest-info` reply (qemu-ga 11.1.3) says which commands it
 *   has: their arguments and deprecation there are `unknown`, and parts are compared across it.
 * - Members are tracked by their command or event, so `migrate.blk` is one history from the
 *   text documents of 0.13 to today's schemas, whatever the argument types are called.
 * - Types of documents that do not name them (introspection) are found where the nearest release
 *   with a schema uses them (`place.ts`), and named as that schema names them.
 * - A `Since:` line (or `(since X)`) disagrees when it names a release after the first release of
 *   the corpus that has the subject (in that run of releases), or, for commands, events and their
 *   members, one at or before the last release that did not: a finding, with the line. A type's
 *   name is not on the wire, and its data may be older than its name, so only the first kind is
 *   a finding for types and their parts.
 */
import type { CorpusRelease, Corpus, DocumentKind } from './corpus.js';
import { compareVersions, parseVersion } from './corpus.js';
import { LineFinder } from './since.js';
import {
  definitionsOf,
  subjectPath,
  typeDefinition,
  type Definition,
  type EntitySubject,
  type Part,
  type PartSubject,
  type SinceClaim,
  type Subject,
} from './views.js';
import { typesByPlace, typesReached } from './place.js';
import { factsOf } from '../ir/facts.js';

export type Status = 'present' | 'absent' | 'unknown';

/** What the corpus holds: one entry per release, oldest first. */
export interface HistoryRelease {
  release: string;
  documents: DocumentKind;
  files: string[];
  /** Whether its documents name the types (a QAPI schema); introspection's are found by place; `guest-info` has none. */
  typeNames: 'named' | 'by-place' | 'none';
}

/** One release's view of the subject. */
export interface ReleaseEntry {
  release: string;
  status: Status;
  /** Present and deprecated there. */
  deprecated?: boolean;
  /** For a member that is present: whether it is optional there. */
  optional?: boolean;
  /** Why the status is `unknown`. */
  reason?: string;
}

export type ChangeKind = 'added' | 'removed' | 'deprecated' | 'undeprecated' | 'made-optional' | 'made-required';

export interface HistoryChange {
  /** The first release that shows the change. */
  release: string;
  /** The last release before it whose documents say otherwise (the change came after it); absent for the oldest. */
  after?: string;
  kind: ChangeKind;
  /** Set when the change is to parts of the subject: which kind of part, and which. */
  of?: PartSubject;
  names?: string[];
  /** For `added` of the subject: present in the oldest release whose status is known, so added then or before. */
  first?: boolean;
  /** For `added` of the subject: again, after it was removed. */
  again?: boolean;
}

/** A `Since:` line that disagrees with the computed history. */
export interface SinceFinding {
  subject: Subject;
  /** `migrate.blk`. */
  path: string;
  kind: EntitySubject | PartSubject;
  /** The release the line names, as written (`2.12`, `0.14.0`). */
  since: string;
  /** How it disagrees: it names a release after one that has the subject, or one that lacked it. */
  problem: 'after-first' | 'not-after-absent';
  /** The first release of the run that has the subject. */
  firstWith: string;
  /** The last release before that run without it. */
  lastWithout?: string;
  /** Every release whose documents carry the line, with where; the newest last. */
  places: { release: string; file: string; line: number }[];
  message: string;
}

export interface History {
  subject: Subject;
  /** `migrate.blk`. */
  path: string;
  /** A command, event or type, or the kind of part: member, value (enum), branch (union), alternative. */
  kind: EntitySubject | PartSubject;
  /** For a type: struct, enum, union or alternate (as the newest release that has it defines it). */
  typeKind?: Definition['kind'];
  /** Every release of the corpus, oldest first. */
  releases: ReleaseEntry[];
  /** The releases that have it, oldest first. */
  present: string[];
  changes: HistoryChange[];
  findings: SinceFinding[];
}

export interface ReleaseHistory {
  /** The corpus's releases, oldest first. */
  releases: HistoryRelease[];
  /**
   * The history of `name`: a command, event or type, or `OWNER.PART` (a member of a command's
   * arguments, an event's data or a struct; an enum value; a union branch; an alternative).
   * Undefined when no release has it.
   */
  of(name: string): History | undefined;
  /** Names near `name` that some release has, for a message when `of` finds nothing. */
  suggest(name: string): string[];
  /** Every `Since:` line of the corpus that disagrees with the computed history. */
  findings(): SinceFinding[];
}

interface View {
  release: CorpusRelease;
  commands: Map<string, Definition>;
  events: Map<string, Definition>;
  /** Undefined when the documents name no types. */
  types?: Map<string, Definition>;
  typeNames: HistoryRelease['typeNames'];
  /** Types these documents may have without saying so, and why. */
  unknownTypes: Map<string, string>;
  /** Why a type's status is unknown here when `types` is undefined. */
  noTypes?: string;
  /** One build's interface: what has an `if` elsewhere may be absent here by configuration. */
  oneBuild: boolean;
  claims: SinceClaim[];
}

interface Look {
  status: Status;
  definition?: Definition;
  part?: Part;
  reason?: string;
}

/** The history of every subject of `corpus`; the releases' documents are read when first needed, once. */
export function releaseHistory(corpus: Corpus): ReleaseHistory {
  return new Histories(corpus);
}

class Histories implements ReleaseHistory {
  readonly releases: HistoryRelease[];
  private readonly views = new Map<CorpusRelease, View>();
  private readonly lines = new LineFinder();
  private allViews: View[] | undefined;

  constructor(private readonly corpus: Corpus) {
    this.releases = corpus.releases.map((r) => ({
      release: r.label,
      documents: r.documents,
      files: r.files,
      typeNames: r.documents === 'text' || r.documents === 'guest-info' ? 'none' : r.documents === 'introspection' ? 'by-place' : 'named',
    }));
  }

  of(name: string): History | undefined {
    const subject = this.resolve(name);
    return subject ? this.history(subject) : undefined;
  }

  suggest(name: string): string[] {
    const all = new Set<string>();
    for (const v of this.all()) for (const map of [v.commands, v.events, v.types ?? new Map<string, Definition>()]) for (const n of map.keys()) all.add(n);
    const plain = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
    const wanted = plain(name.split('.')[0]!);
    const near = [...all]
      .map((n) => ({ n, d: plain(n).includes(wanted) ? 0 : editDistance(plain(n), wanted) }))
      .filter(({ d }) => d <= Math.max(2, Math.floor(wanted.length / 4)))
      .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
    return near.slice(0, 8).map(({ n }) => n);
  }

  findings(): SinceFinding[] {
    const subjects = new Map<string, Subject>();
    for (const v of this.all()) for (const c of v.claims) subjects.set(subjectPath(c.subject), c.subject);
    return [...subjects.values()].flatMap((s) => this.findingsOf(s, this.timeline(s))).sort((a, b) => a.path.localeCompare(b.path));
  }

  // -------------------------------------------------------------------------------------------

  private all(): View[] {
    return (this.allViews ??= this.corpus.releases.map((r) => this.view(r)));
  }

  private view(release: CorpusRelease): View {
    let view = this.views.get(release);
    if (view) return view;
    const models = this.corpus.models(release);
    if (models.schema) {
      const schema = definitionsOf(models.schema, true);
      view = {
        release,
        commands: schema.commands,
        events: schema.events,
        types: schema.types,
        typeNames: 'named',
        unknownTypes: new Map(),
        oneBuild: false,
        claims: schema.claims,
      };
      if (models.text) {
        // The text says what exists; the schema, where it has a command, what its members are.
        const text = definitionsOf(models.text, false);
        for (const [name, d] of text.commands) if (!view.commands.has(name)) view.commands.set(name, d);
        for (const [name, d] of text.events) if (!view.events.has(name)) view.events.set(name, d);
        view.claims = [...text.claims, ...schema.claims];
      }
    } else if (models.agentCommands) {
      const nameOnly = `${release.label} is known by its agent's guest-info, which names its commands, not their arguments`;
      const commands = new Map(
        models.agentCommands.map((name): [string, Definition] => [name, { subject: 'command', name, deprecated: false, parts: new Map(), nameOnly }]),
      );
      // One build's list: a command built only under a condition may be missing by configuration.
      view = { release, commands, events: new Map(), typeNames: 'none', unknownTypes: new Map(), noTypes: nameOnly, oneBuild: true, claims: [] };
    } else {
      const model = models.text ?? models.introspection!;
      const own = definitionsOf(model, false);
      view = {
        release,
        commands: own.commands,
        events: own.events,
        typeNames: models.text ? 'none' : 'by-place',
        unknownTypes: new Map(),
        oneBuild: models.introspection !== undefined,
        claims: own.claims,
      };
    }
    this.views.set(release, view);
    if (models.introspection) view.types = this.typesByPlace(release);
    if (models.schema && models.text) view.unknownTypes = this.typesUnsaid(release, view);
    return view;
  }

  /** The nearest release with a schema, by position in the corpus (the older on a tie). */
  private nearestSchema(release: CorpusRelease, accept: (r: CorpusRelease) => boolean = () => true): CorpusRelease | undefined {
    const releases = this.corpus.releases;
    const at = releases.indexOf(release);
    for (let d = 1; d < releases.length; d++) {
      for (const i of [at - d, at + d]) {
        const r = releases[i];
        if (r && (r.documents === 'schema' || r.documents === 'text+schema') && accept(r)) return r;
      }
    }
    return undefined;
  }

  private typesByPlace(release: CorpusRelease): Map<string, Definition> {
    const model = this.corpus.models(release).introspection!;
    const source = this.nearestSchema(release);
    const types = new Map<string, Definition>();
    if (!source) return types;
    const facts = factsOf(model);
    for (const [name, ref] of typesByPlace(this.corpus.models(source).schema!, model)) {
      const definition = typeDefinition(name, ref, facts);
      if (definition) types.set(name, definition);
    }
    return types;
  }

  /**
   * A text-era schema may lack commands its text has (1.0's has 21 of 49): the types those
   * commands use, in the next release whose schema has them, may be in this release unnamed.
   */
  private typesUnsaid(release: CorpusRelease, view: View): Map<string, string> {
    const unsaid = new Map<string, string>();
    const schema = this.corpus.models(release).schema!;
    const inSchema = new Set(schema.commands.map((c) => c.name));
    const later = this.corpus.releases.slice(this.corpus.releases.indexOf(release) + 1);
    for (const name of view.commands.keys()) {
      if (inSchema.has(name)) continue;
      const next = later.find((r) => this.corpus.models(r).schema?.commands.some((c) => c.name === name));
      if (!next) continue;
      const nextSchema = this.corpus.models(next).schema!;
      for (const type of typesReached(
        nextSchema,
        nextSchema.commands.find((c) => c.name === name)!,
      )) {
        if (!view.types!.has(type) && !unsaid.has(type)) {
          unsaid.set(type, `its schema lacks ${name}, which its text documents have (${name} uses ${type} in ${next.label})`);
        }
      }
    }
    return unsaid;
  }

  private resolve(name: string): Subject | undefined {
    const entity = (n: string): EntitySubject | undefined => {
      const views = this.all();
      if (views.some((v) => v.commands.has(n))) return 'command';
      if (views.some((v) => v.events.has(n))) return 'event';
      if (views.some((v) => v.types?.has(n))) return 'type';
      return undefined;
    };
    const whole = entity(name);
    if (whole) return { entity: whole, name };
    // `__com.redhat_drive_add.id`: names may hold dots; the longest known owner wins.
    for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      const owner = name.slice(0, dot);
      const kind = entity(owner);
      if (!kind) continue;
      const subject: Subject = { entity: kind, name: owner, part: name.slice(dot + 1) };
      if (this.all().some((v) => this.definition(v, subject)?.parts.has(subject.part!))) return subject;
    }
    return undefined;
  }

  private definition(view: View, subject: Subject): Definition | undefined {
    const map = subject.entity === 'command' ? view.commands : subject.entity === 'event' ? view.events : view.types;
    return map?.get(subject.name);
  }

  private look(view: View, subject: Subject): Look {
    const definition = this.definition(view, subject);
    if (!definition) {
      if (subject.entity === 'type' && !view.types) return { status: 'unknown', reason: view.noTypes ?? 'text documents name no types' };
      const unsaid = subject.entity === 'type' ? view.unknownTypes.get(subject.name) : undefined;
      if (unsaid) return { status: 'unknown', reason: unsaid };
      return { status: 'absent' };
    }
    if (subject.part === undefined) return { status: 'present', definition };
    if (definition.nameOnly !== undefined) return { status: 'unknown', definition, reason: definition.nameOnly };
    const part = definition.parts.get(subject.part);
    return part ? { status: 'present', definition, part } : { status: 'absent', definition };
  }

  private timeline(subject: Subject): { views: View[]; looks: Look[] } {
    const views = this.all();
    const looks = views.map((v) => this.look(v, subject));
    // One build's reply lacks what its build was configured without: not a removal.
    let last: Look | undefined;
    looks.forEach((look, i) => {
      if (look.status === 'present') last = look;
      else if (look.status === 'absent' && views[i]!.oneBuild && last) {
        const condition = last.definition?.condition ?? last.part?.condition;
        if (condition !== undefined) {
          look.status = 'unknown';
          const reply = views[i]!.release.documents === 'guest-info' ? 'guest-info' : 'introspection';
          look.reason = `one build's ${reply}, and ${subjectPath(subject)} is built only if ${condition}`;
        }
      }
    });
    return { views, looks };
  }

  private history(subject: Subject): History {
    const { views, looks } = this.timeline(subject);
    const label = (i: number): string => views[i]!.release.label;
    const releases: ReleaseEntry[] = looks.map((look, i) => {
      const entry: ReleaseEntry = { release: label(i), status: look.status };
      if (look.status === 'present') {
        const node = look.part ?? look.definition!;
        if (node.deprecated) entry.deprecated = true;
        if (look.part === undefined && look.definition?.nameOnly !== undefined) entry.reason = look.definition.nameOnly;
        if (look.part?.optional !== undefined) entry.optional = look.part.optional;
      }
      if (look.reason !== undefined) entry.reason = look.reason;
      return entry;
    });
    const changes: HistoryChange[] = [];
    let previous: number | undefined;
    // The last release present whose documents say what its parts are (not a name only).
    let detailed: number | undefined;
    let everPresent = false;
    looks.forEach((look, i) => {
      if (look.status === 'unknown') return;
      const before = previous === undefined ? undefined : looks[previous]!;
      const at = (kind: ChangeKind, extra: Partial<HistoryChange> = {}): void => {
        changes.push({ release: label(i), ...(previous !== undefined ? { after: label(previous) } : {}), kind, ...extra });
      };
      if (look.status === 'present') {
        if (before?.status !== 'present') {
          at('added', before === undefined ? { first: true } : everPresent ? { again: true } : {});
          if (releases[i]!.deprecated) at('deprecated');
        } else if (look.definition!.nameOnly === undefined && detailed !== undefined) {
          // Compared with the last release that says as much: a name-only one between says nothing.
          const was = releases[detailed]!;
          const now = releases[i]!;
          const since = (kind: ChangeKind, extra: Partial<HistoryChange> = {}): void => {
            changes.push({ release: label(i), after: label(detailed!), kind, ...extra });
          };
          if (!was.deprecated && now.deprecated) since('deprecated');
          if (was.deprecated && !now.deprecated) since('undeprecated');
          if (was.optional === false && now.optional === true) since('made-optional');
          if (was.optional === true && now.optional === false) since('made-required');
          if (subject.part === undefined) this.partChanges(looks[detailed]!.definition!, look.definition!, views[i]!.oneBuild, since);
        }
        everPresent = true;
        if (look.definition!.nameOnly === undefined) detailed = i;
      } else {
        if (before?.status === 'present') at('removed');
        detailed = undefined;
      }
      previous = i;
    });
    const newest = [...looks].reverse().find((l) => l.status === 'present');
    const history: History = {
      subject,
      path: subjectPath(subject),
      kind: subject.part === undefined ? subject.entity : (newest?.part?.subject ?? 'member'),
      releases,
      present: releases.filter((r) => r.status === 'present').map((r) => r.release),
      changes,
      findings: this.findingsOf(subject, { views, looks }),
    };
    if (subject.entity === 'type' && subject.part === undefined && newest?.definition?.kind) history.typeKind = newest.definition.kind;
    return history;
  }

  private partChanges(was: Definition, now: Definition, oneBuild: boolean, at: (kind: ChangeKind, extra: Partial<HistoryChange>) => void): void {
    const groups = new Map<string, { kind: ChangeKind; of: PartSubject; names: string[] }>();
    const note = (kind: ChangeKind, part: Part): void => {
      const key = `${kind} ${part.subject}`;
      const group = groups.get(key) ?? groups.set(key, { kind, of: part.subject, names: [] }).get(key)!;
      group.names.push(part.name);
    };
    for (const part of now.parts.values()) {
      const old = was.parts.get(part.name);
      if (!old) note('added', part);
      else if (!old.deprecated && part.deprecated) note('deprecated', part);
      else if (old.deprecated && !part.deprecated) note('undeprecated', part);
    }
    // A part built only under a condition is not removed by one build's reply lacking it.
    for (const part of was.parts.values()) if (!now.parts.has(part.name) && !(oneBuild && part.condition !== undefined)) note('removed', part);
    const order: ChangeKind[] = ['added', 'removed', 'deprecated', 'undeprecated'];
    for (const group of [...groups.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind)))
      at(group.kind, { of: group.of, names: group.names });
  }

  private findingsOf(subject: Subject, { views, looks }: { views: View[]; looks: Look[] }): SinceFinding[] {
    const path = subjectPath(subject);
    const found = new Map<string, SinceFinding>();
    views.forEach((view, i) => {
      if (looks[i]!.status !== 'present') return;
      for (const claim of view.claims) {
        if (subjectPath(claim.subject) !== path || claim.subject.entity !== subject.entity) continue;
        const version = parseVersion(claim.since);
        if (!version) continue;
        // The run of releases this one belongs to: back to the last release known to lack it.
        let first = i;
        let gap: number | undefined;
        for (let j = i - 1; j >= 0; j--) {
          if (looks[j]!.status === 'absent') {
            gap = j;
            break;
          }
          if (looks[j]!.status === 'present') first = j;
        }
        const firstWith = views[first]!.release;
        const lastWithout = gap === undefined ? undefined : views[gap]!.release;
        let problem: SinceFinding['problem'] | undefined;
        if (compareVersions(version, firstWith.version) > 0) problem = 'after-first';
        // A type's name is not on the wire: its Since: speaks of data that may be older than the
        // name (BlockIOThrottle, named in 2.7, holds block_set_io_throttle's arguments of 1.1).
        else if (lastWithout && subject.entity !== 'type' && compareVersions(version, lastWithout.version) <= 0) problem = 'not-after-absent';
        if (!problem) continue;
        // `0.14` and `0.14.0` are one release: one finding, wherever the line is written either way.
        const key = `${version.join('.').replace(/(\.0)+$/, '')}\u0000${first}`;
        let finding = found.get(key);
        if (!finding) {
          const kind = claim.part ?? subject.entity;
          finding = {
            subject,
            path,
            kind,
            since: claim.since,
            problem,
            firstWith: firstWith.label,
            ...(lastWithout ? { lastWithout: lastWithout.label } : {}),
            places: [],
            message:
              problem === 'after-first'
                ? `says since ${claim.since}, but ${firstWith.label}'s documents already have ${path}`
                : `says since ${claim.since}, but ${lastWithout!.label}'s documents do not have ${path} (it is in ${firstWith.label})`,
          };
          found.set(key, finding);
        }
        if (!finding.places.some((p) => p.release === view.release.label && p.file === claim.file)) {
          finding.places.push({ release: view.release.label, file: claim.file, line: this.lines.line(claim) });
        }
      }
    });
    return [...found.values()];
  }
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
