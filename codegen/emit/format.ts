/**
 * Formats emitted TypeScript with prettier. Loaded lazily: a regeneration that finds nothing
 * changed never pays for prettier's start-up.
 *
 * Prettier spends most of its time on block comments (the generated files are more than half
 * TSDoc), while what it does to them is fixed: a JSDoc block on its own lines is re-indented to
 * its node, each inner line as ` * …` (prettier's `printIndentableBlockComment`). So each block is
 * swapped for a one-line placeholder comment, prettier formats the code, and the block is put back
 * at the placeholder's indentation exactly as prettier would print it. The tests check that the
 * result is what prettier itself accepts unchanged (`prettier.check`).
 */
import { createRequire } from 'node:module';
import type { Options, Plugin } from 'prettier';
import { prettierForm } from './prettier-form.js';

/** The one prettier configuration for generated code; changing it changes every target's bytes. */
export const prettierOptions: Options = {
  // babel-ts formats our output byte for byte as the typescript parser does (checked on every target),
  // in about half the time.
  parser: 'babel-ts',
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  proseWrap: 'preserve',
};

/** Bumped whenever what `formatTypeScript` does changes, so cached results of the old way are not used. */
export const formatVersion = 2;

const marker = '//@@qmp-codegen-jsdoc:';
const jsDocBlock = /^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*$/gm;

export async function formatTypeScript(text: string, file: string): Promise<string> {
  return formatWith(loadPrettier(), text, file);
}

type PrettierFormat = (text: string, options: Options) => Promise<string>;

let prettierFormat: PrettierFormat | undefined;

/**
 * prettier's format with the two plugins TypeScript needs, loaded with `require` from its
 * CommonJS build so that its compiled code comes from the compile cache. The same prettier as its
 * ES module entry, with the same output (the tests check the result with that entry).
 */
export function loadPrettier(): PrettierFormat {
  if (prettierFormat) return prettierFormat;
  const require = createRequire(import.meta.url);
  const { format } = require('prettier/standalone') as typeof import('prettier/standalone');
  const plugins = [require('prettier/plugins/babel') as Plugin, require('prettier/plugins/estree') as Plugin];
  prettierFormat = (text, options) => format(text, { ...options, plugins });
  return prettierFormat;
}

export async function formatWith(format: PrettierFormat, text: string, file: string): Promise<string> {
  const { shallow, blocks } = withoutJsDoc(text);
  let formatted: string;
  try {
    formatted = await format(shallow, { ...prettierOptions, filepath: file });
  } catch (error) {
    // A syntax error here is the emitter's bug; name the file so the generated text can be inspected.
    throw new Error(`prettier could not format generated ${file}: ${(error as Error).message}`, { cause: error });
  }
  return withJsDoc(formatted, blocks);
}

/**
 * One top-level statement as prettier would print it, when `prettierForm` knows that form
 * without running prettier; undefined otherwise.
 */
export function printWithoutPrettier(statement: string): string | undefined {
  const { shallow, blocks } = withoutJsDoc(statement);
  const form = prettierForm(shallow);
  return form === undefined ? undefined : withJsDoc(form, blocks);
}

/** Each JSDoc block swapped for a one-line placeholder comment. */
function withoutJsDoc(text: string): { shallow: string; blocks: string[] } {
  const blocks: string[] = [];
  const shallow = text.replace(jsDocBlock, (block) => {
    blocks.push(block.trim());
    return `${/^[ \t]*/.exec(block)![0]}${marker}${blocks.length - 1}`;
  });
  return { shallow, blocks };
}

/** The placeholders replaced by their blocks, at the placeholder's indentation. */
function withJsDoc(formatted: string, blocks: string[]): string {
  return formatted.replace(/^([ \t]*)\/\/@@qmp-codegen-jsdoc:(\d+)$/gm, (line: string, indent: string, n: string) => {
    const block = blocks[Number(n)];
    return block === undefined ? line : reindent(block, indent);
  });
}

/** A JSDoc block at `indent`, as prettier prints a block comment whose inner lines start with `*`. */
function reindent(block: string, indent: string): string {
  const lines = block.split('\n');
  if (lines.length === 1 || !lines.slice(1).every((l) => l.trimStart().startsWith('*'))) return indent + block;
  return lines.map((line, i) => (i === 0 ? indent + line.trimEnd() : `${indent} ${line.trim()}`)).join('\n');
}

/**
 * A file's top-level statements, split where prettier formats each alike: between statements that
 * stand apart (a blank line, then a line starting in column 0); each keeps its closing newline.
 * Formatting them apart and joining them with `\n` gives the bytes the whole file would give (the
 * tests check the joined files with `prettier.check`), so each can be printed, formatted on another
 * thread, or cached on its own.
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const boundary = /\n\n(?=(?:\/\*\*|export |import |type |interface |function |const |declare )[^\n]*)/g;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    out.push(text.slice(start, m.index + 1));
    start = m.index + 2;
  }
  out.push(text.slice(start));
  return out;
}
