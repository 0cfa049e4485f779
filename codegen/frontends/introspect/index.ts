/**
 * The introspection front end: QEMU's reply to `query-qmp-schema` (the bare array, or
 * `{"return": [...]}`) → the IR.
 *
 * The reply describes one build: what it has, nothing it was compiled without, no docs, no
 * conditions, and numbers in place of type names (names.ts derives readable ones). Integer
 * types all read as `int` (the reply keeps only their JSON type). A command's or event's
 * argument object is listed inline (`arguments`/`data`); it is also named (`argumentsType`,
 * `dataType`) when it is a union (a boxed argument) or something else uses it too. The empty
 * object (no arguments, no return, a branch without members) is always inline. The reply has no
 * line numbers: every location is the reply file's first line.
 */
import { Diagnostics } from '../../ir/diagnostics.js';
import type { BuiltinName, Command, EnumValue, Event, Feature, Location, Member, NamedType, QmpModel, TypeRef } from '../../ir/types.js';
import { SchemaError } from '../qapi/errors.js';
import { isEmptyObject, isNamedKind, jsonTypeOf, namedEntries, nameTypes, type SchemaInfo } from './names.js';

/** Builtins by their JSON type (the reply names integer types of every width `int`). */
const builtinByJsonType: Record<string, BuiltinName> = {
  string: 'str',
  int: 'int',
  number: 'number',
  boolean: 'bool',
  null: 'null',
  value: 'any',
};

const metaTypes = new Set(['command', 'event', 'object', 'enum', 'array', 'alternate', 'builtin']);

export function modelFromIntrospection(reply: unknown, file: string): QmpModel {
  const loc: Location = { file, line: 1, column: 1 };
  const diagnostics = new Diagnostics();
  const entries = readEntries(reply, loc, diagnostics);
  return new IntrospectionModel(entries, loc, diagnostics, file).build();
}

/** The reply's entries, each checked to have the fields its meta-type needs. */
function readEntries(reply: unknown, loc: Location, diagnostics: Diagnostics): SchemaInfo[] {
  const list = Array.isArray(reply) ? reply : isRecord(reply) && Array.isArray(reply.return) ? reply.return : undefined;
  if (!list) throw new SchemaError(loc, 'not a query-qmp-schema reply: expected an array of SchemaInfo, or {"return": [...]}');
  const entries: SchemaInfo[] = [];
  list.forEach((entry: unknown, index) => {
    const where = `entry ${index}`;
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry['meta-type'] !== 'string') {
      diagnostics.error('introspection-entry', `${where} is not a SchemaInfo object with 'name' and 'meta-type'; skipped`, loc);
      return;
    }
    if (!metaTypes.has(entry['meta-type'])) {
      diagnostics.warn('introspection-meta-type', `${where} ('${entry.name}') has unknown meta-type '${entry['meta-type']}'; skipped`, loc);
      return;
    }
    entries.push(entry as unknown as SchemaInfo);
  });
  return entries;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface MemberInfo {
  name: string;
  type: string;
  default?: unknown;
  features?: string[];
}

class IntrospectionModel {
  private readonly byNumber: Map<string, SchemaInfo>;
  private readonly names: Map<string, string>;
  private readonly inline = new Set<string>();

  constructor(
    private readonly entries: SchemaInfo[],
    private readonly loc: Location,
    private readonly diagnostics: Diagnostics,
    private readonly file: string,
  ) {
    this.byNumber = new Map(entries.map((entry) => [entry.name, entry]));
    // Argument objects stay inline unless they are unions (boxed arguments).
    for (const entry of entries) {
      if (entry['meta-type'] !== 'command' && entry['meta-type'] !== 'event') continue;
      const argument = this.byNumber.get(entry['arg-type'] ?? '');
      if (argument?.['meta-type'] === 'object' && !argument.variants) this.inline.add(argument.name);
    }
    // Placeholders first (`#<number>`); nameTypes gives the final names once the model is built.
    this.names = new Map([...namedEntries(entries, this.inline)].map((number) => [number, `#${number}`]));
  }

  build(): QmpModel {
    const commands: Command[] = [];
    const events: Event[] = [];
    const types: NamedType[] = [];
    for (const entry of this.entries) {
      switch (entry['meta-type']) {
        case 'command':
          commands.push(this.command(entry));
          break;
        case 'event':
          events.push(this.event(entry));
          break;
        default:
          if (this.names.has(entry.name)) types.push(this.namedType(entry));
      }
    }
    const source: QmpModel['source'] = { frontend: 'introspection', files: [this.file] };
    const release = /qemu-(\d+\.\d+(?:\.\d+)?)/.exec(this.file)?.[1];
    if (release !== undefined) source.release = release;
    return nameTypes({
      irVersion: 1,
      source,
      commands,
      events,
      types,
      diagnostics: this.diagnostics.list,
    });
  }

  private command(entry: SchemaInfo): Command {
    const command: Command = { name: entry.name, doc: { description: '', notes: [] }, arguments: [], examples: [], loc: this.loc };
    const argument = this.arguments(entry);
    command.arguments = argument.members;
    if (argument.type) command.argumentsType = argument.type;
    // An empty object is what a command without 'returns' replies; the reply cannot tell them apart.
    if (!isEmptyObject(this.byNumber.get(entry['ret-type'] ?? ''))) command.returns = this.ref(entry['ret-type'], `command '${entry.name}' ret-type`);
    this.features(entry, command);
    if ((entry as { 'allow-oob'?: unknown })['allow-oob'] === true) command.flags = { allowOob: true };
    return command;
  }

  private event(entry: SchemaInfo): Event {
    const argument = this.arguments(entry);
    const event: Event = { name: entry.name, doc: { description: '', notes: [] }, data: argument.members, examples: [], loc: this.loc };
    if (argument.type) event.dataType = argument.type;
    this.features(entry, event);
    return event;
  }

  private arguments(entry: SchemaInfo): { members: Member[]; type?: { kind: 'named'; name: string } } {
    const number = entry['arg-type'];
    const argument = this.byNumber.get(number ?? '');
    if (!argument || argument['meta-type'] !== 'object') {
      this.diagnostics.error(
        'introspection-reference',
        `${entry['meta-type']} '${entry.name}' has arg-type '${number}', which is not an object in the reply`,
        this.loc,
      );
      return { members: [] };
    }
    const members = this.members(argument, `${entry['meta-type']} '${entry.name}'`);
    // Named when something else uses the same object too (QAPI `data: 'T'`); never the empty one.
    const name = isEmptyObject(argument) ? undefined : this.names.get(argument.name);
    return name === undefined ? { members } : { members, type: { kind: 'named', name } };
  }

  private namedType(entry: SchemaInfo): NamedType {
    const base = { name: this.names.get(entry.name)!, doc: { description: '', notes: [] }, hoisted: true, loc: this.loc };
    let type: NamedType;
    if (entry['meta-type'] === 'enum') {
      const raw = entry as { values?: unknown; members?: unknown };
      // 7.2 gives `members` (with features) beside the older `values` list of names.
      const values: EnumValue[] = Array.isArray(raw.members)
        ? (raw.members as { name: string; features?: string[] }[]).map((member) => this.withFeatures<EnumValue>({ name: member.name }, member.features))
        : Array.isArray(raw.values)
          ? (raw.values as string[]).map((name) => ({ name }))
          : [];
      type = { kind: 'enum', ...base, values };
    } else if (entry['meta-type'] === 'alternate') {
      const byJsonType = new Map<string, number>();
      type = {
        kind: 'alternate',
        ...base,
        alternatives: (entry.members ?? []).map((member) => {
          // Branch names are not in the reply; the JSON type tells the branches apart.
          const json = jsonTypeOf(member.type, this.byNumber);
          const seen = (byJsonType.get(json) ?? 0) + 1;
          byJsonType.set(json, seen);
          return { name: seen === 1 ? json : `${json}${seen}`, type: this.ref(member.type, `alternate '${base.name}'`) };
        }),
      };
    } else if (entry.variants) {
      type = {
        kind: 'union',
        ...base,
        baseMembers: this.members(entry, `union '${base.name}'`),
        discriminator: (entry as { tag?: string }).tag ?? '',
        variants: entry.variants.map((variant) => ({ value: variant.case, type: this.ref(variant.type, `union '${base.name}' case '${variant.case}'`) })),
      };
    } else {
      type = { kind: 'struct', ...base, members: this.members(entry, `'${base.name}'`) };
    }
    this.features(entry, type);
    return type;
  }

  private members(entry: SchemaInfo, owner: string): Member[] {
    return ((entry.members ?? []) as MemberInfo[]).map((info) =>
      this.withFeatures<Member>(
        { name: info.name, type: this.ref(info.type, `${owner} member '${info.name}'`), optional: 'default' in info, loc: this.loc },
        info.features,
      ),
    );
  }

  private ref(number: string | undefined, where: string): TypeRef {
    const info = number === undefined ? undefined : this.byNumber.get(number);
    if (!info) {
      this.diagnostics.error('introspection-reference', `${where} names type '${number}', which the reply does not define`, this.loc);
      return { kind: 'builtin', name: 'any' };
    }
    switch (info['meta-type']) {
      case 'builtin':
        return { kind: 'builtin', name: builtinByJsonType[info['json-type'] ?? 'value'] ?? 'any' };
      case 'array':
        return { kind: 'array', of: this.ref(info['element-type'], where) };
      case 'object':
        if (isEmptyObject(info)) return { kind: 'object', members: [], open: false };
      // fall through
      default: {
        const name = this.names.get(number!);
        if (isNamedKind(info) && name !== undefined) return { kind: 'named', name };
        this.diagnostics.error('introspection-reference', `${where} names '${number}', a ${info['meta-type']}, which is not a type`, this.loc);
        return { kind: 'builtin', name: 'any' };
      }
    }
  }

  private features(entry: SchemaInfo, target: { features?: Feature[]; deprecated?: string }): void {
    this.withFeatures(target, (entry as { features?: string[] }).features);
  }

  private withFeatures<T extends { features?: Feature[]; deprecated?: string }>(target: T, features: string[] | undefined): T {
    if (!features || features.length === 0) return target;
    target.features = features.map((name) => ({ name }));
    if (features.includes('deprecated')) target.deprecated = '';
    return target;
  }
}
