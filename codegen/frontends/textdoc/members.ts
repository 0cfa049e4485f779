/**
 * Member lists into IR members. The grammar gives the lines of a list flat, each with its
 * indentation; here they nest (a line indented deeper than the one above belongs to it, which a
 * grammar cannot say without counting), and each member's text is read for its type, optional
 * flag, default, `Since`, deprecation and enumerated values.
 *
 * Readings, each reported where it is a choice:
 * - the type is the first parenthesised group holding a type word (`(device tree path,
 *   json-string, optional)`); failing that a type word in the prose (`a json-array of
 *   json-objects`), then a QAPI type named in prose (`any`), then nested members (an object);
 *   otherwise `any` with a warning;
 * - `optional` or a default (`default 10M`) anywhere in the parentheses makes the member
 *   optional, and so does `optional` or `only present` in its prose (`It's optional`, `only present if ...`), which is reported;
 * - values listed under a string member (`- Possible values: ...`, `"debug" - ...`, `"ignore": ...`
 *   without a type, `"read" or "write"` in the parentheses, `one of the following` and a quoted
 *   list) make it an enum;
 * - nested members fill the member's object (or the objects of its array);
 * - a dash with no name (`- device properties`) names nothing: its text stays in the doc; when
 *   named lines hang under it (0.13's `- Current program counter ...` over `"pc": ...`), they
 *   are lifted to its level, optional, since the text says they depend on something.
 */
import type { EnumValue, Member, TypeRef } from '../../ir/types.js';
import { codes } from './codes.js';
import type { ReadContext } from './context.js';
import type { GroupItemNode, MemberItemNode, MemberTextSegment } from './grammar.js';
import { anyType, readTypeExpr, type TypeReading } from './type-words.js';

export interface MemberListReading {
  members: Member[];
  /** Text of top-level items that name no member (`- device properties`), for the owner's doc. */
  loose: string[];
}

interface TreeNode {
  item: MemberItemNode;
  width: number;
  children: TreeNode[];
}

export function readMemberList(items: readonly MemberItemNode[], ctx: ReadContext): MemberListReading {
  const loose: string[] = [];
  const members: Member[] = [];
  for (const node of nest(items, ctx)) readRoot(node, ctx, members, loose);
  return { members: dedupe(members, ctx), loose };
}

function readRoot(node: TreeNode, ctx: ReadContext, members: Member[], loose: string[]): void {
  const { item } = node;
  switch (item.kind) {
    case 'member':
    case 'array':
    case 'bare':
      members.push(...readMembers(node, ctx));
      return;
    case 'unnamed':
      if (node.children.some(isNamed)) {
        members.push(...liftUnnamedGroup(node, ctx));
        return;
      }
      ctx.diagnostics.warn(codes.memberUnnamed, `list item names no member ("- ${clip(item.text)}"): kept in the doc`, ctx.at(item.loc));
      loose.push(`- ${joinedText(node.item)}`);
      return;
    case 'values':
    case 'value':
      ctx.diagnostics.warn(codes.valuesWithoutMember, `value line with no member above it: kept in the doc`, ctx.at(item.loc));
      loose.push(item.kind === 'values' ? `- Possible values: ${joinedText(item)}` : `"${item.name}" - ${joinedText(item)}`);
      return;
  }
}

/** Deeper than any document nests members (query-block goes 4 deep). */
const maxMemberNesting = 32;

/** Nests lines by indentation: a line belongs to the nearest line above indented less. */
function nest(items: readonly MemberItemNode[], ctx: ReadContext): TreeNode[] {
  const roots: TreeNode[] = [];
  const stack: TreeNode[] = [];
  for (const item of items) {
    const node: TreeNode = { item, width: indentWidth(item.indent), children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.width >= node.width) stack.pop();
    if (stack.length >= maxMemberNesting) {
      ctx.diagnostics.warn(codes.memberNestingTooDeep, `members nested more than ${maxMemberNesting} deep: read at the last level`, ctx.at(item.loc));
      stack.pop();
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

function indentWidth(indent: string): number {
  let width = 0;
  for (const c of indent) width = c === '\t' ? width + 8 - (width % 8) : width + 1;
  return width;
}

const isNamed = (node: TreeNode): boolean => node.item.kind === 'member' || node.item.kind === 'array' || node.item.kind === 'bare';

function liftUnnamedGroup(node: TreeNode, ctx: ReadContext): Member[] {
  ctx.diagnostics.warn(
    codes.memberUnnamedGroup,
    `members listed under an item with no name ("- ${clip(node.item.text)}"): read as optional members of the enclosing object`,
    ctx.at(node.item.loc),
  );
  const lifted: Member[] = [];
  for (const child of node.children) {
    if (!isNamed(child)) continue;
    for (const member of readMembers(child, ctx)) {
      member.optional = true;
      member.doc = [member.doc, `(${joinedText(node.item)})`].filter(Boolean).join(' ');
      lifted.push(member);
    }
  }
  return lifted;
}

/** The members one line names: one mostly, several for `- "cyls", "heads", "secs": ...`. */
function readMembers(node: TreeNode, ctx: ReadContext): Member[] {
  const member = readMember(node, ctx);
  const { names } = node.item;
  if (names.length <= 1) return [member];
  ctx.diagnostics.warn(codes.memberSeveralNames, `one line names ${names.map((n) => `"${n}"`).join(', ')}: each is read with its text`, member.loc);
  return names.map((name) => ({ ...structuredClone(member), name }));
}

// ---------------------------------------------------------------------------------------------
// One member

function readMember(node: TreeNode, ctx: ReadContext): Member {
  const { item } = node;
  const at = ctx.at(item.loc);
  const name = item.name ?? '';
  if (item.kind === 'member' && !item.quoted) ctx.diagnostics.warn(codes.memberNameUnquoted, `member name ${name} is not quoted`, at);
  if (item.kind === 'member' && !item.colon) ctx.diagnostics.warn(codes.memberColonMissing, `no colon after member name "${name}"`, at);
  const hanging = item.more.find((line) => line.indent === '' && line.blank === 0);
  if (hanging) ctx.diagnostics.warn(codes.memberHangingLine, `"${name}" continues at column 1: read as part of its text`, ctx.at(hanging.loc));

  const text = joinedText(item);
  const segments = ctx.memberText(text);
  const groups = segments.filter((s): s is Extract<MemberTextSegment, { kind: 'group' }> => s.kind === 'group');
  const items = groups.flatMap((g) => g.items);
  const annotation = groups.find((g) => g.items.some((i) => i.kind === 'type')) ?? groups.find((g) => g.items.some((i) => i.kind === 'optional'));

  const member: Member = { name, type: anyType, optional: false, loc: at };

  // optional: said so, or given a default (`(json-int, default 10M)`), which only an argument
  // that may be left out has
  if (items.some((i) => i.kind === 'optional' || isDefault(i))) member.optional = true;
  else if (segments.some((s) => s.kind === 'optional-mention')) {
    member.optional = true;
    ctx.diagnostics.warn(codes.optionalInProse, `"${name}" is optional by its prose ("${clip(text, 60)}"), not by its type parentheses`, at);
  }

  // since, default, deprecated
  const since = items.find((i): i is Extract<GroupItemNode, { kind: 'since' }> => i.kind === 'since');
  if (since) member.since = since.version;
  const defaultItem = items.find(isDefault);
  const defaultMention = segments.find((s): s is Extract<MemberTextSegment, { kind: 'default-mention' }> => s.kind === 'default-mention');
  if (defaultItem) member.default = defaultItem.value;
  else if (defaultMention) member.default = defaultMention.value;
  const deprecatedItem = items.find((i): i is Extract<GroupItemNode, { kind: 'deprecated' }> => i.kind === 'deprecated');
  if (deprecatedItem) member.deprecated = deprecatedItem.reason;
  else if (segments.some((s) => s.kind === 'deprecated-mention')) member.deprecated = '';

  // the type as written
  let reading: TypeReading | null = null;
  const typeItem = annotation?.items.find((i): i is Extract<GroupItemNode, { kind: 'type' }> => i.kind === 'type');
  if (typeItem) {
    reading = readTypeExpr(typeItem.type);
    member.typeText = typeItem.text.trim().replace(/\s+/g, ' ');
  } else {
    const mention = firstTypeMention(segments);
    if (mention) {
      reading = readTypeExpr(mention.type);
      member.typeText = text.slice(mention.start, mention.end).replace(/\s+/g, ' ');
      ctx.diagnostics.report('info', codes.memberTypeInProse, `"${name}": type read from its prose ("${member.typeText}")`, at);
    } else {
      const schema = segments.find((s): s is Extract<MemberTextSegment, { kind: 'schema-mention' }> => s.kind === 'schema-mention');
      if (schema) {
        reading = readTypeExpr({ kind: 'schema', name: schema.name });
        member.typeText = schema.name;
      }
    }
  }
  if (item.kind === 'array') {
    // `keys array:` — an array of the objects listed under it
    reading = readTypeExpr({ kind: 'array', of: { kind: 'token', token: 'json-object' }, token: 'array' });
    member.typeText = `${name} array`;
  }
  if (reading) reportReading(reading, name, ctx, at);

  // what nests under it
  const nested = readChildren(node, ctx, member, reading);
  let type: TypeRef = reading?.type ?? anyType;
  if (nested.members.length > 0) {
    const filled = fillObject(type, nested.members);
    if (filled) type = filled;
    else {
      if (reading) {
        ctx.diagnostics.warn(
          codes.memberNestedUnderScalar,
          `"${name}" is typed ${member.typeText ?? 'a scalar'} but has members nested under it: read as an object of them`,
          at,
        );
      }
      type = { kind: 'object', members: nested.members, open: true };
    }
  }

  // enumerated values
  const values = [...listedValues(groups, annotation, segments, text), ...nested.values];
  if (values.length > 0 && (isString(type) || (reading === null && nested.members.length === 0))) {
    type = { kind: 'enum', values: dedupeValues(values) };
    if (!annotation?.items.some((i) => i.kind === 'values')) {
      ctx.diagnostics.report(
        'info',
        codes.enumFromProse,
        `"${name}": enumerated values read from its prose (${values.map((v) => `"${v.name}"`).join(', ')})`,
        at,
      );
    }
  } else if (reading === null && nested.members.length === 0) {
    ctx.diagnostics.warn(codes.memberTypeMissing, `"${name}" has no type: read as any`, at);
  }
  member.type = type;

  const doc = [docText(text, groups, annotation), ...nested.docs].filter((d) => d !== '').join('\n');
  if (doc !== '') member.doc = doc;
  return inOrder(member);
}

/** `default 'report'` in the parentheses; a bare `(default)` marks an enumerated value instead. */
function isDefault(item: GroupItemNode): item is Extract<GroupItemNode, { kind: 'default' }> {
  return item.kind === 'default' && item.value !== '';
}

/** The same member with its keys in one order, whatever order they were found in. */
function inOrder(m: Member): Member {
  const out = { name: m.name, type: m.type, optional: m.optional } as Member;
  if (m.doc !== undefined) out.doc = m.doc;
  if (m.typeText !== undefined) out.typeText = m.typeText;
  if (m.since !== undefined) out.since = m.since;
  if (m.default !== undefined) out.default = m.default;
  if (m.deprecated !== undefined) out.deprecated = m.deprecated;
  out.loc = m.loc;
  return out;
}

function reportReading(reading: TypeReading, name: string, ctx: ReadContext, at: Member['loc']): void {
  for (const spelling of reading.spellings) {
    ctx.diagnostics.warn(codes.memberTypeSpelling, `"${name}": type written ${spelling}, read as the json- type it names`, at);
  }
  for (const schemaName of reading.schemaNames) {
    ctx.diagnostics.report('info', codes.schemaTypeReference, `"${name}": ${schemaName} is a QAPI type, not described in this document: read as any`, at);
  }
  for (const token of reading.unknown) ctx.diagnostics.warn(codes.memberTypeUnknown, `"${name}": unknown type ${token}, read as any`, at);
}

function firstTypeMention(segments: readonly MemberTextSegment[]): Extract<MemberTextSegment, { kind: 'type-mention' }> | undefined {
  for (const segment of segments) {
    if (segment.kind === 'type-mention') return segment;
    if (segment.kind === 'group') {
      // offsets of mentions inside a group are offsets into the whole text, like the others
      for (const item of segment.items) if (item.kind === 'prose' && item.mentions.length > 0) return item.mentions[0];
    }
  }
  return undefined;
}

interface Nested {
  members: Member[];
  values: EnumValue[];
  docs: string[];
}

function readChildren(node: TreeNode, ctx: ReadContext, member: Member, reading: TypeReading | null): Nested {
  const nested: Nested = { members: [], values: [], docs: [] };
  const stringLike = reading === null || isString(reading.type);
  for (const child of node.children) {
    const { item } = child;
    switch (item.kind) {
      case 'member':
      case 'array':
        nested.members.push(...readMembers(child, ctx));
        break;
      case 'bare':
        // `"ignore": error has been ignored` under a string member: a value, unless it has a type
        if (stringLike && !hasTypeWord(joinedText(item), ctx) && child.children.length === 0) {
          nested.values.push(...item.names.map((name) => ({ ...enumValue(item, ctx), name })));
        } else nested.members.push(...readMembers(child, ctx));
        break;
      case 'value':
        nested.values.push(enumValue(item, ctx));
        break;
      case 'values':
        nested.values.push(...possibleValues(item, ctx));
        break;
      case 'unnamed': {
        const text = joinedText(item);
        const deprecated = /^deprecated\b[,:;]?\s*(.*)$/is.exec(text);
        if (deprecated) member.deprecated = deprecated[1]!.trim();
        else if (child.children.some(isNamed)) nested.members.push(...liftUnnamedGroup(child, ctx));
        else nested.docs.push(`- ${text}`);
        break;
      }
    }
  }
  return { ...nested, members: dedupe(nested.members, ctx) };
}

function enumValue(item: MemberItemNode, ctx: ReadContext): EnumValue {
  const value: EnumValue = { name: item.name ?? '', loc: ctx.at(item.loc) };
  const doc = joinedText(item).replace(/\s+/g, ' ').trim();
  if (doc !== '') value.doc = doc;
  return value;
}

/** `- Possible values: "utf8" (default), "base64"` and its continuation lines. */
function possibleValues(item: MemberItemNode, ctx: ReadContext): EnumValue[] {
  const at = ctx.at(item.loc);
  return ctx
    .memberText(joinedText(item))
    .filter((s): s is Extract<MemberTextSegment, { kind: 'quoted' }> => s.kind === 'quoted')
    .map((s) => ({ name: s.value, loc: at }));
}

/**
 * Values named in the member's own text: `(json-string, "read" or "write")`, `(one of 'a', 'b')`,
 * `"io" (json-string, fixed)`, and quoted words after `one of the following` or `Possible values`.
 * A quoted word in other parentheses (`it can be empty ("")`) is prose.
 */
function listedValues(
  groups: Extract<MemberTextSegment, { kind: 'group' }>[],
  annotation: Extract<MemberTextSegment, { kind: 'group' }> | undefined,
  segments: readonly MemberTextSegment[],
  text: string,
): EnumValue[] {
  const values: EnumValue[] = [];
  for (const group of groups) {
    for (const item of group.items) {
      if (item.kind === 'values' && (group === annotation || item.oneOf)) values.push(...item.values.map((name) => ({ name })));
    }
  }
  const quoted = segments.filter((s): s is Extract<MemberTextSegment, { kind: 'quoted' }> => s.kind === 'quoted');
  if (annotation?.items.some((i) => i.kind === 'fixed') && quoted[0] && quoted[0].start < 2) values.push({ name: quoted[0].value });
  const phrase = /one of the following|possible\s+values/i.exec(text);
  if (phrase) values.push(...quoted.filter((q) => q.start > phrase.index).map((q) => ({ name: q.value })));
  return values;
}

function hasTypeWord(text: string, ctx: ReadContext): boolean {
  return ctx.memberText(text).some((s) => s.kind === 'group' && s.items.some((i) => i.kind === 'type'));
}

function isString(type: TypeRef): boolean {
  return (type.kind === 'builtin' && (type.name === 'str' || type.name === 'any')) || type.kind === 'enum';
}

/** Puts nested members into the object a type names (itself, its array's element, a union's object). */
function fillObject(type: TypeRef, members: Member[]): TypeRef | null {
  switch (type.kind) {
    case 'object':
      return { ...type, members };
    case 'array': {
      if (type.of.kind === 'builtin' && type.of.name === 'any') return { kind: 'array', of: { kind: 'object', members, open: true } };
      const of = fillObject(type.of, members);
      return of ? { kind: 'array', of } : null;
    }
    case 'union': {
      const index = type.of.findIndex((t) => t.kind === 'object' || t.kind === 'array');
      if (index === -1) return null;
      const filled = fillObject(type.of[index]!, members);
      return filled ? { kind: 'union', of: type.of.map((t, i) => (i === index ? filled : t)) } : null;
    }
    case 'builtin':
      return type.name === 'any' ? { kind: 'object', members, open: true } : null;
    default:
      return null;
  }
}

function dedupe(members: Member[], ctx: ReadContext): Member[] {
  const seen = new Map<string, Member>();
  for (const member of members) {
    const first = seen.get(member.name);
    if (!first) {
      seen.set(member.name, member);
      continue;
    }
    ctx.diagnostics.warn(
      codes.memberDuplicate,
      `"${member.name}" is listed twice (first on line ${first.loc.line}): the first is kept, this one's doc appended`,
      member.loc,
    );
    if (member.doc) first.doc = [first.doc, member.doc].filter(Boolean).join('\n');
  }
  return [...seen.values()];
}

function dedupeValues(values: EnumValue[]): EnumValue[] {
  const seen = new Map<string, EnumValue>();
  for (const value of values) if (!seen.has(value.name)) seen.set(value.name, value);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Text

/** The member's text: its line after the name, and the lines continuing it (paragraph breaks kept). */
export function joinedText(item: MemberItemNode): string {
  let text = item.text;
  for (const line of item.more) text += (line.blank > 0 ? '\n\n' : '\n') + line.text;
  return text;
}

/** The doc: the text without the type annotation and `(Since x)`, lines joined, paragraphs kept. */
function docText(text: string, groups: Extract<MemberTextSegment, { kind: 'group' }>[], annotation: { start: number } | undefined): string {
  const cut = groups.filter((g) => g === annotation || (g.items.length > 0 && g.items.every((i) => i.kind === 'since')));
  let doc = '';
  let from = 0;
  for (const group of cut) {
    doc += text.slice(from, group.start);
    from = group.end;
  }
  doc += text.slice(from);
  return doc
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('\n\n')
    .replace(/\s+([.,;:])/g, '$1');
}

function clip(text: string, length = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
