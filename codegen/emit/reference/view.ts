/**
 * What the HTML and Markdown references show, computed once from the model: every command, event
 * and type as an entry with an anchor, and type uses rendered with links to their definitions.
 * The renderers only lay this out.
 */
import type { Doc, Example, Member, NamedType, QmpModel, TypeRef } from '../../ir/types.js';
import { conditionText } from '../../ir/facts.js';

export type EntryKind = 'command' | 'event' | 'type';

export interface Entry {
  kind: EntryKind;
  name: string;
  anchor: string;
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
  examples: Example[];
  /** For types: the kind and its own parts. */
  type?: NamedType;
}

export function anchorOf(kind: EntryKind, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export function entries(model: QmpModel, signatures: Map<string, string>): Entry[] {
  const out: Entry[] = [];
  for (const c of model.commands) {
    out.push({
      kind: 'command',
      name: c.name,
      anchor: anchorOf('command', c.name),
      doc: c.doc,
      since: c.since,
      deprecated: c.deprecated,
      condition: c.if === undefined ? undefined : conditionText(c.if),
      signature: signatures.get(c.name),
      members: c.arguments,
      membersTitle: 'Arguments',
      ...(c.argumentsType && c.arguments.length === 0 ? { membersType: c.argumentsType } : {}),
      ...(c.returns ? { returns: c.returns } : {}),
      examples: c.examples,
    });
  }
  for (const e of model.events) {
    out.push({
      kind: 'event',
      name: e.name,
      anchor: anchorOf('event', e.name),
      doc: e.doc,
      since: e.since,
      deprecated: e.deprecated,
      condition: e.if === undefined ? undefined : conditionText(e.if),
      members: e.data,
      membersTitle: 'Data',
      ...(e.dataType && e.data.length === 0 ? { membersType: e.dataType } : {}),
      examples: e.examples,
    });
  }
  for (const t of model.types) {
    out.push({
      kind: 'type',
      name: t.name,
      anchor: anchorOf('type', t.name),
      doc: t.doc,
      since: t.since,
      deprecated: t.deprecated,
      condition: t.if === undefined ? undefined : conditionText(t.if),
      members: t.kind === 'struct' ? t.members : t.kind === 'union' ? t.baseMembers : [],
      membersTitle: 'Members',
      examples: t.examples ?? [],
      type: t,
    });
  }
  return out;
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
