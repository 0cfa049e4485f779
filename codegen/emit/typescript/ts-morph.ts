/**
 * ts-morph, loaded with `require`. Imported as an ES module, this CommonJS package makes Node
 * scan its source for export names first (cjs-module-lexer), about 0.1 s of every generation; and
 * its compiled code (the TypeScript compiler with it) comes from the compile cache, when the
 * program enabled it (`bin/qmp-codegen.js` does; a library never patches the loader).
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

export const { printStructure, StructureKind, VariableDeclarationKind, Writers } = tsMorph;
export type StructureKind = TsMorph.StructureKind;
export type VariableDeclarationKind = TsMorph.VariableDeclarationKind;
export type {
  FunctionDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  JSDocStructure,
  JSDocTagStructure,
  PropertySignatureStructure,
  SourceFileStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
  WriterFunction,
} from 'ts-morph';
