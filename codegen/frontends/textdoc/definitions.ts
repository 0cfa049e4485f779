/**
 * One definition (a heading and the blocks under it) into an entry: the command or event as the
 * document states it, before names are reconciled across the document (`reconcile.ts`).
 *
 * Where the documents' member lists go:
 * - under `Arguments:` (commands) or `Data:` (events): the arguments or the event data;
 * - after prose that speaks of what is returned (`Return a json-object with the following
 *   information:`, `Each json-object contain the following:`): the return value, an array of
 *   objects when the prose before says the value is a json-array or a list, else an object;
 *   a further list (`Clients are described by a json-object, ...`) fills the member of the
 *   return value its prose names (`clients`), or stays in the doc with a warning;
 * - with no header and no such prose: the return value for `query-*` commands, the arguments
 *   for other commands (unless the examples pass none of them, e.g. 1.6's
 *   `migrate-set-capabilities` listing the capabilities themselves: then the doc keeps the list),
 *   and the data for events; each reported.
 */
import type { Doc, Example, Location, Member, TypeRef } from '../../ir/types.js';
import { codes } from './codes.js';
import type { ReadContext } from './context.js';
import { readExamplesSection, readLooseMessages } from './examples.js';
import type { BlockNode, DefinitionNode, MemberItemNode, MemberListNode, MessageNode, ParagraphNode } from './grammar.js';
import { joinedText, readMemberList } from './members.js';

export type EntryKind = 'command' | 'event';

/** A definition as the document states it. */
export interface Entry {
  kind: EntryKind;
  /** The heading's names (several for `SPICE_CONNECTED, SPICE_DISCONNECTED`), none for prose headings. */
  names: { name: string; loc: Location }[];
  /** The heading's text when it is prose (`Show rocker switch`). */
  prose?: string;
  loc: Location;
  doc: Doc;
  /** Arguments (commands) or data (events). */
  members: Member[];
  /** True when the document lists the members (an `Arguments:` section or a list read as one). */
  membersDocumented: boolean;
  returns?: TypeRef;
  examples: Example[];
  since?: string;
}

export function readDefinition(definition: DefinitionNode, kind: EntryKind, ctx: ReadContext): Entry {
  const { heading } = definition;
  const loc = ctx.at(heading.loc);
  const entry: Entry = {
    kind,
    names: [],
    loc,
    doc: { description: '', notes: [], loc },
    members: [],
    membersDocumented: false,
    examples: [],
  };
  readHeading(definition, entry, ctx);
  new BodyReader(entry, ctx).read(definition.blocks);
  return entry;
}

function readHeading({ heading }: DefinitionNode, entry: Entry, ctx: ReadContext): void {
  const at = ctx.at(heading.loc);
  const title = heading.title;
  const text = title.kind === 'prose' ? title.text : `${title.at ? '@' : ''}${title.names.map((n) => n.name).join(', ')}`;
  if (title.kind === 'prose') entry.prose = title.text;
  else {
    entry.names = title.names.map((n) => ({ name: n.name, loc: ctx.at(n.loc) }));
    if (title.at) ctx.diagnostics.warn(codes.headingAtSign, `heading "${text}" starts with @: read as ${title.names[0]!.name}`, at);
    if (title.names.length > 1) {
      ctx.diagnostics.warn(codes.headingSeveralNames, `heading names ${title.names.length} ${entry.kind}s: each gets this definition`, at);
    }
    for (const { name, loc } of title.names) {
      const eventLike = /^[A-Z][A-Z0-9_]*$/.test(name);
      if (eventLike !== (entry.kind === 'event')) {
        ctx.diagnostics.warn(
          codes.headingKind,
          `${name} does not look like ${entry.kind === 'event' ? 'an event' : 'a command'} name; read as one, as the document's kind says`,
          ctx.at(loc),
        );
      }
    }
  }
  if (heading.underline === null) {
    ctx.diagnostics.warn(codes.headingUnderlineMissing, `heading "${text}" has no underline`, at);
  } else if (heading.underline.length !== text.length || heading.underline.char !== '-') {
    const how =
      heading.underline.char !== '-'
        ? `drawn with "${heading.underline.char}"`
        : heading.underline.length < text.length
          ? 'shorter than the heading'
          : 'longer than the heading';
    ctx.diagnostics.warn(
      codes.headingUnderline,
      `underline of "${text}" is ${how} (${heading.underline.length} for ${text.length})`,
      ctx.at(heading.underline.loc),
    );
  }
}

interface UnheadedList {
  list: MemberListNode;
  intro: ParagraphNode | null;
}

class BodyReader {
  private readonly description: string[] = [];
  private lastParagraph: { node: ParagraphNode; index: number } | null = null;
  private looseMessages: MessageNode[] = [];
  private readonly unheaded: UnheadedList[] = [];
  private readonly emptySections: { title: string; at: Location }[] = [];

  constructor(
    private readonly entry: Entry,
    private readonly ctx: ReadContext,
  ) {}

  read(blocks: readonly BlockNode[]): void {
    const { entry, ctx } = this;
    for (const block of blocks) {
      if (block.kind !== 'message' && block.kind !== 'blank') this.flushMessages();
      switch (block.kind) {
        case 'blank':
          continue;
        case 'since':
          entry.since = block.version;
          break;
        case 'members-section': {
          const at = ctx.at(block.loc);
          if (block.rest !== '') {
            ctx.diagnostics.warn(codes.sectionHeaderText, `text after "${block.title}:" kept in the doc: ${JSON.stringify(block.rest)}`, at);
            this.description.push(block.rest);
          }
          if (block.none && block.members) ctx.diagnostics.warn(codes.noneWithMembers, `"${block.title}: None" followed by members: the members are kept`, at);
          if (!block.none && !block.members) this.emptySections.push({ title: block.title, at });
          entry.membersDocumented = true;
          if (block.members) this.addMembers(block.members.items);
          break;
        }
        case 'returns-section':
          entry.doc.returns = [entry.doc.returns, block.text.map((l) => l.trim()).join('\n')].filter(Boolean).join('\n');
          if (block.members) this.addReturns(block.members, null);
          break;
        case 'examples-section':
          entry.examples.push(...readExamplesSection(block, ctx));
          break;
        case 'notes-section': {
          const first = [block.first.text, ...block.first.more.map((l) => l.text)]
            .map((l) => l.trim())
            .join(' ')
            .trim();
          if (first !== '') entry.doc.notes.push(first);
          for (const item of block.items) {
            const text = [item.text, ...item.more.map((l) => l.text)]
              .map((l) => l.trim())
              .join(' ')
              .trim();
            entry.doc.notes.push(item.number === null ? text : `(${item.number}) ${text}`);
          }
          break;
        }
        case 'named-section':
          (entry.doc.sections ??= []).push({ title: block.title, text: block.text.map((l) => l.trim()).join('\n') });
          break;
        case 'member-list':
          // dash items that name nothing (`- drive-backup`, `- if the guest has locked the tray`)
          // are a bulleted paragraph
          if (block.items.every((i) => i.kind === 'unnamed')) {
            this.description.push(renderList(block));
            break;
          }
          this.unheaded.push({ list: block, intro: this.lastParagraph?.node ?? null });
          break;
        case 'message':
          this.looseMessages.push(block);
          break;
        case 'paragraph':
          this.description.push(block.lines.map((l) => l.text.trim()).join('\n'));
          this.lastParagraph = { node: block, index: this.description.length - 1 };
          continue;
        case 'unrecognised':
          ctx.diagnostics.warn(codes.unrecognisedLine, `line fits nothing here: ${JSON.stringify(block.text)}`, ctx.at(block.loc));
          break;
      }
      this.lastParagraph = null;
    }
    this.flushMessages();
    for (const { list, intro } of this.unheaded) this.placeUnheaded(list, intro);
    // `Arguments:` with nothing under it, where no list elsewhere gave the arguments either
    if (entry.members.length === 0) {
      for (const { title, at } of this.emptySections) ctx.diagnostics.warn(codes.sectionEmpty, `"${title}:" lists nothing: read as none`, at);
    }
    entry.doc.description = this.description.filter((p) => p !== '').join('\n\n');
  }

  private flushMessages(): void {
    if (this.looseMessages.length === 0) return;
    this.entry.examples.push(readLooseMessages(this.looseMessages, this.ctx));
    this.looseMessages = [];
  }

  private addMembers(items: readonly MemberItemNode[]): void {
    const { members, loose } = readMemberList(items, this.ctx);
    this.entry.members.push(...members);
    if (loose.length > 0) (this.entry.doc.sections ??= []).push({ title: this.entry.kind === 'event' ? 'Data' : 'Arguments', text: loose.join('\n') });
  }

  private placeUnheaded(list: MemberListNode, intro: ParagraphNode | null): void {
    const { entry, ctx } = this;
    const at = ctx.at(list.loc);
    const introText = intro ? intro.lines.map((l) => l.text.trim()).join(' ') : '';
    if (entry.kind === 'event') {
      if (this.isSchemaTypedData(list)) return;
      ctx.diagnostics.warn(codes.memberListUnheaded, 'member list with no "Data:" header: read as the event data', at);
      entry.membersDocumented = true;
      this.addMembers(list.items);
      return;
    }
    if (intro && speaksOfReturn(introText)) {
      this.addReturns(list, intro);
      return;
    }
    const name = entry.names[0]?.name ?? '';
    if (entry.returns !== undefined || name.startsWith('query-')) {
      ctx.diagnostics.warn(
        codes.memberListUnheaded,
        `member list with no header: read as ${entry.returns === undefined ? 'the return value' : 'part of the return value'} of a query`,
        at,
      );
      this.addReturns(list, intro);
      return;
    }
    const listed = new Set(list.items.map((i) => i.name).filter((n): n is string => n !== null));
    const passed = exampleArgumentNames(entry.examples, name);
    if (passed.size > 0 && ![...passed].some((n) => listed.has(n))) {
      ctx.diagnostics.warn(
        codes.memberListUnheaded,
        `member list with no header names none of the arguments its examples pass (${[...passed].join(', ')}): kept in the doc`,
        at,
      );
      (entry.doc.sections ??= []).push({ title: introText || 'List', text: renderList(list) });
      return;
    }
    ctx.diagnostics.warn(codes.memberListUnheaded, 'member list with no "Arguments:" header: read as the arguments', at);
    entry.membersDocumented = true;
    this.addMembers(list.items);
  }

  /** 2.x `ACPI_DEVICE_OST`: ` - data: ACPIOSTInfo type as described in qapi-schema.json`. */
  private isSchemaTypedData(list: MemberListNode): boolean {
    const [only] = list.items;
    if (list.items.length !== 1 || only === undefined || only.name !== 'data') return false;
    const type = /\b([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*)\b/.exec(joinedText(only))?.[1];
    if (type === undefined) return false;
    this.ctx.diagnostics.report(
      'info',
      codes.dataSchemaType,
      `the event data is the QAPI type ${type}, not described in this document: no data members`,
      this.ctx.at(only.loc),
    );
    (this.entry.doc.sections ??= []).push({ title: 'Data', text: `- data: ${joinedText(only).trim()}` });
    this.entry.membersDocumented = true;
    return true;
  }

  private addReturns(list: MemberListNode, intro: ParagraphNode | null): void {
    const { entry, ctx } = this;
    const { members, loose } = readMemberList(list.items, ctx);
    if (loose.length > 0) (entry.doc.sections ??= []).push({ title: 'Returns', text: loose.join('\n') });
    const introText = intro ? intro.lines.map((l) => l.text.trim()).join(' ') : '';
    if (entry.returns === undefined) {
      const object: TypeRef = { kind: 'object', members, open: true };
      entry.returns = returnsArray([...this.description, introText]) ? { kind: 'array', of: object } : object;
      if (intro && this.lastParagraphIs(intro)) {
        entry.doc.returns = [entry.doc.returns, introText].filter(Boolean).join('\n');
      }
      return;
    }
    if (!attachDescribedList(entry.returns, members, introText)) {
      ctx.diagnostics.warn(
        codes.returnsListUnattached,
        `member list "${clip(introText)}" names no member of the return value: kept in the doc`,
        ctx.at(list.loc),
      );
      (entry.doc.sections ??= []).push({ title: introText || 'Returns', text: renderList(list) });
    }
  }

  private lastParagraphIs(intro: ParagraphNode): boolean {
    const index = this.description.findIndex((p) => p === intro.lines.map((l) => l.text.trim()).join('\n'));
    if (index === -1) return false;
    // the intro moves from the description to the doc's returns
    this.description.splice(index, 1);
    return true;
  }
}

const speaksOfReturn = (text: string): boolean => /\breturn|\bcontain|\bfollowing\b|json-object|json-array/i.test(text);

/**
 * Whether the prose says the value returned is an array. The first sentence that speaks of
 * returning decides, by the first json-array/list/json-object it names after the word (else the
 * last before it): "Return a json-object with server information. Connected clients are returned
 * as a json-array" is an object; "... stored in a json-object and the returned value is a
 * json-array" an array; "a json-object will be returned" an object. Failing that, "Each array
 * entry contains" says array.
 */
function returnsArray(paragraphs: readonly string[]): boolean {
  const sentences = paragraphs.flatMap((p) => p.replace(/\s+/g, ' ').split('. '));
  const noun = /json-array|json-object|\blist\b|\barray\b/gi;
  for (const sentence of sentences) {
    const word = /\breturn/i.exec(sentence);
    if (!word) continue;
    const nouns = [...sentence.matchAll(noun)];
    const chosen = nouns.find((n) => n.index > word.index) ?? nouns[nouns.length - 1];
    if (chosen) return chosen[0].toLowerCase() !== 'json-object';
  }
  return sentences.some((s) => /\barray entry\b/i.test(s));
}

function exampleArgumentNames(examples: readonly Example[], command: string): Set<string> {
  const names = new Set<string>();
  for (const example of examples) {
    for (const message of example.messages) {
      const json = message.json as { execute?: unknown; arguments?: unknown } | undefined;
      if (message.direction !== '->' || typeof json !== 'object' || json === null || json.execute !== command) continue;
      if (typeof json.arguments === 'object' && json.arguments !== null) for (const key of Object.keys(json.arguments)) names.add(key);
    }
  }
  return names;
}

/**
 * Fills the member of `returns` that the list's prose names: `Clients are described by ...`
 * fills `clients`, `The PCI device json-object ...` fills `devices`. A member filled already
 * (`regions`, described once for I/O and once for memory regions) becomes a union of both.
 */
function attachDescribedList(returns: TypeRef, members: Member[], intro: string): boolean {
  const words = (intro.toLowerCase().match(/[a-z][a-z0-9_]*/g) ?? []).map(normalise);
  const pairs = words.slice(1).map((w, i) => words[i]! + w);
  const named = (name: string): boolean => {
    const n = normalise(name.toLowerCase());
    return [...words, ...pairs].some((w) => w === n || `${w}s` === n || w === `${n}s`);
  };
  const candidates = membersOf(returns).filter((m) => named(m.name));
  const empty = candidates.find((m) => objectSlot(m.type)?.members.length === 0 || isAny(m.type) || isArrayOfAny(m.type));
  const target = empty ?? candidates.find((m) => objectSlot(m.type) !== null);
  if (!target) return false;
  // the document describing the same object again (`The memory range json-object ...`)
  const names = (list: readonly Member[]): string => list.map((m) => m.name).join(',');
  if (names(objectSlot(target.type)?.members ?? []) === names(members)) return true;
  const fresh: TypeRef = { kind: 'object', members, open: true };
  const slot = objectSlot(target.type);
  if (isAny(target.type)) target.type = fresh;
  else if (isArrayOfAny(target.type)) target.type = { kind: 'array', of: fresh };
  else if (slot && slot.members.length === 0) slot.members = members;
  else if (target.type.kind === 'array') target.type = { kind: 'array', of: { kind: 'union', of: [target.type.of, fresh] } };
  else target.type = { kind: 'union', of: [target.type, fresh] };
  return true;
}

const normalise = (word: string): string => word.replace(/[-_]/g, '');
const isAny = (type: TypeRef): boolean => type.kind === 'builtin' && type.name === 'any';
const isArrayOfAny = (type: TypeRef): boolean => type.kind === 'array' && isAny(type.of);

function objectSlot(type: TypeRef): Extract<TypeRef, { kind: 'object' }> | null {
  if (type.kind === 'object') return type;
  if (type.kind === 'array') return objectSlot(type.of);
  return null;
}

/** Members of a type, depth first, in document order. */
function membersOf(type: TypeRef): Member[] {
  const out: Member[] = [];
  const walk = (t: TypeRef): void => {
    if (t.kind === 'object') {
      for (const m of t.members) {
        out.push(m);
        walk(m.type);
      }
    } else if (t.kind === 'array') walk(t.of);
    else if (t.kind === 'union') t.of.forEach(walk);
  };
  walk(type);
  return out;
}

function renderList(list: MemberListNode): string {
  return list.items
    .map((item) => {
      const head = item.kind === 'values' ? '- Possible values:' : item.name === null ? '-' : item.kind === 'value' ? `"${item.name}" -` : `- "${item.name}":`;
      return `${item.indent}${head} ${joinedText(item).replace(/\s*\n\s*/g, ' ')}`.trimEnd();
    })
    .join('\n');
}

function clip(text: string, length = 50): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
