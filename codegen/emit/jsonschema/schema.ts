/**
 * IR types → JSON Schema (draft-07, as Ajv reads by default), to validate what a real QEMU sends
 * against what its documents promise. Objects are closed (`additionalProperties: false`) unless
 * the documents leave them open, so a member the documents miss is found, not ignored; a union
 * is one branch per discriminator value.
 */
import { factsOf, integerBuiltins, qtypeValues, type ModelFacts } from '../../ir/facts.js';
import type { Member, NamedType, QmpModel, TypeRef } from '../../ir/types.js';

export type JsonSchema = Record<string, unknown>;

/** Where a target's schema document says what it is. */
export interface TargetSchemaOptions {
  /** `$id`: the name it is imported by, e.g. `qmp-sdk/qemu-10.2.0/schema.json`. */
  id: string;
  title: string;
}

export class JsonSchemaEmitter {
  private readonly facts: ModelFacts;
  private definitions: Record<string, JsonSchema> | undefined;

  constructor(private readonly model: Pick<QmpModel, 'types'>) {
    this.facts = factsOf(model);
  }

  /** A standalone schema for one type use, with every named type it needs under `$defs`. */
  schemaFor(type: TypeRef): JsonSchema {
    return { ...this.type(type), $defs: this.allDefinitions() };
  }

  /** A schema for an object given as a member list (a command's arguments, an event's data). */
  schemaForMembers(members: Member[]): JsonSchema {
    return { ...this.object(members, false), $defs: this.allDefinitions() };
  }

  /**
   * One document for a whole target, every named type under `$defs`, so that a validator compiles
   * it once and takes each part by JSON pointer. In plain JSON Schema (no keyword of its own, so
   * Ajv's strict mode takes it as is) it describes an object whose `commands` hold each command's
   * `arguments` and `returns`, and whose `events` hold each event's `data`:
   * `#/properties/commands/properties/query-status/properties/returns`.
   */
  targetSchema(model: Pick<QmpModel, 'commands' | 'events'>, options: TargetSchemaOptions): JsonSchema {
    const commands: Record<string, JsonSchema> = {};
    for (const c of model.commands) {
      const args = c.argumentsType ? this.type(c.argumentsType) : this.object(c.arguments, false);
      commands[c.name] = part({ arguments: args, returns: c.returns ? this.type(c.returns) : { type: 'object', additionalProperties: false } });
    }
    const events: Record<string, JsonSchema> = {};
    for (const e of model.events) events[e.name] = part({ data: this.object(e.data, false) });
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: options.id,
      title: options.title,
      type: 'object',
      properties: { commands: part(commands), events: part(events) },
      $defs: this.allDefinitions(),
    };
  }

  private allDefinitions(): Record<string, JsonSchema> {
    if (!this.definitions) {
      this.definitions = {};
      for (const t of this.model.types) this.definitions[t.name] = this.named(t);
    }
    return this.definitions;
  }

  private type(type: TypeRef): JsonSchema {
    switch (type.kind) {
      case 'builtin':
        if (integerBuiltins.has(type.name)) return { type: 'integer' };
        if (type.name === 'str') return { type: 'string' };
        if (type.name === 'number') return { type: 'number' };
        if (type.name === 'bool') return { type: 'boolean' };
        if (type.name === 'null') return { type: 'null' };
        if (type.name === 'QType') return { enum: [...qtypeValues] };
        return {};
      case 'named':
        return { $ref: `#/$defs/${type.name}` };
      case 'array':
        return { type: 'array', items: this.type(type.of) };
      case 'object':
        return this.object(type.members, type.open);
      case 'enum':
        return { type: 'string', enum: type.values.map((v) => v.name) };
      case 'union':
        return { anyOf: type.of.map((t) => this.type(t)) };
    }
  }

  private object(members: readonly Member[], open: boolean, pinned: Record<string, JsonSchema> = {}): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const m of members) properties[m.name] = this.type(m.type);
    Object.assign(properties, pinned);
    const required = members.filter((m) => !m.optional).map((m) => m.name);
    return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: open };
  }

  private named(t: NamedType): JsonSchema {
    switch (t.kind) {
      case 'struct':
        return this.object(this.facts.structMembers(t.name), false);
      case 'enum':
        return { type: 'string', enum: t.values.map((v) => v.name) };
      case 'alternate':
        return { anyOf: t.alternatives.map((a) => this.type(a.type)) };
      case 'union': {
        const base = t.baseMembers;
        const branches = t.variants.map((v) => {
          const extra = v.type.kind === 'object' ? v.type.members : v.type.kind === 'named' ? this.variantMembers(v.type.name) : undefined;
          if (extra) return this.object([...base, ...extra], false, { [t.discriminator]: { const: v.value } });
          // A variant that is itself a union: the base here, the rest checked by its own schema.
          return { allOf: [{ type: 'object', properties: { [t.discriminator]: { const: v.value } } }, this.type(v.type)] };
        });
        const covered = new Set(t.variants.map((v) => v.value));
        const tag = base.find((m) => m.name === t.discriminator);
        const tagType = tag?.type.kind === 'named' ? this.facts.type(tag.type.name) : undefined;
        const values = tag?.type.kind === 'enum' ? tag.type.values : tagType?.kind === 'enum' ? tagType.values : [];
        for (const v of values) if (!covered.has(v.name)) branches.push(this.object(base, false, { [t.discriminator]: { const: v.name } }));
        return { oneOf: branches };
      }
    }
  }

  /** A variant's own members when it is a struct; undefined when it is a union (nested). */
  private variantMembers(name: string): readonly Member[] | undefined {
    return this.facts.type(name)?.kind === 'union' ? undefined : this.facts.structMembers(name);
  }
}

/** An object schema whose properties are the named parts, for a document that only holds them. */
function part(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties };
}
