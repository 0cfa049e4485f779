/**
 * The model's named types → ts-morph declarations: structs become interfaces, enums string
 * literal unions, discriminated unions unions of intersections (so `driver: 'file'` narrows to the
 * members the `file` driver needs), alternates unions of their alternatives.
 */
import { StructureKind, type StatementStructures } from './ts-morph.js';
import type { AlternateType, EnumType, NamedType, StructType, UnionType } from '../../ir/types.js';
import { jsDoc } from './tsdoc.js';
import { conditionNote, emptyObjectName, featureNotes, optionalDoc, type TypeContext } from './typerefs.js';
import { pascalCase, propertyName, stringLiteral } from './names.js';

export function namedTypeDeclaration(ctx: TypeContext, type: NamedType): StatementStructures {
  switch (type.kind) {
    case 'struct':
      return structDeclaration(ctx, type);
    case 'enum':
      return enumDeclaration(ctx, type);
    case 'union':
      return unionDeclaration(ctx, type);
    case 'alternate':
      return alternateDeclaration(ctx, type);
  }
}

function typeDocs(type: NamedType, extra: string[] = []) {
  return optionalDoc(
    jsDoc({
      doc: type.doc,
      deprecated: type.deprecated,
      since: type.since,
      examples: type.examples,
      extra: [...extra, ...conditionNote(type.if), ...featureNotes(type.features)],
    }),
  );
}

function structDeclaration(ctx: TypeContext, type: StructType): StatementStructures {
  const name = ctx.nameOf(type.name);
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    extends: type.base ? [ctx.nameOf(type.base)] : [],
    properties: ctx.properties(type.members, name),
    docs: typeDocs(type),
  };
}

function enumDeclaration(ctx: TypeContext, type: EnumType): StatementStructures {
  // A union cannot carry per-member docs, so the values' docs are listed in the type's own.
  const valueDocs = type.values
    .filter((v) => v.doc || v.deprecated !== undefined || v.if !== undefined)
    .map((v) => {
      const notes = [v.doc ?? '', v.deprecated !== undefined ? `(deprecated${v.deprecated ? `: ${v.deprecated}` : ''})` : '', ...conditionNote(v.if)].filter(
        Boolean,
      );
      return `- \`${v.name}\`: ${notes.join(' ').replace(/\n/g, '\n  ')}`;
    });
  return {
    kind: StructureKind.TypeAlias,
    name: ctx.nameOf(type.name),
    isExported: true,
    type: type.values.length === 0 ? 'never' : type.values.map((v) => stringLiteral(v.name)).join(' | '),
    docs: typeDocs(type, valueDocs.length > 0 ? [valueDocs.join('\n')] : []),
  };
}

function unionDeclaration(ctx: TypeContext, type: UnionType): StatementStructures {
  const name = ctx.nameOf(type.name);
  const base = type.base ? ctx.nameOf(type.base) : ctx.hoist(`${name}Base`, type.baseMembers, false);
  const branches: string[] = [];
  const covered = new Set<string>();
  for (const variant of type.variants) {
    covered.add(variant.value);
    const members = ctx.type(variant.type, `${name}${pascalCase(variant.value)}`);
    const tag = `{ ${propertyName(type.discriminator)}: ${stringLiteral(variant.value)} }`;
    // A variant that adds no members adds nothing to the intersection (`EmptyObject` would forbid the base's).
    branches.push(members === emptyObjectName ? tag : `(${tag} & ${members})`);
  }
  // Discriminator values without a branch add no members, but are still valid on the wire.
  for (const value of discriminatorValues(ctx, type)) {
    if (!covered.has(value)) branches.push(`{ ${propertyName(type.discriminator)}: ${stringLiteral(value)} }`);
  }
  return {
    kind: StructureKind.TypeAlias,
    name,
    isExported: true,
    // One branch needs no parentheses of its own (prettier would drop them).
    type: branches.length === 0 ? base : branches.length === 1 ? `${base} & ${branches[0]}` : `${base} & (${branches.join(' | ')})`,
    docs: typeDocs(type),
  };
}

/** The discriminator's enum values, read from the base member's type. */
function discriminatorValues(ctx: TypeContext, type: UnionType): string[] {
  const members = [...type.baseMembers, ...(type.base ? ctx.facts.structMembers(type.base) : [])];
  const tag = members.find((m) => m.name === type.discriminator);
  if (tag?.type.kind === 'enum') return tag.type.values.map((v) => v.name);
  if (tag?.type.kind === 'named') {
    const e = ctx.lookup(tag.type.name);
    if (e?.kind === 'enum') return e.values.map((v) => v.name);
  }
  return [];
}

function alternateDeclaration(ctx: TypeContext, type: AlternateType): StatementStructures {
  const name = ctx.nameOf(type.name);
  const options = [...new Set(type.alternatives.map((a) => ctx.type(a.type, `${name}${pascalCase(a.name)}`)))];
  return {
    kind: StructureKind.TypeAlias,
    name,
    isExported: true,
    type: options.length === 0 ? 'never' : options.join(' | '),
    docs: typeDocs(type),
  };
}
