/**
 * The documents' type words onto the IR's types: `json-string` → `str`, `json-int` → `int`,
 * `json-bool` → `bool`, `json-double`/`json-number` → `number`, `json-value` → `any`,
 * `json-object` → an open object, `json-array of X` → an array of X, `X or Y` → a union.
 * Spellings the documents also use (`json-str`, `json_string`, `json-dict`, the schema's `int`)
 * read as the type meant, with a note; QAPI type names (`NewImageMode`) cannot resolve in a text
 * document's model and read as `any`.
 */
import type { BuiltinName, TypeRef } from '../../ir/types.js';
import type { TypeExprNode } from './grammar.js';

export interface TypeReading {
  type: TypeRef;
  /** Irregular spellings met, e.g. `json-str` (read as `json-string`). */
  spellings: string[];
  /** QAPI type names met (`NewImageMode`): read as `any`. */
  schemaNames: string[];
  /** Tokens not known at all: read as `any`. */
  unknown: string[];
  /** True when some part is an object (`json-object`), which nested members may fill. */
  object: boolean;
}

const builtinWords: Record<string, { name: BuiltinName; canonical: boolean }> = {
  'json-string': { name: 'str', canonical: true },
  'json-str': { name: 'str', canonical: false },
  json_string: { name: 'str', canonical: false },
  json_str: { name: 'str', canonical: false },
  'json-int': { name: 'int', canonical: true },
  json_int: { name: 'int', canonical: false },
  'json-integer': { name: 'int', canonical: false },
  'json-bool': { name: 'bool', canonical: true },
  json_bool: { name: 'bool', canonical: false },
  'json-boolean': { name: 'bool', canonical: false },
  'json-double': { name: 'number', canonical: true },
  'json-number': { name: 'number', canonical: true },
  'json-value': { name: 'any', canonical: true },
  string: { name: 'str', canonical: false },
  str: { name: 'str', canonical: false },
  int: { name: 'int', canonical: false },
  integer: { name: 'int', canonical: false },
  bool: { name: 'bool', canonical: false },
  boolean: { name: 'bool', canonical: false },
  number: { name: 'number', canonical: false },
};

const objectWords: Record<string, boolean> = { 'json-object': true, json_object: false, 'json-dict': false, dict: false };

export const anyType: TypeRef = { kind: 'builtin', name: 'any' };

/** Reads a type expression as written; nested members are filled in by `members.ts`. */
export function readTypeExpr(expr: TypeExprNode): TypeReading {
  const reading: TypeReading = { type: anyType, spellings: [], schemaNames: [], unknown: [], object: false };
  reading.type = read(expr, reading);
  return reading;
}

function read(expr: TypeExprNode, reading: TypeReading): TypeRef {
  switch (expr.kind) {
    case 'union':
      return { kind: 'union', of: expr.of.map((e) => read(e, reading)) };
    case 'array':
      return { kind: 'array', of: expr.of ? read(expr.of, reading) : anyType };
    case 'schema':
      reading.schemaNames.push(expr.name);
      return anyType;
    case 'token': {
      // "json-objects" in "a json-array of json-objects"
      const word = expr.token.toLowerCase().replace(/s$/, '');
      const builtin = builtinWords[word] ?? builtinWords[expr.token.toLowerCase()];
      if (builtin) {
        if (!builtin.canonical) reading.spellings.push(expr.token);
        return { kind: 'builtin', name: builtin.name };
      }
      const object = objectWords[word];
      if (object !== undefined) {
        if (!object) reading.spellings.push(expr.token);
        reading.object = true;
        return { kind: 'object', members: [], open: true };
      }
      reading.unknown.push(expr.token);
      return anyType;
    }
  }
}
