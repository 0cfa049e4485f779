/**
 * What the HTML and Markdown references show, computed once from the model: every command, event
 * and type as an entry with an anchor, arranged in modules as QEMU's own reference arranges them
 * (one per schema file, under the headings of its free-form documentation, in reading order),
 * and the search index over entries and their members. The renderers only lay this out.
 */
import type { Condition, Doc, Example, Feature, Member, ModuleHeading, NamedType, QmpModel, SchemaModule, TypeRef } from '../../ir/types.js';
import { conditionText } from '../../ir/facts.js';

export type EntryKind = 'command' | 'event' | 'type';

export interface Entry {
  kind: EntryKind;
  name: string;
  anchor: string;
  /** The module page the entry is on (`block-core.html`). */
  page: string;
  doc: Doc;
  since?: string | undefined;
  deprecated?: string | undefined;
  condition?: string | undefined;
  /** For commands: the generated function's TypeScript signature. */
  signature?: string;
  /** Arguments (commands), data (events), members (structs, union bases). */
  members: Member[];
  membersTitle: string;
  /** A named type the members come from (boxed arguments, named event data). */
  membersType?: TypeRef;
  returns?: TypeRef;
  /** For commands that never reply on success (`guest-shutdown`: QAPI `success-response: false`). */
  noReply?: boolean;
  examples: Example[];
  /** For types: the kind and its own parts. */
  type?: NamedType;
  /** The releases that have it, where the caller knows (the history of every release in `spec/`). */
  releases?: readonly string[];
  /** Features with their documentation (`deprecated`, `unstable`, …). */
  features: { name: string; doc?: string }[];
  loc: { file: string; line: number; column: number };
}

/** A heading inside a module page (ui.json's `== Spice`), with its anchor and text. */
export interface PageHeading {
  level: number;
  title: string;
  anchor: string;
  text?: string;
}

/** A module page's content, in reading order: its headings and the entries under them. */
export type ModulePart = { kind: 'heading'; heading: PageHeading } | { kind: 'entry'; entry: Entry };

export interface ReferenceModule {
  /** QEMU's module name (`block-core`), or the document's file name for text documents. */
  name: string;
  page: string;
  title: string;
  /** The headings it sits under, outermost first (its breadcrumb). */
  path: string[];
  /** 1 for a module that opens a chapter; deeper for a section of the chapter before it. */
  level: number;
  text?: string;
  headings: PageHeading[];
  parts: ModulePart[];
  counts: Record<EntryKind, number>;
  /**
   * The module split where a heading of its own level starts a new chapter (ui.json's `= Input`
   * after `= Remote desktop`), for the tables of contents: the first has the module's title.
   */
  chapters: Chapter[];
}

export interface Chapter {
  title: string;
  /** The heading's anchor on the page; absent for the first (the page's top). */
  anchor?: string;
  level: number;
  /** The headings below it in the module (`== Spice`). */
  sections: PageHeading[];
  counts: Record<EntryKind, number>;
}

/** One thing the search box finds: a definition, or a member or value of one. */
export interface SearchItem {
  name: string;
  kind: EntryKind | 'member' | 'value';
  href: string;
  /** For members and values: the definition they belong to. */
  parent?: { kind: EntryKind; name: string };
  module: string;
}

export interface Reference {
  title: string;
  modules: ReferenceModule[];
  entries: Entry[];
  /** Every definition's name → its page and anchor, for links in text and types. */
  hrefs: Map<string, string>;
  search: SearchItem[];
}

export interface ReferenceOptions {
  /** Each command's, event's and type's releases (from the history of every release), by name. */
  releases?: ReadonlyMap<string, readonly string[]>;
  /**
   * The schema modules, one list per release merged into the model (oldest first); by default the
   * model's own. A model without them (text documents, introspection) is arranged by file.
   */
  modules?: SchemaModule[][];
  /**
   * Where a definition whose own file is no module's goes (a query-qmp-schema reply named from a
   * documented release): where that release's schema has it, by `kind:name`.
   */
  places?: ReadonlyMap<string, Entry['loc']>;
}

export function anchorOf(kind: EntryKind, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** A member's anchor: its entry's, then its path (`:` never occurs in a name). */
export function memberAnchor(entry: Entry, path: string): string {
  return `${entry.anchor}:${path.replace(/[^A-Za-z0-9_.[\]-]/g, '_')}`;
}

export function buildReference(model: QmpModel, title: string, signatures: Map<string, string>, options: ReferenceOptions = {}): Reference {
  const modules = arrange(model, options.modules ?? (model.source.modules ? [model.source.modules] : []));
  const pageOfFile = (file: string): string => modules.byFile.get(file) ?? modules.fallback(file);
  const place = (kind: EntryKind, name: string, loc: Entry['loc']): Entry['loc'] =>
    modules.headingsOf.has(loc.file) ? loc : (options.places?.get(`${kind}:${name}`) ?? loc);
  const list = entries(model, signatures, pageOfFile, place, options.releases);
  const pages = placeEntries(modules.list, list, modules);
  const hrefs = new Map<string, string>();
  for (const e of list) if (!hrefs.has(e.name)) hrefs.set(e.name, `${e.page}#${e.anchor}`);
  return { title, modules: pages, entries: list, hrefs, search: searchItems(list, pages) };
}

function entries(
  model: QmpModel,
  signatures: Map<string, string>,
  pageOf: (file: string) => string,
  place: (kind: EntryKind, name: string, loc: Entry['loc']) => Entry['loc'],
  releases: ReferenceOptions['releases'],
): Entry[] {
  type Definition = { name: string; doc: Doc; since?: string; deprecated?: string; if?: Condition; features?: Feature[]; loc: Entry['loc'] };
  const common = (kind: EntryKind, d: Definition, loc = place(kind, d.name, d.loc)) => ({
    kind,
    name: d.name,
    anchor: anchorOf(kind, d.name),
    page: pageOf(loc.file),
    doc: d.doc,
    since: d.since,
    deprecated: d.deprecated,
    condition: d.if === undefined ? undefined : conditionText(d.if),
    features: (d.features ?? []).map((f) => (f.doc === undefined ? { name: f.name } : { name: f.name, doc: f.doc })),
    loc,
    ...(releases?.has(d.name) ? { releases: releases.get(d.name)! } : {}),
  });
  const out: Entry[] = [];
  for (const c of model.commands) {
    const signature = signatures.get(c.name);
    out.push({
      ...common('command', c),
      ...(signature !== undefined ? { signature } : {}),
      members: c.arguments,
      membersTitle: 'Arguments',
      ...(c.argumentsType && c.arguments.length === 0 ? { membersType: c.argumentsType } : {}),
      ...(c.returns ? { returns: c.returns } : {}),
      ...(c.flags?.successResponse === false ? { noReply: true } : {}),
      examples: c.examples,
    });
  }
  for (const e of model.events) {
    out.push({
      ...common('event', e),
      members: e.data,
      membersTitle: 'Data',
      ...(e.dataType && e.data.length === 0 ? { membersType: e.dataType } : {}),
      examples: e.examples,
    });
  }
  for (const t of model.types) {
    out.push({
      ...common('type', t),
      members: t.kind === 'struct' ? t.members : t.kind === 'union' ? t.baseMembers : [],
      membersTitle: 'Members',
      examples: t.examples ?? [],
      type: t,
    });
  }
  return out;
}

interface Arranged {
  list: ReferenceModule[];
  byFile: Map<string, string>;
  /** Each module file's headings (its own release's), to place its entries under them. */
  headingsOf: Map<string, ModuleHeading[]>;
  /** Each page's own file: the newest release's. */
  fileOf: Map<string, string>;
  fallback: (file: string) => string;
}

/**
 * The pages: one per module, in the newest release's reading order (a module only older
 * releases have comes after the one it followed there), each titled by its first heading.
 */
function arrange(model: QmpModel, releases: SchemaModule[][]): Arranged {
  const byName = new Map<string, SchemaModule>();
  const order: string[] = [];
  for (const list of releases) {
    list.forEach((m, i) => {
      if (!order.includes(m.name)) {
        const before = i > 0 ? order.indexOf(list[i - 1]!.name) : -1;
        order.splice(before + 1, 0, m.name);
      }
      byName.set(m.name, m);
    });
  }
  const used = new Set<string>();
  const pageName = (name: string): string => {
    let base = name.replace(/[^A-Za-z0-9_.-]+/g, '_');
    if (base === 'index' || base === '') base = `${base}module`;
    let page = `${base}.html`;
    for (let n = 2; used.has(page); n++) page = `${base}-${n}.html`;
    used.add(page);
    return page;
  };
  const list: ReferenceModule[] = [];
  const byFile = new Map<string, string>();
  const headingsOf = new Map<string, ModuleHeading[]>();
  const fileOf = new Map<string, string>();
  for (const name of order) {
    const m = byName.get(name)!;
    const page = pageName(name);
    fileOf.set(page, m.file);
    for (const other of releases.flat()) {
      if (other.name !== name) continue;
      byFile.set(other.file, page);
      headingsOf.set(other.file, other.headings);
    }
    const first = m.headings[0];
    const headings = m.headings.map((h, i) => ({
      level: h.level,
      title: h.title,
      anchor: `section-${i + 1}`,
      ...(h.text !== undefined ? { text: h.text } : {}),
    }));
    // The module's own first heading titles its page; what comes before it is under the enclosing.
    const path = first ? m.enclosing.slice(0, first.level - 1) : m.enclosing;
    list.push({
      name,
      page,
      // A file with no heading of its own goes by its name (machine-target.json, 10.2's qga schema).
      title: first?.title ?? `${name}.json`,
      path,
      level: first ? first.level : m.enclosing.length + 1,
      ...(m.text !== undefined ? { text: m.text } : {}),
      headings,
      parts: [],
      counts: { command: 0, event: 0, type: 0 },
      chapters: [],
    });
  }
  // Documents without modules (text documents, a query-qmp-schema reply): a page per file.
  const fallbackPages = new Map<string, ReferenceModule>();
  const fallback = (file: string): string => {
    let module = fallbackPages.get(file);
    if (!module) {
      const name = file.split(/[\\/]/).at(-1)!;
      module = {
        name,
        page: pageName(name.replace(/\.\w+$/, '')),
        title: name,
        path: [],
        level: 1,
        headings: [],
        parts: [],
        counts: { command: 0, event: 0, type: 0 },
        chapters: [],
      };
      fallbackPages.set(file, module);
      list.push(module);
      byFile.set(file, module.page);
    }
    return module.page;
  };
  // Every file the model was read from has its page, in the order read.
  if (releases.length === 0) for (const file of model.source.files) fallback(file);
  return { list, byFile, headingsOf, fileOf, fallback };
}

/** Entries in reading order on their pages, each under the last heading of its file before it. */
function placeEntries(modules: ReferenceModule[], list: Entry[], arranged: Arranged): ReferenceModule[] {
  const byPage = new Map(modules.map((m) => [m.page, m]));
  const sorted = [...list].sort((a, b) =>
    a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.column - b.loc.column,
  );
  const grouped = new Map<ReferenceModule, Entry[][]>();
  for (const e of sorted) {
    const module = byPage.get(e.page)!;
    module.counts[e.kind]++;
    const own = arranged.headingsOf.get(e.loc.file) ?? [];
    let index = -1;
    for (let i = 0; i < own.length && own[i]!.line < e.loc.line; i++) index = i;
    // In another release's file (a range model), the heading of the same title on this page.
    if (index >= 0 && arranged.fileOf.get(module.page) !== e.loc.file) {
      const same = module.headings.findIndex((h) => h.title === own[index]!.title);
      index = same !== -1 ? same : Math.min(index, module.headings.length - 1);
    }
    const slots = grouped.get(module) ?? [[], ...module.headings.map(() => [])];
    grouped.set(module, slots);
    slots[index + 1]!.push(e);
  }
  for (const module of modules) {
    const slots = grouped.get(module) ?? [[], ...module.headings.map(() => [])];
    module.parts = [
      ...slots[0]!.map((entry) => ({ kind: 'entry' as const, entry })),
      ...module.headings.flatMap((heading, i) => [{ kind: 'heading' as const, heading }, ...slots[i + 1]!.map((entry) => ({ kind: 'entry' as const, entry }))]),
    ];
    module.chapters = chaptersOf(module);
  }
  // A module page with nothing on it but a title (pragma.json) is left out.
  return modules.filter((m) => m.parts.length > 0 || m.text !== undefined);
}

function chaptersOf(module: ReferenceModule): Chapter[] {
  const chapters: Chapter[] = [{ title: module.title, level: module.level, sections: [], counts: { command: 0, event: 0, type: 0 } }];
  for (const part of module.parts) {
    if (part.kind === 'entry') chapters.at(-1)!.counts[part.entry.kind]++;
    else if (part.heading === module.headings[0]) continue;
    else if (part.heading.level <= module.level)
      chapters.push({
        title: part.heading.title,
        anchor: part.heading.anchor,
        level: part.heading.level,
        sections: [],
        counts: { command: 0, event: 0, type: 0 },
      });
    else chapters.at(-1)!.sections.push(part.heading);
  }
  return chapters;
}

function searchItems(list: Entry[], modules: ReferenceModule[]): SearchItem[] {
  const titles = new Map(modules.map((m) => [m.page, m.title]));
  const items: SearchItem[] = [];
  for (const e of list) {
    const module = titles.get(e.page)!;
    items.push({ name: e.name, kind: e.kind, href: `${e.page}#${e.anchor}`, module });
    const parent = { kind: e.kind, name: e.name };
    const add = (members: Member[], prefix: string, depth: number): void => {
      for (const m of members) {
        const path = `${prefix}${m.name}`;
        items.push({ name: path, kind: 'member', href: `${e.page}#${memberAnchor(e, path)}`, parent, module });
        if (depth < 8) add(nestedMembers(m.type), `${path}${m.type.kind === 'array' ? '[].' : '.'}`, depth + 1);
      }
    };
    add(e.members, '', 0);
    if (e.returns) add(nestedMembers(e.returns), 'returns.', 1);
    if (e.type?.kind === 'enum')
      for (const v of e.type.values) items.push({ name: v.name, kind: 'value', href: `${e.page}#${memberAnchor(e, v.name)}`, parent, module });
  }
  return items;
}

/** A type use as text, with a callback deciding how a named type's link looks. */
export function typeLabel(type: TypeRef, link: (name: string) => string, plain: (text: string) => string): string {
  switch (type.kind) {
    case 'builtin':
      return plain(type.name);
    case 'named':
      return link(type.name);
    case 'array':
      return `${plain('array of ')}${typeLabel(type.of, link, plain)}`;
    case 'object':
      return plain(type.members.length === 0 ? 'object' : 'object (members below)');
    case 'enum':
      return plain(`one of ${type.values.map((v) => JSON.stringify(v.name)).join(', ')}`);
    case 'union':
      return type.of.map((t) => typeLabel(t, link, plain)).join(plain(' or '));
  }
}

/** The members nested inside a type use (inline objects, arrays of them), if any. */
export function nestedMembers(type: TypeRef): Member[] {
  if (type.kind === 'object') return type.members;
  if (type.kind === 'array') return nestedMembers(type.of);
  return [];
}

/** The named types a type use names (an array's element, a choice's alternatives). */
export function namedIn(type: TypeRef): string[] {
  if (type.kind === 'named') return [type.name];
  if (type.kind === 'array') return namedIn(type.of);
  if (type.kind === 'union') return type.of.flatMap(namedIn);
  return [];
}

/**
 * The documents' words about a command's return, unless they only name its type again (`@KvmInfo`,
 * `A @VersionInfo object.`) or say what the empty reply already says (`Nothing on success`).
 * `mentionsType`: whether the words name the type, so the type need not be shown beside them.
 */
export function returnsText(text: string | undefined, returns: TypeRef | undefined): { text?: string; mentionsType: boolean } {
  if (text === undefined || text.trim() === '') return { mentionsType: false };
  const names = returns ? namedIn(returns) : [];
  const plain = text.replace(/[@`]/g, '').trim();
  if (!returns && /^(-\s*)?(nothing( on success)?|if successful, nothing)\.?$/i.test(plain)) return { mentionsType: false };
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`^(an? |the |a list of )?${escaped}( objects?| information| on success)?\\.?$`, 'i').test(plain)) return { mentionsType: true };
  }
  const mentionsType = names.some((name) => new RegExp(`(^|[^\\w-])[@\`]?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?($|[^\\w-])`).test(text));
  return { text, mentionsType };
}

/** Examples' messages, JSON pretty-printed where it parsed, as the documents gave it otherwise. */
export function exampleLines(example: Example): string[] {
  return example.messages.map((m) => {
    if (m.direction === 'text') return m.text;
    const compact = m.json !== undefined ? JSON.stringify(m.json) : undefined;
    // Short messages on one line, as the documents write them; JSON never has a raw newline in a string.
    const body =
      compact === undefined ? m.text : compact.length <= 72 ? JSON.stringify(m.json, null, 1).replace(/\n\s*/g, ' ') : JSON.stringify(m.json, null, 2);
    return `${m.direction} ${body.replace(/\n/g, '\n   ')}`;
  });
}
