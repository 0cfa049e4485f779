/**
 * Schema expressions → typed definitions, checked as QEMU's scripts/qapi/expr.py checks them:
 * exactly one definition keyword, the keys each kind allows, the shape of each value. What is
 * wrong is a located `error` diagnostic and the rest of the schema is still read.
 *
 * Older spellings are read as QEMU of their day read them: `'type'` for `'struct'` (≤ 2.2),
 * members whose value is an object without `'type'` as anonymous nested structs (≤ 2.2),
 * unions without a discriminator as simple unions (≤ 6.2), `'discriminator': {}` as an
 * alternate (1.7–2.2), `'if'` as a C condition string or a list of them (3.0–6.0), and
 * `'gen': 'no'` (≤ 2.2). Old type names (`'**'`, `'visitor'`, `'dict'`) are model.ts's.
 */
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { Condition, Location } from '../../ir/types.js';
import { parseConditionText } from './condition.js';
import type { DefinitionDoc } from './doc.js';
import type { SchemaExpression } from './reader.js';
import type { SourceText } from './source.js';
import type { SchemaEntry, SchemaObject, SchemaValue } from './syntax.js';
import { codes, type QapiCode } from './codes.js';

export type DefinitionKind = 'enum' | 'struct' | 'union' | 'alternate' | 'command' | 'event';

export interface FeatureDefinition {
  name: string;
  if?: Condition;
  loc: Location;
}

/** A use of a type as written: a name, `['Name']`, or (≤ 2.2) an anonymous nested struct. */
export type TypeExpression =
  { kind: 'name'; name: string; loc: Location } | { kind: 'array'; of: string; loc: Location } | { kind: 'object'; members: MemberDefinition[]; loc: Location };

export interface MemberDefinition {
  name: string;
  optional: boolean;
  type: TypeExpression;
  if?: Condition;
  features: FeatureDefinition[];
  loc: Location;
}

export interface BranchDefinition {
  name: string;
  type: TypeExpression;
  if?: Condition;
  loc: Location;
}

interface DefinitionBase {
  name: string;
  if?: Condition;
  features: FeatureDefinition[];
  doc?: DefinitionDoc;
  loc: Location;
}

export interface EnumDefinition extends DefinitionBase {
  meta: 'enum';
  values: { name: string; if?: Condition; features: FeatureDefinition[]; loc: Location }[];
  prefix?: string;
}

export interface StructDefinition extends DefinitionBase {
  meta: 'struct';
  base?: { name: string; loc: Location };
  members: MemberDefinition[];
}

export interface UnionDefinition extends DefinitionBase {
  meta: 'union';
  /** A named base, or an inline one (its members). */
  base?: { name: string; loc: Location } | MemberDefinition[];
  /** Absent for a simple union (QEMU ≤ 6.2): then the tag is an implicit enum member `type`. */
  discriminator?: { name: string; loc: Location };
  branches: BranchDefinition[];
}

export interface AlternateDefinition extends DefinitionBase {
  meta: 'alternate';
  branches: BranchDefinition[];
}

export interface CommandDefinition extends DefinitionBase {
  meta: 'command';
  data?: { name: string; loc: Location } | MemberDefinition[];
  returns?: TypeExpression;
  boxed: boolean;
  gen: boolean;
  successResponse: boolean;
  allowOob: boolean;
  allowPreconfig: boolean;
  coroutine: boolean;
}

export interface EventDefinition extends DefinitionBase {
  meta: 'event';
  data?: { name: string; loc: Location } | MemberDefinition[];
  boxed: boolean;
}

export type Definition = EnumDefinition | StructDefinition | UnionDefinition | AlternateDefinition | CommandDefinition | EventDefinition;

/** The keys each kind allows (QEMU's expr.py). */
const allowedKeys: Record<DefinitionKind, { required: string[]; optional: string[] }> = {
  enum: { required: ['data'], optional: ['if', 'features', 'prefix'] },
  struct: { required: ['data'], optional: ['base', 'if', 'features'] },
  union: { required: ['data'], optional: ['base', 'discriminator', 'if', 'features'] },
  alternate: { required: ['data'], optional: ['if', 'features'] },
  command: {
    required: [],
    optional: ['data', 'returns', 'boxed', 'if', 'features', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine'],
  },
  event: { required: [], optional: ['data', 'boxed', 'if', 'features'] },
};

const metaKeys = ['enum', 'struct', 'union', 'alternate', 'command', 'event'] as const;

export function checkDefinitions(expressions: SchemaExpression[], diagnostics: Diagnostics): Definition[] {
  const definitions: Definition[] = [];
  for (const expression of expressions) {
    const definition = new ExpressionChecker(expression.source, diagnostics).check(expression.value, expression.doc);
    if (definition) definitions.push(definition);
  }
  return definitions;
}

class ExpressionChecker {
  constructor(
    private readonly source: SourceText,
    private readonly diagnostics: Diagnostics,
  ) {}

  check(value: SchemaObject, doc: DefinitionDoc | undefined): Definition | undefined {
    const loc = this.at(value.offset);
    const keys = new Map<string, SchemaEntry>();
    for (const entry of value.entries) {
      if (keys.has(entry.key)) this.error(codes.duplicateKey, `duplicate key '${entry.key}'`, entry.keyOffset);
      else keys.set(entry.key, entry);
    }
    const metas = metaKeys.filter((key) => keys.has(key));
    // `'type'` named a struct until QEMU 2.3 renamed it `'struct'`.
    let metaKey: string | undefined = metas.length === 1 ? metas[0] : undefined;
    if (metas.length === 0 && keys.has('type')) metaKey = 'type';
    if (metaKey === undefined) {
      this.diagnostics.error(codes.definitionKind, "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'", loc);
      return undefined;
    }
    const meta: DefinitionKind = metaKey === 'type' ? 'struct' : (metaKey as DefinitionKind);
    const nameEntry = keys.get(metaKey)!;
    if (nameEntry.value.kind !== 'string') {
      this.error(codes.badName, `'${metaKey}' requires a string name`, nameEntry.value.offset);
      return undefined;
    }
    const name = nameEntry.value.value;
    const allowed = allowedKeys[meta];
    for (const required of allowed.required) {
      if (!keys.has(required)) this.diagnostics.error(codes.missingKey, `${meta} '${name}' misses key '${required}'`, loc);
    }
    for (const [key, entry] of keys) {
      if (key === metaKey || allowed.required.includes(key) || allowed.optional.includes(key)) continue;
      const valid = [...allowed.required, ...allowed.optional].map((k) => `'${k}'`).join(', ');
      this.error(codes.unknownKey, `${meta} '${name}' has unknown key '${key}' (valid keys: ${valid})`, entry.keyOffset);
    }
    const base: DefinitionBase = { name, features: this.features(keys.get('features')?.value), loc };
    const condition = this.condition(keys.get('if')?.value);
    if (condition !== undefined) base.if = condition;
    if (doc) base.doc = doc;
    const data = keys.get('data')?.value;
    switch (meta) {
      case 'enum':
        return this.enumDefinition(base, data, keys.get('prefix')?.value);
      case 'struct': {
        const struct: StructDefinition = { ...base, meta, members: data ? this.members(data, "'data'") : [] };
        const baseName = this.typeName(keys.get('base')?.value, "'base'");
        if (baseName) struct.base = baseName;
        return struct;
      }
      case 'union':
        return this.unionDefinition(base, keys);
      case 'alternate':
        return { ...base, meta, branches: data ? this.branches(data, 'alternate') : [] };
      case 'command':
        return this.commandDefinition(base, keys);
      case 'event': {
        const boxed = this.flag(keys.get('boxed')?.value, 'boxed', true);
        const event: EventDefinition = { ...base, meta, boxed };
        const argument = this.arguments(data, boxed);
        if (argument) event.data = argument;
        return event;
      }
    }
  }

  private enumDefinition(base: DefinitionBase, data: SchemaValue | undefined, prefix: SchemaValue | undefined): EnumDefinition {
    const definition: EnumDefinition = { ...base, meta: 'enum', values: [] };
    if (prefix !== undefined) {
      if (prefix.kind === 'string') definition.prefix = prefix.value;
      else this.error(codes.badValue, "'prefix' must be a string", prefix.offset);
    }
    if (data === undefined) return definition;
    if (data.kind !== 'array') {
      this.error(codes.badValue, "enum 'data' must be an array", data.offset);
      return definition;
    }
    for (const item of data.items) {
      if (item.kind === 'string') {
        definition.values.push({ name: item.value, features: [], loc: this.at(item.offset) });
        continue;
      }
      if (item.kind !== 'object') {
        this.error(codes.badValue, "enum value must be a string or { 'name': ... }", item.offset);
        continue;
      }
      const keys = this.keysOf(item, ['name'], ['if', 'features'], "enum 'data' member");
      const name = keys.get('name');
      if (name?.kind !== 'string') {
        if (name) this.error(codes.badValue, "enum value 'name' must be a string", name.offset);
        continue;
      }
      const value: EnumDefinition['values'][number] = { name: name.value, features: this.features(keys.get('features')), loc: this.at(item.offset) };
      const condition = this.condition(keys.get('if'));
      if (condition !== undefined) value.if = condition;
      definition.values.push(value);
    }
    return definition;
  }

  private unionDefinition(base: DefinitionBase, keys: Map<string, SchemaEntry>): Definition {
    const data = keys.get('data')?.value;
    const discriminator = keys.get('discriminator')?.value;
    // `'discriminator': {}` made an "anonymous union", QEMU 1.7–2.2's alternate.
    if (discriminator?.kind === 'object' && discriminator.entries.length === 0) {
      if (keys.has('base')) this.error(codes.unknownKey, "an anonymous union (discriminator {}) takes no 'base'", keys.get('base')!.keyOffset);
      return { ...base, meta: 'alternate', branches: data ? this.branches(data, 'alternate') : [] };
    }
    const union: UnionDefinition = { ...base, meta: 'union', branches: data ? this.branches(data, 'union') : [] };
    if (discriminator !== undefined) {
      if (discriminator.kind === 'string') union.discriminator = { name: discriminator.value, loc: this.at(discriminator.offset) };
      else this.error(codes.badValue, "'discriminator' must be a member name", discriminator.offset);
    }
    const unionBase = keys.get('base')?.value;
    if (unionBase?.kind === 'object') union.base = this.members(unionBase, "'base'");
    else {
      const name = this.typeName(unionBase, "'base'");
      if (name) union.base = name;
    }
    if (union.discriminator && union.base === undefined) {
      this.diagnostics.error(codes.missingKey, `union '${union.name}' has a discriminator but no 'base'`, union.loc);
    }
    return union;
  }

  private commandDefinition(base: DefinitionBase, keys: Map<string, SchemaEntry>): CommandDefinition {
    const flag = (key: string, only: boolean): boolean => this.flag(keys.get(key)?.value, key, only);
    const command: CommandDefinition = {
      ...base,
      meta: 'command',
      boxed: flag('boxed', true),
      gen: !flag('gen', false),
      successResponse: !flag('success-response', false),
      allowOob: flag('allow-oob', true),
      allowPreconfig: flag('allow-preconfig', true),
      coroutine: flag('coroutine', true),
    };
    const data = this.arguments(keys.get('data')?.value, command.boxed);
    if (data) command.data = data;
    const returns = keys.get('returns')?.value;
    if (returns !== undefined) {
      const type = this.typeExpression(returns, "'returns'", false);
      if (type) command.returns = type;
    }
    return command;
  }

  /**
   * A flag may only take its one meaningful value (`true`, or `false` for `gen` and
   * `success-response`); returns whether it is set to that value.
   */
  private flag(value: SchemaValue | undefined, key: string, only: boolean): boolean {
    if (value === undefined) return false;
    // QEMU ≤ 2.2 wrote `'gen': 'no'` and `'success-response': 'no'`.
    if (!only && value.kind === 'string' && value.value === 'no') return true;
    if (value.kind !== 'boolean' || value.value !== only) {
      this.error(codes.badFlag, `flag '${key}' may only use ${only} value`, value.offset);
      return false;
    }
    return true;
  }

  private arguments(value: SchemaValue | undefined, boxed: boolean): CommandDefinition['data'] {
    if (value === undefined) return undefined;
    if (value.kind === 'string') return { name: value.value, loc: this.at(value.offset) };
    if (value.kind === 'object' && !boxed) return this.members(value, "'data'");
    this.error(codes.badValue, boxed ? "'data' of a boxed definition must be a type name" : "'data' must be an object or a type name", value.offset);
    return undefined;
  }

  private members(value: SchemaValue, what: string): MemberDefinition[] {
    if (value.kind !== 'object') {
      this.error(codes.badValue, `${what} must be an object`, value.offset);
      return [];
    }
    const members: MemberDefinition[] = [];
    const seen = new Set<string>();
    for (const { key, keyOffset, value: spec } of value.entries) {
      const optional = key.startsWith('*');
      const name = optional ? key.slice(1) : key;
      const loc = this.at(keyOffset);
      if (seen.has(name)) this.error(codes.duplicateMember, `${what} has member '${name}' twice`, keyOffset);
      seen.add(name);
      const member: MemberDefinition = { name, optional, type: { kind: 'name', name: 'any', loc }, features: [], loc };
      // `{ 'type': ..., 'if': ..., 'features': ... }`; an object with no 'type' is a nested
      // struct of QEMU ≤ 2.2, unless it holds only 'if'/'features' (a member spec missing 'type').
      const isSpec =
        spec.kind === 'object' &&
        (spec.entries.some((entry) => entry.key === 'type') ||
          (spec.entries.length > 0 && spec.entries.every((entry) => entry.key === 'if' || entry.key === 'features')));
      if (spec.kind === 'object' && isSpec) {
        const keys = this.keysOf(spec, ['type'], ['if', 'features'], `member '${name}'`);
        const typeValue = keys.get('type');
        const type = typeValue && this.typeExpression(typeValue, `member '${name}'`, false);
        if (type) member.type = type;
        const condition = this.condition(keys.get('if'));
        if (condition !== undefined) member.if = condition;
        member.features = this.features(keys.get('features'));
      } else {
        if (spec.kind === 'object') {
          this.diagnostics.warn(
            codes.memberNestedStruct,
            `member '${name}' has an object without 'type' for its type: read as an anonymous struct, as QEMU ≤ 2.2 did (QEMU 2.3 on wants 'type')`,
            this.at(spec.offset),
          );
        }
        const type = this.typeExpression(spec, `member '${name}'`, true);
        if (type) member.type = type;
      }
      members.push(member);
    }
    return members;
  }

  /** Union and alternate branches: `'name': 'Type'` or `'name': { 'type': ..., 'if': ... }`. */
  private branches(value: SchemaValue, what: 'union' | 'alternate'): BranchDefinition[] {
    if (value.kind !== 'object') {
      this.error(codes.badValue, `${what} 'data' must be an object`, value.offset);
      return [];
    }
    if (what === 'alternate' && value.entries.length === 0) this.error(codes.badValue, "alternate 'data' must not be empty", value.offset);
    const branches: BranchDefinition[] = [];
    const seen = new Set<string>();
    for (const { key, keyOffset, value: spec } of value.entries) {
      if (seen.has(key)) this.error(codes.duplicateMember, `${what} branch '${key}' appears twice`, keyOffset);
      seen.add(key);
      const branch: BranchDefinition = { name: key, type: { kind: 'name', name: 'any', loc: this.at(keyOffset) }, loc: this.at(keyOffset) };
      let typeValue: SchemaValue | undefined = spec;
      if (spec.kind === 'object') {
        const keys = this.keysOf(spec, ['type'], ['if'], `${what} branch '${key}'`);
        typeValue = keys.get('type');
        const condition = this.condition(keys.get('if'));
        if (condition !== undefined) branch.if = condition;
      }
      const type = typeValue && this.typeExpression(typeValue, `${what} branch '${key}'`, false);
      if (type) branch.type = type;
      branches.push(branch);
    }
    return branches;
  }

  /** `'Name'`, `['Name']`, or (where `nested`) an anonymous struct of QEMU ≤ 2.2. */
  private typeExpression(value: SchemaValue, what: string, nested: boolean): TypeExpression | undefined {
    const loc = this.at(value.offset);
    if (value.kind === 'string') return { kind: 'name', name: value.value, loc };
    if (value.kind === 'array') {
      const [element] = value.items;
      if (value.items.length === 1 && element?.kind === 'string') return { kind: 'array', of: element.value, loc };
      this.error(codes.badType, `${what}: an array type must contain a single type name`, value.offset);
      return undefined;
    }
    if (value.kind === 'object' && nested) return { kind: 'object', members: this.members(value, what), loc };
    this.error(codes.badType, `${what} should be a type name${nested ? ', an array or an object' : ' or array'}`, value.offset);
    return undefined;
  }

  private typeName(value: SchemaValue | undefined, what: string): { name: string; loc: Location } | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'string') return { name: value.value, loc: this.at(value.offset) };
    this.error(codes.badType, `${what} should be a type name`, value.offset);
    return undefined;
  }

  private features(value: SchemaValue | undefined): FeatureDefinition[] {
    if (value === undefined) return [];
    if (value.kind !== 'array') {
      this.error(codes.badValue, "'features' must be an array", value.offset);
      return [];
    }
    const features: FeatureDefinition[] = [];
    for (const item of value.items) {
      if (item.kind === 'string') {
        features.push({ name: item.value, loc: this.at(item.offset) });
        continue;
      }
      if (item.kind !== 'object') {
        this.error(codes.badValue, "a feature must be a string or { 'name': ... }", item.offset);
        continue;
      }
      const keys = this.keysOf(item, ['name'], ['if'], "'features' member");
      const name = keys.get('name');
      if (name?.kind !== 'string') {
        if (name) this.error(codes.badValue, "a feature's 'name' must be a string", name.offset);
        continue;
      }
      const feature: FeatureDefinition = { name: name.value, loc: this.at(item.offset) };
      const condition = this.condition(keys.get('if'));
      if (condition !== undefined) feature.if = condition;
      features.push(feature);
    }
    return features;
  }

  /**
   * `'if'`: a config symbol, or `{ 'all' | 'any': [...] }`, `{ 'not': ... }` (QEMU 6.1 on);
   * before that a C condition string such as `'defined(CONFIG_SPICE)'`, or a list of them (all).
   */
  private condition(value: SchemaValue | undefined): Condition | undefined {
    if (value === undefined) return undefined;
    switch (value.kind) {
      case 'string': {
        const condition = parseConditionText(value.value);
        if (typeof condition === 'string' || !('error' in condition)) return condition;
        this.error(codes.badCondition, `'if' condition '${value.value}' is neither a config symbol nor a C condition on them`, value.offset);
        return undefined;
      }
      case 'array': {
        const operands = value.items.map((item) => this.condition(item)).filter((c): c is Condition => c !== undefined);
        if (operands.length === 0) {
          this.error(codes.badCondition, "'if' condition [] is useless", value.offset);
          return undefined;
        }
        this.diagnostics.report(
          'info',
          codes.conditionList,
          "'if' as a list of conditions, as QEMU 3.0–6.0 wrote it: read as { 'all': [...] }",
          this.at(value.offset),
        );
        return operands.length === 1 ? operands[0] : { all: operands };
      }
      case 'object': {
        const [entry] = value.entries;
        if (value.entries.length !== 1 || !entry || !['all', 'any', 'not'].includes(entry.key)) {
          this.error(codes.badCondition, "'if' condition must have exactly one key 'all', 'any' or 'not'", value.offset);
          return undefined;
        }
        if (entry.key === 'not') {
          const operand = this.condition(entry.value);
          return operand === undefined ? undefined : { not: operand };
        }
        if (entry.value.kind !== 'array' || entry.value.items.length === 0) {
          this.error(codes.badCondition, `'${entry.key}' condition must be a non-empty array`, entry.value.offset);
          return undefined;
        }
        const operands = entry.value.items.map((item) => this.condition(item)).filter((c): c is Condition => c !== undefined);
        return entry.key === 'all' ? { all: operands } : { any: operands };
      }
      default:
        this.error(codes.badCondition, "'if' condition must be a string or an object", value.offset);
        return undefined;
    }
  }

  /** The entries of a small object (member spec, feature, enum value), its keys checked. */
  private keysOf(value: SchemaObject, required: string[], optional: string[], what: string): Map<string, SchemaValue> {
    const keys = new Map<string, SchemaValue>();
    for (const entry of value.entries) {
      if (keys.has(entry.key)) this.error(codes.duplicateKey, `duplicate key '${entry.key}'`, entry.keyOffset);
      else if (!required.includes(entry.key) && !optional.includes(entry.key)) {
        this.error(codes.unknownKey, `${what} has unknown key '${entry.key}'`, entry.keyOffset);
      } else keys.set(entry.key, entry.value);
    }
    for (const key of required) if (!keys.has(key)) this.error(codes.missingKey, `${what} misses key '${key}'`, value.offset);
    return keys;
  }

  private at(offset: number): Location {
    return this.source.locate(offset);
  }

  private error(code: QapiCode, message: string, offset: number): void {
    this.diagnostics.error(code, message, this.at(offset));
  }
}
