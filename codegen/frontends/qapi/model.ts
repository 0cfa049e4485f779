/**
 * Checked definitions → the IR. Named types go to `types[]` and are referred to by name;
 * implicit types (a command's or event's inline `data`, a union's inline base) stay inline.
 * Simple unions are read as QEMU reads them: an implicit enum `<Name>Kind` (hoisted), the
 * discriminator `type`, and each branch wrapped as `{ 'data': T }`. A flat union's tag values
 * without a branch get an empty one (an empty inline object), as in QEMU and its introspection.
 *
 * Documentation is joined here: each member, branch, enum value and feature gets its
 * description from the definition's doc comment; a described name the definition lacks, and a
 * definition without a doc comment, are located warnings.
 */
import type { Diagnostics } from '../../ir/diagnostics.js';
import type {
  AlternateType,
  Command,
  CommandFlags,
  Doc,
  EnumType,
  EnumValue,
  Event,
  Feature,
  Location,
  Member,
  NamedType,
  NamedTypeRef,
  StructType,
  TypeRef,
  UnionType,
  UnionVariant,
} from '../../ir/types.js';
import type {
  AlternateDefinition,
  CommandDefinition,
  Definition,
  EnumDefinition,
  EventDefinition,
  FeatureDefinition,
  MemberDefinition,
  StructDefinition,
  TypeExpression,
  UnionDefinition,
} from './definitions.js';
import { memberNotes, type DefinitionDoc } from './doc.js';
import { isBuiltinName } from '../../ir/facts.js';
import { codes } from './codes.js';

export interface BuiltModel {
  commands: Command[];
  events: Event[];
  types: NamedType[];
}

export function buildModel(definitions: Definition[], diagnostics: Diagnostics): BuiltModel {
  return new ModelBuilder(diagnostics).build(definitions);
}

/** Which described names of a doc comment were matched, so the rest can be reported. */
class DocUse {
  readonly members = new Set<string>();
  readonly features = new Set<string>();

  constructor(readonly doc: DefinitionDoc | undefined) {}

  member(name: string): string | undefined {
    const text = this.doc?.members.get(name)?.text;
    if (text !== undefined) this.members.add(name);
    return text;
  }

  feature(name: string): string | undefined {
    const text = this.doc?.features.get(name)?.text;
    if (text !== undefined) this.features.add(name);
    return text;
  }
}

class ModelBuilder {
  private readonly definitions = new Map<string, Definition>();
  private readonly types = new Map<string, NamedType>();

  constructor(private readonly diagnostics: Diagnostics) {}

  build(all: Definition[]): BuiltModel {
    const definitions = this.register(all);
    const model: BuiltModel = { commands: [], events: [], types: [] };
    const unions: [UnionDefinition, UnionType, DocUse][] = [];
    for (const definition of definitions) {
      if (definition.meta === 'command' || definition.meta === 'event') continue;
      const use = new DocUse(definition.doc);
      let type: NamedType;
      switch (definition.meta) {
        case 'enum':
          type = this.enumType(definition, use);
          break;
        case 'struct':
          type = this.structType(definition, use);
          break;
        case 'alternate':
          type = this.alternateType(definition, use);
          break;
        case 'union': {
          const union = this.unionType(definition, use);
          if (!definition.discriminator) model.types.push(this.simpleUnionKind(definition));
          unions.push([definition, union, use]);
          type = union;
          break;
        }
      }
      model.types.push(type);
      this.types.set(type.name, type);
    }
    for (const type of model.types) if (type.kind === 'struct') this.checkBase(type);
    // Named bases may be defined after the union: their members are copied once all exist.
    for (const [definition, union, use] of unions) {
      this.unionBase(definition, union, use);
      this.finishDoc(definition, use);
    }
    for (const definition of definitions) {
      if (definition.meta === 'command') model.commands.push(this.command(definition));
      else if (definition.meta === 'event') model.events.push(this.event(definition));
    }
    return model;
  }

  /** One namespace for every definition, as in QEMU; a second definition is an error. */
  private register(all: Definition[]): Definition[] {
    const kept: Definition[] = [];
    const claim = (name: string, definition: Definition): boolean => {
      const previous = this.definitions.get(name);
      if (previous || isBuiltinName(name)) {
        const where = previous ? `already defined at ${previous.loc.file}:${previous.loc.line}:${previous.loc.column}` : 'a built-in type';
        this.diagnostics.error(codes.duplicateDefinition, `'${name}' is ${where}`, definition.loc);
        return false;
      }
      this.definitions.set(name, definition);
      return true;
    };
    for (const definition of all) {
      if (!claim(definition.name, definition)) continue;
      if (definition.meta === 'union' && !definition.discriminator) {
        const kind: EnumDefinition = { meta: 'enum', name: `${definition.name}Kind`, features: [], loc: definition.loc, values: [] };
        claim(kind.name, kind);
      }
      kept.push(definition);
    }
    return kept;
  }

  // -------------------------------------------------------------------------------------------
  // Types

  private enumType(definition: EnumDefinition, use: DocUse): EnumType {
    const type: EnumType = {
      kind: 'enum',
      ...this.common(definition, use),
      values: definition.values.map((value) => {
        const result: EnumValue = { name: value.name, loc: value.loc };
        const doc = use.member(value.name);
        if (doc !== undefined) result.doc = doc;
        this.featuresOf(value.features, use, result);
        if (value.if !== undefined) result.if = value.if;
        return result;
      }),
    };
    if (definition.prefix !== undefined) type.prefix = definition.prefix;
    this.finishDoc(definition, use);
    return type;
  }

  private structType(definition: StructDefinition, use: DocUse): StructType {
    const type: StructType = { kind: 'struct', ...this.common(definition, use), members: this.members(definition.members, use) };
    if (definition.base) {
      if (this.isType(definition.base.name, definition.base.loc)) type.base = definition.base.name;
    }
    this.finishDoc(definition, use);
    return type;
  }

  private alternateType(definition: AlternateDefinition, use: DocUse): AlternateType {
    const type: AlternateType = {
      kind: 'alternate',
      ...this.common(definition, use),
      alternatives: definition.branches.map((branch) => {
        const alternative: AlternateType['alternatives'][number] = { name: branch.name, type: this.ref(branch.type), loc: branch.loc };
        const doc = use.member(branch.name);
        if (doc !== undefined) alternative.doc = doc;
        if (branch.if !== undefined) alternative.if = branch.if;
        return alternative;
      }),
    };
    this.finishDoc(definition, use);
    return type;
  }

  private unionType(definition: UnionDefinition, use: DocUse): UnionType {
    const simple = !definition.discriminator;
    const variants = definition.branches.map((branch) => {
      const type = this.ref(branch.type);
      const variant: UnionVariant = {
        value: branch.name,
        type: simple ? { kind: 'object', members: [{ name: 'data', type, optional: false, loc: branch.loc }], open: false } : type,
        loc: branch.loc,
      };
      const doc = use.member(branch.name);
      if (doc !== undefined) variant.doc = doc;
      if (branch.if !== undefined) variant.if = branch.if;
      return variant;
    });
    const union: UnionType = {
      kind: 'union',
      ...this.common(definition, use),
      baseMembers: Array.isArray(definition.base) ? this.members(definition.base, use) : [],
      discriminator: definition.discriminator?.name ?? 'type',
      variants,
    };
    if (simple) {
      const tag: Member = { name: 'type', type: { kind: 'named', name: `${definition.name}Kind` }, optional: false, loc: definition.loc };
      const doc = use.member('type');
      if (doc !== undefined) tag.doc = doc;
      union.baseMembers.push(tag);
    }
    return union;
  }

  /** The enum QEMU makes for a simple union's tag: one value per branch. */
  private simpleUnionKind(definition: UnionDefinition): EnumType {
    const kind: EnumType = {
      kind: 'enum',
      name: `${definition.name}Kind`,
      doc: { description: '', notes: [] },
      hoisted: true,
      loc: definition.loc,
      values: definition.branches.map((branch) => {
        const value: EnumValue = { name: branch.name, loc: branch.loc };
        if (branch.if !== undefined) value.if = branch.if;
        return value;
      }),
    };
    if (definition.if !== undefined) kind.if = definition.if;
    this.types.set(kind.name, kind);
    return kind;
  }

  /** A named base's members come first; the discriminator must be one of the base's members. */
  private unionBase(definition: UnionDefinition, union: UnionType, use: DocUse): void {
    const base = definition.base;
    if (base && !Array.isArray(base) && this.isType(base.name, base.loc)) {
      const baseType = this.types.get(base.name);
      if (baseType?.kind !== 'struct') {
        this.diagnostics.error(codes.badBase, `union '${definition.name}' has base '${base.name}', which is not a struct`, base.loc);
      } else {
        union.base = base.name;
        const inherited = this.flatMembers(baseType);
        // Older unions describe their base's members in their own doc comment.
        for (const member of inherited) {
          const doc = use.member(member.name);
          if (doc !== undefined) member.doc = doc;
        }
        union.baseMembers.unshift(...inherited);
      }
    }
    const discriminator = definition.discriminator;
    if (!discriminator) return;
    const tag = union.baseMembers.find((member) => member.name === discriminator.name);
    if (!tag) {
      this.diagnostics.error(
        codes.badDiscriminator,
        `discriminator '${discriminator.name}' is not a member of the base of '${definition.name}'`,
        discriminator.loc,
      );
      return;
    }
    const tagType = tag.type.kind === 'named' ? this.types.get(tag.type.name) : undefined;
    if (tagType?.kind !== 'enum') return; // QEMU 1.7 took a 'str' tag and made the enum itself
    const values = new Set(tagType.values.map((value) => value.name));
    for (const variant of union.variants) {
      if (!values.has(variant.value)) {
        this.diagnostics.error(
          codes.badVariant,
          `branch '${variant.value}' of '${definition.name}' is not a value of '${tagType.name}'`,
          variant.loc ?? union.loc,
        );
      }
    }
    // As QEMU does, a tag value without a branch gets an empty one: the base members alone.
    const covered = new Set(union.variants.map((variant) => variant.value));
    for (const value of tagType.values) {
      if (covered.has(value.name)) continue;
      const variant: UnionVariant = { value: value.name, type: { kind: 'object', members: [], open: false } };
      if (value.if !== undefined) variant.if = value.if;
      union.variants.push(variant);
    }
  }

  /** A struct's base must be a struct, and following bases must end; else the base is dropped. */
  private checkBase(type: StructType): void {
    if (type.base === undefined) return;
    const base = this.types.get(type.base);
    if (base?.kind !== 'struct') {
      this.diagnostics.error(codes.badBase, `'${type.name}' has base '${type.base}', which is not a struct`, type.loc);
      delete type.base;
      return;
    }
    const chain = new Set([type.name]);
    for (let next: NamedType | undefined = base; next?.kind === 'struct'; next = next.base === undefined ? undefined : this.types.get(next.base)) {
      if (next.name === type.name) {
        this.diagnostics.error(codes.baseLoop, `'${type.name}' is its own base (through '${type.base}')`, type.loc);
        delete type.base;
        return;
      }
      if (chain.has(next.name)) return; // a loop further up, reported at its own structs
      chain.add(next.name);
    }
  }

  /** A struct's members on the wire: its bases' first (checkBase broke any loop). */
  private flatMembers(type: StructType): Member[] {
    const base = type.base === undefined ? undefined : this.types.get(type.base);
    const inherited = base?.kind === 'struct' ? this.flatMembers(base) : [];
    return [...inherited, ...type.members].map((member) => ({ ...member }));
  }

  // -------------------------------------------------------------------------------------------
  // Commands and events

  private command(definition: CommandDefinition): Command {
    const use = new DocUse(definition.doc);
    const { doc, since, examples } = this.docParts(definition.doc);
    const command: Command = { name: definition.name, doc, arguments: [], examples, loc: definition.loc };
    if (since !== undefined) command.since = since;
    const data = this.data(definition, use);
    command.arguments = data.members;
    if (data.type) command.argumentsType = data.type;
    if (definition.returns) command.returns = this.ref(definition.returns);
    this.featuresOf(definition.features, use, command);
    if (definition.if !== undefined) command.if = definition.if;
    const flags: CommandFlags = {};
    if (definition.boxed) flags.boxed = true;
    if (definition.allowOob) flags.allowOob = true;
    if (definition.allowPreconfig) flags.allowPreconfig = true;
    if (definition.coroutine) flags.coroutine = true;
    if (!definition.successResponse) flags.successResponse = false;
    if (!definition.gen) flags.gen = false;
    if (Object.keys(flags).length > 0) command.flags = flags;
    this.finishDoc(definition, use);
    return command;
  }

  private event(definition: EventDefinition): Event {
    const use = new DocUse(definition.doc);
    const { doc, since, examples } = this.docParts(definition.doc);
    const data = this.data(definition, use);
    const event: Event = { name: definition.name, doc, data: data.members, examples, loc: definition.loc };
    if (data.type) event.dataType = data.type;
    if (since !== undefined) event.since = since;
    this.featuresOf(definition.features, use, event);
    if (definition.if !== undefined) event.if = definition.if;
    this.finishDoc(definition, use);
    return event;
  }

  /**
   * The members on the wire for a command's or event's `data`: inline members; a named struct's
   * members (its bases' first); for a boxed union, its base members.
   */
  private data(definition: CommandDefinition | EventDefinition, use: DocUse): { members: Member[]; type?: NamedTypeRef } {
    const data = definition.data;
    if (data === undefined) return { members: [] };
    if (Array.isArray(data)) return { members: this.members(data, use) };
    if (!this.isType(data.name, data.loc)) return { members: [] };
    const type = this.types.get(data.name);
    let members: Member[] = [];
    if (type?.kind === 'struct') members = this.flatMembers(type);
    else if (type?.kind === 'union' && definition.boxed) members = type.baseMembers.map((member) => ({ ...member }));
    else if (!definition.boxed || type?.kind !== 'alternate') {
      this.diagnostics.error(
        codes.badData,
        `'data' of ${definition.meta} '${definition.name}' is '${data.name}', which is not a struct${definition.boxed ? '' : " (a union needs 'boxed': true)"}`,
        data.loc,
      );
    }
    // The definition's own doc may describe the members of its argument type, unless it is
    // boxed: then the type is the argument, documented where it is defined.
    if (!definition.boxed)
      for (const member of members) {
        const doc = use.member(member.name);
        if (doc !== undefined) member.doc = doc;
      }
    return { members, type: { kind: 'named', name: data.name } };
  }

  // -------------------------------------------------------------------------------------------
  // Members, references, features, docs

  private members(definitions: MemberDefinition[], use: DocUse, prefix = ''): Member[] {
    return definitions.map((definition) => {
      const member: Member = {
        name: definition.name,
        type: this.ref(definition.type, use, `${prefix}${definition.name}.`),
        optional: definition.optional,
        loc: definition.loc,
      };
      const doc = use.member(prefix + definition.name);
      if (doc !== undefined) {
        member.doc = doc;
        Object.assign(member, memberNotes(doc));
      }
      this.featuresOf(definition.features, use, member);
      if (definition.if !== undefined) member.if = definition.if;
      return member;
    });
  }

  /** `use`/`prefix` are for anonymous nested structs (≤ 2.2), documented as `@outer.inner:`. */
  private ref(expression: TypeExpression, use?: DocUse, prefix = ''): TypeRef {
    switch (expression.kind) {
      case 'name':
        return this.named(expression.name, expression.loc);
      case 'array':
        return { kind: 'array', of: this.named(expression.of, expression.loc) };
      case 'object':
        return { kind: 'object', members: this.members(expression.members, use ?? new DocUse(undefined), prefix), open: false };
    }
  }

  private named(name: string, loc: Location): TypeRef {
    if (isBuiltinName(name)) return { kind: 'builtin', name };
    // Hand-marshalled commands of QEMU ≤ 2.4 ('gen': 'no') named their free-form values so.
    if (name === '**' || name === 'visitor') return { kind: 'builtin', name: 'any' };
    if (name === 'dict') return { kind: 'object', members: [], open: true };
    if (this.isType(name, loc)) return { kind: 'named', name };
    return { kind: 'builtin', name: 'any' };
  }

  /** Whether `name` is a defined type; if not, an error says what it is instead. */
  private isType(name: string, loc: Location): boolean {
    const definition = this.definitions.get(name);
    if (definition && definition.meta !== 'command' && definition.meta !== 'event') return true;
    const what = definition ? `the ${definition.meta} '${name}', not a type` : `'${name}', which is not defined`;
    this.diagnostics.error(codes.unknownType, `uses ${what}`, loc);
    return false;
  }

  /** Sets `features` (with their docs) and `deprecated` on `target`. */
  private featuresOf(definitions: FeatureDefinition[], use: DocUse, target: { features?: Feature[]; deprecated?: string }): void {
    if (definitions.length === 0) return;
    target.features = definitions.map((definition) => {
      const feature: Feature = { name: definition.name };
      const doc = use.feature(definition.name);
      if (doc !== undefined) feature.doc = doc;
      else if (use.doc) this.diagnostics.warn(codes.docFeatureMissing, `feature '${definition.name}' lacks documentation`, definition.loc);
      if (definition.if !== undefined) feature.if = definition.if;
      if (definition.name === 'deprecated') target.deprecated = doc ?? '';
      return feature;
    });
  }

  /** The parts every named type shares. */
  private common(definition: Definition, use: DocUse): Omit<StructType, 'kind' | 'members'> {
    const { doc, since, examples } = this.docParts(definition.doc);
    const common: Omit<StructType, 'kind' | 'members'> = { name: definition.name, doc, loc: definition.loc };
    if (since !== undefined) common.since = since;
    if (examples.length > 0) common.examples = examples;
    this.featuresOf(definition.features, use, common);
    if (definition.if !== undefined) common.if = definition.if;
    return common;
  }

  private docParts(doc: DefinitionDoc | undefined): { doc: Doc; since?: string; examples: Command['examples'] } {
    if (!doc) return { doc: { description: '', notes: [] }, examples: [] };
    const result: Doc = { description: doc.description, notes: doc.notes, loc: doc.loc };
    if (doc.returns) result.returns = doc.returns.text;
    if (doc.errors) result.errors = doc.errors;
    if (doc.sections.length > 0) result.sections = doc.sections;
    const parts: { doc: Doc; since?: string; examples: Command['examples'] } = { doc: result, examples: doc.examples };
    if (doc.since !== undefined) parts.since = doc.since;
    return parts;
  }

  /** Reports what the doc comment describes that the definition lacks, or a missing comment. */
  private finishDoc(definition: Definition, use: DocUse): void {
    const doc = definition.doc;
    if (!doc) {
      this.diagnostics.warn(codes.docMissing, `${definition.meta} '${definition.name}' has no doc comment`, definition.loc);
      return;
    }
    if (doc.symbol !== definition.name) {
      this.diagnostics.warn(codes.docSymbolMismatch, `doc comment for '${doc.symbol}' precedes ${definition.meta} '${definition.name}'`, doc.loc);
    }
    for (const [name, { loc }] of doc.members) {
      if (!use.members.has(name))
        this.diagnostics.warn(codes.docUnknownMember, `documented member '${name}' does not exist in ${definition.meta} '${definition.name}'`, loc);
    }
    for (const [name, { loc }] of doc.features) {
      if (!use.features.has(name))
        this.diagnostics.warn(codes.docUnknownFeature, `documented feature '${name}' does not exist in ${definition.meta} '${definition.name}'`, loc);
    }
    if (doc.returns && definition.meta !== 'command') {
      this.diagnostics.warn(codes.docReturns, `'Returns:' in the doc of ${definition.meta} '${definition.name}', which is not a command`, doc.returns.loc);
    } else if (doc.returns && definition.meta === 'command' && definition.returns === undefined && !/\b(nothing|error)\b/i.test(doc.returns.text)) {
      // "Returns: nothing on success" and "Returns: error if ..." were QEMU's own wording for years: true, not a slip.
      this.diagnostics.warn(codes.docReturns, `'Returns:' in the doc of command '${definition.name}', which returns nothing`, doc.returns.loc);
    }
  }
}
