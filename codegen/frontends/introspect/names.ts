/**
 * Readable names for the types a `query-qmp-schema` reply hides behind numbers.
 *
 * The front end first builds the model with each type under a placeholder (its number); then
 * `nameTypes` gives the final names. Names fixed in advance (QEMU's own, found by
 * `documented.ts` in a documented release) are kept; every other type is named after its first
 * use, breadth-first from the commands and events taken in the order of their names (never the
 * reply's order, nor its numbers, which change between builds): the arguments of a command
 * (`BlockdevAddArguments`, when they are a union) or what it returns (`QueryStatusResult`,
 * `QueryStatusResultItem` for an array's elements), the member whose type it is
 * (`<Owner><Member>`), the union branch (`<Owner><Case>`), the alternative
 * (`<Owner><JsonType>`), where the owner is named already, by QEMU or by its own first use. A
 * name already taken gets a number (`…2`). A type that nothing reaches is named after its
 * contents (`Unreferenced<First><Members>`). So the same interface always gets the same names,
 * however its reply is ordered or numbered. The empty object (a branch with no members, QEMU's
 * `q_empty`) is not named: it is used inline.
 */
import { factsOf } from '../../ir/facts.js';
import type { Command, Event, Member, NamedType, QmpModel, TypeRef } from '../../ir/types.js';

/** The entries of a reply this module reads (validated by the caller). */
export interface SchemaInfo {
  name: string;
  'meta-type': string;
  'arg-type'?: string;
  'ret-type'?: string;
  'element-type'?: string;
  'json-type'?: string;
  members?: { name?: string; type?: string }[];
  variants?: { case: string; type: string }[];
}

/** `query-status` → `QueryStatus`, `BLOCK_IO_ERROR` → `BlockIoError`, `__com.redhat_x` → `ComRedhatX`. */
export function camelName(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => (/^[A-Z0-9]+$/.test(part) ? part.toLowerCase() : part))
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The object with no members and no variants: what a command without `returns` returns. */
export function isEmptyObject(info: SchemaInfo | undefined): boolean {
  return info?.['meta-type'] === 'object' && (info.members ?? []).length === 0 && !info.variants;
}

/** Named kinds: what becomes an entry of `types[]` (not builtins, not arrays). */
export function isNamedKind(info: SchemaInfo | undefined): boolean {
  return info !== undefined && (info['meta-type'] === 'object' || info['meta-type'] === 'enum' || info['meta-type'] === 'alternate');
}

/**
 * The entries that become named types: every named kind but the empty object and the argument
 * objects kept inline (`inline`), unless something else uses those too (QAPI `data: 'T'`).
 */
export function namedEntries(entries: readonly SchemaInfo[], inline: ReadonlySet<string>): Set<string> {
  const byNumber = new Map(entries.map((entry) => [entry.name, entry]));
  const used = new Set<string>();
  const use = (number: string | undefined): void => {
    const info = number === undefined ? undefined : byNumber.get(number);
    if (info?.['meta-type'] === 'array') use(info['element-type']);
    else if (number !== undefined) used.add(number);
  };
  for (const entry of entries) {
    if (entry['meta-type'] === 'command') use(entry['ret-type']);
    for (const member of entry['meta-type'] === 'object' || entry['meta-type'] === 'alternate' ? (entry.members ?? []) : []) use(member.type);
    for (const variant of entry.variants ?? []) use(variant.type);
    if (entry['meta-type'] === 'array') use(entry['element-type']);
  }
  return new Set(entries.filter((e) => isNamedKind(e) && !isEmptyObject(e) && (!inline.has(e.name) || used.has(e.name))).map((e) => e.name));
}

/** The JSON type of a value of type `number`: what tells an alternate's branches apart. */
export function jsonTypeOf(number: string | undefined, byNumber: ReadonlyMap<string, SchemaInfo>): string {
  const info = number === undefined ? undefined : byNumber.get(number);
  switch (info?.['meta-type']) {
    case 'builtin':
      return info['json-type'] === 'value' ? 'any' : (info['json-type'] ?? 'any');
    case 'enum':
      return 'string';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    default:
      return 'value';
  }
}

/** The JSON type word of a reference, as `jsonTypeOf` gives it for the reply's entries. */
function jsonWord(ref: TypeRef, byName: ReadonlyMap<string, NamedType>): string {
  switch (ref.kind) {
    case 'builtin':
      if (ref.name === 'str') return 'string';
      if (ref.name === 'bool') return 'boolean';
      if (ref.name === 'number' || ref.name === 'null' || ref.name === 'any') return ref.name;
      if (ref.name === 'QType') return 'string';
      return 'int';
    case 'enum':
      return 'string';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    case 'union':
      return 'value';
    case 'named': {
      const kind = byName.get(ref.name)?.kind;
      return kind === 'enum' ? 'string' : kind === 'alternate' ? 'value' : 'object';
    }
  }
}

/** The types a definition refers to, each with the name it would give them (`<owner><part>`). */
function offers(type: NamedType, owner: string, model: QmpModel, byName: ReadonlyMap<string, NamedType>): [TypeRef, string][] {
  switch (type.kind) {
    case 'struct':
      return factsOf(model)
        .structMembers(type.name)
        .map((m): [TypeRef, string] => [m.type, owner + camelName(m.name)]);
    case 'union':
      return [
        ...type.baseMembers.map((m): [TypeRef, string] => [m.type, owner + camelName(m.name)]),
        ...type.variants.map((v): [TypeRef, string] => [v.type, owner + camelName(v.value)]),
      ];
    case 'alternate':
      return type.alternatives.map((a): [TypeRef, string] => [a.type, owner + camelName(jsonWord(a.type, byName))]);
    case 'enum':
      return [];
  }
}

/** The named types a reference names, through arrays. */
function namedIn(ref: TypeRef): string[] {
  return ref.kind === 'named' ? [ref.name] : ref.kind === 'array' ? namedIn(ref.of) : ref.kind === 'union' ? ref.of.flatMap(namedIn) : [];
}

/** Words for a type nothing reaches: its first member, value or alternative names. */
function contentWords(type: NamedType): string {
  const parts =
    type.kind === 'struct'
      ? type.members.map((m) => m.name)
      : type.kind === 'union'
        ? [type.discriminator, ...type.variants.map((v) => v.value)]
        : type.kind === 'enum'
          ? type.values.map((v) => v.name)
          : type.alternatives.map((a) => a.name);
  return parts.slice(0, 3).map(camelName).join('') || camelName(type.kind);
}

/** A type's contents without any name in it (placeholders are numbers, which change between builds). */
function contentKey(type: NamedType): string {
  return JSON.stringify({ ...type, name: '', loc: undefined }, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'named' ? { kind: 'named' } : value,
  );
}

/**
 * The final name of every type of `model` (named by placeholders, or by any names at all):
 * `fixed` ones as given, the others derived from where they are used (see the module's doc).
 */
export function deriveTypeNames(model: QmpModel, fixed: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const byName = new Map(model.types.map((t) => [t.name, t]));
  const names = new Map<string, string>();
  const taken = new Set<string>(fixed.values());
  const visited = new Set<string>();
  const queue: string[] = [];

  const claim = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
    taken.add(name);
    return name;
  };
  /** Offers `name` for the type `ref`; arrays pass it on to their elements. */
  const offer = (ref: TypeRef | undefined, name: string, elementSuffix = ''): void => {
    if (ref === undefined) return;
    if (ref.kind === 'array') return offer(ref.of, `${name}${elementSuffix}`);
    if (ref.kind !== 'named' || !byName.has(ref.name) || visited.has(ref.name)) return;
    visited.add(ref.name);
    names.set(ref.name, fixed.get(ref.name) ?? claim(name));
    queue.push(ref.name);
  };
  const offerMembers = (members: readonly Member[], owner: string): void => {
    for (const member of members) offer(member.type, owner + camelName(member.name));
  };
  const byNameOrder = <T extends { name: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  for (const command of byNameOrder<Command>(model.commands)) {
    const owner = camelName(command.name);
    const boxed = command.argumentsType !== undefined && byName.get(command.argumentsType.name)?.kind === 'union';
    if (boxed) offer(command.argumentsType, `${owner}Arguments`);
    else offerMembers(command.arguments, owner);
    offer(command.returns, `${owner}Result`, 'Item');
  }
  for (const event of byNameOrder<Event>(model.events)) {
    const owner = camelName(event.name);
    if (event.dataType !== undefined && byName.get(event.dataType.name)?.kind === 'union') offer(event.dataType, `${owner}Data`);
    else offerMembers(event.data, owner);
  }
  // An argument object used elsewhere too is named by that use; one used by commands only, here.
  for (const command of byNameOrder<Command>(model.commands)) offer(command.argumentsType, `${camelName(command.name)}Arguments`);
  for (const event of byNameOrder<Event>(model.events)) offer(event.dataType, `${camelName(event.name)}Data`);
  const drain = (): void => {
    for (; queue.length > 0;) {
      const type = byName.get(queue.shift()!)!;
      for (const [ref, name] of offers(type, names.get(type.name)!, model, byName)) offer(ref, name);
    }
  };
  drain();
  // What no command or event reaches (QEMU lists a few such types): the outermost of them named
  // after their contents (the same contents, the same name), what they hold after them.
  for (;;) {
    const unreached = model.types.filter((t) => !visited.has(t.name));
    if (unreached.length === 0) break;
    const held = new Set(unreached.flatMap((t) => offers(t, '', model, byName)).flatMap(([ref]) => namedIn(ref)));
    const outermost = unreached.filter((t) => !held.has(t.name));
    const roots = (outermost.length > 0 ? outermost : unreached)
      .map((t) => ({ type: t, wanted: `Unreferenced${contentWords(t)}`, key: contentKey(t) }))
      .sort((a, b) => (a.wanted < b.wanted ? -1 : a.wanted > b.wanted ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // one at a time when all are held (a cycle): the first, then what it holds
    for (const { type, wanted } of outermost.length > 0 ? roots : roots.slice(0, 1)) offer({ kind: 'named', name: type.name }, wanted);
    drain();
  }
  return names;
}

/**
 * `model` with its types renamed by `names` (every type, every reference, every base). The IR
 * may share objects (a union's base members are its base's): each is renamed once.
 */
export function renameTypes(model: QmpModel, names: ReadonlyMap<string, string>): QmpModel {
  const copy = structuredClone(model);
  const rename = (name: string): string => names.get(name) ?? name;
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    const record = value as Record<string, unknown>;
    if (record.kind === 'named' && typeof record.name === 'string') record.name = rename(record.name);
    for (const [key, inner] of Object.entries(record)) if (key !== 'doc' && key !== 'loc' && key !== 'examples') visit(inner);
  };
  for (const type of copy.types) {
    type.name = rename(type.name);
    if ((type.kind === 'struct' || type.kind === 'union') && type.base !== undefined) type.base = rename(type.base);
  }
  visit(copy.types);
  visit(copy.commands);
  visit(copy.events);
  return copy;
}

/**
 * `model`'s types named as `deriveTypeNames` names them, in the order of their names (the
 * reply's order is its numbering's, which a rebuild may change).
 */
export function nameTypes(model: QmpModel, fixed: ReadonlyMap<string, string> = new Map()): QmpModel {
  const named = renameTypes(model, deriveTypeNames(model, fixed));
  named.types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return named;
}
