/**
 * Readable names for the types a `query-qmp-schema` reply hides behind numbers.
 *
 * A type is named after its first use, found breadth-first from the commands and events in the
 * reply's order: the arguments of a command (`BlockdevAddArguments`, when they are a union) or
 * what it returns (`QueryStatusResult`, `QueryBlockResultItem` for an array's elements), the
 * member whose type it is (`<Owner><Member>`), the union branch (`<Owner><Case>`), the
 * alternative (`<Owner><JsonType>`). The same reply always gives the same names; a name already
 * taken gets a number (`…2`). A type no command or event reaches is `Type<number>`. The empty
 * object (a branch with no members, QEMU's `q_empty`) is not named: it is used inline.
 */

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
 * Names for every named-kind entry reachable from commands and events. `inline` lists the
 * argument objects that stay inline: they get a name only if something else uses them too
 * (QAPI `data: 'T'`); their members' types are named after their command or event.
 */
export function deriveTypeNames(entries: readonly SchemaInfo[], inline: ReadonlySet<string>): Map<string, string> {
  const byNumber = new Map(entries.map((entry) => [entry.name, entry]));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const queue: { number: string; name: string }[] = [];

  const claim = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
    taken.add(name);
    return name;
  };
  /** Offers `name` for the type `number`; arrays pass it on to their elements. */
  const offer = (number: string | undefined, name: string, elementSuffix = ''): void => {
    if (number === undefined) return;
    const info = byNumber.get(number);
    if (info?.['meta-type'] === 'array') return offer(info['element-type'], `${name}${elementSuffix}`);
    if (!isNamedKind(info) || isEmptyObject(info) || names.has(number)) return;
    const given = claim(name);
    names.set(number, given);
    queue.push({ number, name: given });
  };
  /** The members of an inline argument object are named after their command or event. */
  const offerMembers = (number: string | undefined, owner: string): void => {
    const info = number === undefined ? undefined : byNumber.get(number);
    for (const member of info?.members ?? []) if (member.name !== undefined) offer(member.type, owner + camelName(member.name));
  };

  for (const entry of entries) {
    const owner = camelName(entry.name);
    if (entry['meta-type'] === 'command') {
      if (inline.has(entry['arg-type'] ?? '')) offerMembers(entry['arg-type'], owner);
      else offer(entry['arg-type'], `${owner}Arguments`);
      if (!isEmptyObject(byNumber.get(entry['ret-type'] ?? ''))) offer(entry['ret-type'], `${owner}Result`, 'Item');
    } else if (entry['meta-type'] === 'event') {
      if (inline.has(entry['arg-type'] ?? '')) offerMembers(entry['arg-type'], owner);
      else offer(entry['arg-type'], `${owner}Data`);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const { number, name } = queue[i]!;
    const info = byNumber.get(number)!;
    if (info['meta-type'] === 'object') {
      for (const member of info.members ?? []) if (member.name !== undefined) offer(member.type, name + camelName(member.name));
      for (const variant of info.variants ?? []) offer(variant.type, name + camelName(variant.case));
    } else if (info['meta-type'] === 'alternate') {
      for (const member of info.members ?? []) offer(member.type, name + camelName(jsonTypeOf(member.type, byNumber)));
    }
  }
  for (const entry of entries) {
    if (isNamedKind(entry) && !isEmptyObject(entry) && !names.has(entry.name) && !inline.has(entry.name))
      names.set(entry.name, claim(`Type${camelName(entry.name)}`));
  }
  return names;
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
