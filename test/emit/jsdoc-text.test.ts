/**
 * JSDoc blocks printed beside ts-morph's writer come out as ts-morph prints them: single-line and
 * multi-line descriptions, blank lines, tags with and without text, on statements and members.
 */
import { describe, expect, it } from 'vitest';
import { JsDocTexts } from '../../codegen/emit/typescript/jsdoc-text.js';
import type { JSDocStructure, OptionalKind } from 'ts-morph';
import { printStructure, StructureKind, type InterfaceDeclarationStructure } from '../../codegen/emit/typescript/ts-morph.js';

const docs: (OptionalKind<JSDocStructure> | string)[][] = [
  [{ kind: StructureKind.JSDoc, description: 'One line.' }],
  [{ kind: StructureKind.JSDoc, description: 'First paragraph.\n\nSecond, with `code` and "quotes" and \'apostrophes\'.' }],
  [
    {
      kind: StructureKind.JSDoc,
      description: 'Tagged.',
      tags: [
        { kind: StructureKind.JSDocTag, tagName: 'since', text: '2.0' },
        { kind: StructureKind.JSDocTag, tagName: 'deprecated' },
      ],
    },
  ],
  [{ kind: StructureKind.JSDoc, tags: [{ kind: StructureKind.JSDocTag, tagName: 'example', text: '\n```json\n{ "execute": "stop" }\n```' }] }],
  ['A plain string doc.'],
  [{ kind: StructureKind.JSDoc, description: '\nStarts with a line break.' }],
];

describe('JSDoc text', () => {
  it('prints every block as ts-morph does, on statements and on members', () => {
    const statements: InterfaceDeclarationStructure[] = docs.map((d, i) => ({
      kind: StructureKind.Interface,
      name: `I${i}`,
      isExported: true,
      docs: d,
      properties: [{ name: 'member', type: 'string', docs: d }],
    }));
    const options = { indentNumberOfSpaces: 2, useSingleQuote: true };
    const direct = printStructure({ kind: StructureKind.SourceFile, statements }, options);
    const texts = new JsDocTexts();
    const beside = texts.putBack(printStructure({ kind: StructureKind.SourceFile, statements: texts.takeFrom(statements) }, options));
    expect(beside).toBe(direct);
    expect(statements[0]!.docs).toEqual(docs[0]); // the caller's structures are left as they were
  });
});
