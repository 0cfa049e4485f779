/**
 * A minimal reader of a release's `qapi-schema/qapi-schema.json` (and the files it includes), for
 * use as an oracle only: the command names and their argument lists. It reads the schema's
 * Python-literal syntax (single-quoted strings, `#` comments, `true`/`false`) and nothing else;
 * the project's real QAPI front end is built elsewhere and deliberately not used here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface SchemaCommand {
  name: string;
  /** Null when `data` is a type name (`'data': 'BlockdevOptions', 'boxed': true`). */
  args: { name: string; optional: boolean }[] | null;
}

type Value = string | boolean | Value[] | { [key: string]: Value };

export function readSchemaCommands(entryFile: string): SchemaCommand[] {
  const commands: SchemaCommand[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const expr of parseExpressions(readFileSync(file, 'utf8'), file)) {
      if (typeof expr !== 'object' || Array.isArray(expr)) continue;
      if (typeof expr.include === 'string') visit(join(dirname(file), expr.include));
      else if (typeof expr.command === 'string') {
        const data = expr.data;
        const args =
          data === undefined
            ? []
            : typeof data === 'object' && !Array.isArray(data)
              ? Object.keys(data).map((key) => ({ name: key.replace(/^\*/, ''), optional: key.startsWith('*') }))
              : null;
        commands.push({ name: expr.command, args });
      }
    }
  };
  visit(entryFile);
  return commands;
}

function parseExpressions(text: string, file: string): Value[] {
  const tokens = tokenize(text);
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what} at token ${i} (${tokens[i] ?? 'end'})`);
  };
  const value = (): Value => {
    const token = tokens[i++];
    if (token === undefined) return fail('unexpected end');
    if (token === '{') {
      const object: { [key: string]: Value } = {};
      while (tokens[i] !== '}') {
        const key = tokens[i++];
        if (key === undefined || !key.startsWith("'")) fail('expected a key');
        if (tokens[i++] !== ':') fail('expected :');
        object[key!.slice(1, -1)] = value();
        if (tokens[i] === ',') i++;
      }
      i++;
      return object;
    }
    if (token === '[') {
      const array: Value[] = [];
      while (tokens[i] !== ']') {
        array.push(value());
        if (tokens[i] === ',') i++;
      }
      i++;
      return array;
    }
    if (token.startsWith("'")) return token.slice(1, -1);
    if (token === 'true' || token === 'True') return true;
    if (token === 'false' || token === 'False') return false;
    return fail('unexpected token');
  };
  const out: Value[] = [];
  while (i < tokens.length) out.push(value());
  return out;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|#[^\n]*|'[^']*'|[{}[\]:,]|[A-Za-z]+/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('#')) continue;
    tokens.push(t);
  }
  if (re.lastIndex < text.length) throw new Error(`cannot read schema text at offset ${re.lastIndex}`);
  return tokens;
}
