/**
 * IR type uses → TypeScript type expressions. Inline objects (the text documents' nested member
 * lists) are hoisted into named interfaces, named after where they appear (`QueryBlockResultItem`),
 * so every object a user handles has a name to import and hover.
 */
import { StructureKind, type InterfaceDeclarationStructure, type PropertySignatureStructure } from './ts-morph.js';
import { conditionText, factsOf, type ModelFacts } from '../../ir/facts.js';
import type { BuiltinName, Condition, Feature, Member, NamedType, QmpModel, TypeRef } from '../../ir/types.js';
import { NameRegistry, pascalCase, propertyName, stringLiteral } from './names.js';
import { jsDoc } from './tsdoc.js';

// The integers that can leave JavaScript's exact range are the runtime's branded numbers, so that
// a bigint-mode client's types can tell them from the narrower ones (`InMode` in the runtime).
const builtinTypes: Record<BuiltinName, string> = {
  str: 'string',
  int: 'Int64',
  int8: 'number',
  int16: 'number',
  int32: 'number',
  int64: 'Int64',
  uint8: 'number',
  uint16: 'number',
  uint32: 'number',
  uint64: 'Uint64',
  size: 'Size',
  number: 'number',
  bool: 'boolean',
  null: 'null',
  any: 'unknown',
  QType: 'QType',
};

/** The runtime's wide integer types, which `types.ts` imports when it uses them. */
export const wideIntegerNames: ReadonlySet<string> = new Set(['Int64', 'Uint64', 'Size']);

/** The type parameter of a command function: the mode of the client it is given. */
export const modeParameter = 'Mode';

/** The type every empty JSON object maps to: no arguments, an empty reply, an event without data. */
export const emptyObjectName = 'EmptyObject';

/**
 * Names a model type must not take: those the emitter declares or imports in every target, and
 * the globals generated code uses (a QAPI type called `Promise` would shadow the real one).
 */
export const emitterNames = [
  emptyObjectName,
  'QType',
  'Commands',
  'Events',
  'CommandName',
  'EventName',
  'EventMessage',
  'QmpCaller',
  'CallOptions',
  'QmpEventMessage',
  'QmpEventSource',
  'WaitForEventOptions',
  'ClientMode',
  'InMode',
  modeParameter,
  ...wideIntegerNames,
  'Promise',
  'Record',
  'Array',
  'Object',
  'String',
  'Number',
  'Boolean',
  'Error',
  'Symbol',
  'Function',
];

export class TypeContext {
  readonly names: NameRegistry;
  /** Interfaces hoisted from inline objects, in the order they were first met. */
  readonly hoisted: InterfaceDeclarationStructure[] = [];
  private readonly typeNames = new Map<string, string>();
  /** The model's facts (types by name, struct wire members), shared with every other output. */
  readonly facts: ModelFacts;
  usesQType = false;

  constructor(readonly model: QmpModel) {
    this.names = new NameRegistry(emitterNames);
    this.facts = factsOf(model);
    for (const type of model.types) {
      this.typeNames.set(type.name, this.names.claim(pascalCase(type.name), `type ${type.name}`));
    }
  }

  /** The TypeScript name of a model type. */
  nameOf(modelName: string): string {
    const name = this.typeNames.get(modelName);
    if (name === undefined) throw new Error(`type ${modelName} is referenced but not defined in the model`);
    return name;
  }

  lookup(modelName: string): NamedType | undefined {
    return this.facts.type(modelName);
  }

  /** A TypeScript type expression for `ref`; `hint` names any inline object that must be hoisted. */
  type(ref: TypeRef, hint: string): string {
    switch (ref.kind) {
      case 'builtin':
        if (ref.name === 'QType') this.usesQType = true;
        return builtinTypes[ref.name];
      case 'named':
        return this.nameOf(ref.name);
      case 'array': {
        const element = this.type(ref.of, `${hint}Item`);
        return /^[\w.]+$/.test(element) ? `${element}[]` : `Array<${element}>`;
      }
      case 'enum':
        return ref.values.length === 0 ? 'string' : ref.values.map((v) => stringLiteral(v.name)).join(' | ');
      case 'union':
        return [...new Set(ref.of.map((t, i) => this.type(t, `${hint}${i + 1}`)))].join(' | ');
      case 'object':
        if (ref.members.length === 0) return ref.open ? 'Record<string, unknown>' : emptyObjectName;
        return this.hoist(hint, ref.members, ref.open);
    }
  }

  /** Declares an interface for an inline member list and returns its name. */
  hoist(hint: string, members: Member[], open: boolean, extra: Partial<InterfaceDeclarationStructure> = {}): string {
    const name = this.names.claim(hint, `inline object ${hint}`);
    const declaration: InterfaceDeclarationStructure = {
      kind: StructureKind.Interface,
      name,
      isExported: true,
      ...extra,
      properties: [],
    };
    // Reserve the slot first so nested hoists come after their parent, reading top-down.
    this.hoisted.push(declaration);
    declaration.properties = this.properties(members, name);
    if (open) declaration.indexSignatures = [{ keyName: 'key', keyType: 'string', returnType: 'unknown' }];
    return name;
  }

  properties(members: Member[], ownerName: string): PropertySignatureStructure[] {
    return members.map((member) => ({
      kind: StructureKind.PropertySignature,
      name: propertyName(member.name),
      hasQuestionToken: member.optional,
      type: this.type(member.type, `${ownerName}${pascalCase(member.name)}`),
      docs: optionalDoc(
        jsDoc({
          doc: member.doc || member.notes ? { description: member.doc ?? '', notes: member.notes ?? [] } : undefined,
          since: member.since,
          deprecated: member.deprecated,
          extra: [...conditionNote(member.if), ...featureNotes(member.features), ...defaultNote(member.default)],
        }),
      ),
    }));
  }
}

export function optionalDoc<T>(doc: T | undefined): T[] {
  return doc === undefined ? [] : [doc];
}

/** `if` conditions left in the model (no build configuration chosen) are told to the reader. */
export function conditionNote(condition: Condition | undefined): string[] {
  return condition === undefined ? [] : [`Available only where the build configuration has ${conditionText(condition)}.`];
}

/** Features other than `deprecated` (which has its own tag) are listed in the documentation. */
export function featureNotes(features: Feature[] | undefined): string[] {
  return (features ?? [])
    .filter((f) => f.name !== 'deprecated')
    .map((f) =>
      f.name === 'unstable'
        ? `Unstable: ${f.doc ?? 'this interface may change incompatibly or be removed.'}`
        : `Feature \`${f.name}\`${f.doc ? `: ${f.doc}` : ''}`,
    );
}

function defaultNote(value: string | undefined): string[] {
  return value === undefined ? [] : [`Default: ${value}.`];
}
