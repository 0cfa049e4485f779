/**
 * Typed access to doc.peggy: the lines of a `##` block, each told apart by kind. schema.peggy
 * reads doc comments with it (offsets are then into the schema file); `lexDocLines` reads a
 * piece of doc text on its own.
 */
import { parse } from './doc.parser.js';

interface LineBase {
  /** Spaces between `# ` and the text. */
  indent: number;
  /** Offset of the text (after the indentation) in the schema file. */
  offset: number;
}

export type DocLine =
  | (LineBase & { kind: 'blank' })
  | (LineBase & { kind: 'symbol'; name: string; text: string; spaceBeforeColon?: boolean })
  | (LineBase & { kind: 'features' })
  | (LineBase & { kind: 'tag'; tag: SectionTag; text: string; literal: boolean; noColon?: boolean })
  | (LineBase & { kind: 'directive'; name: string; text: string })
  | (LineBase & { kind: 'option'; name: string; text: string })
  | (LineBase & { kind: 'message'; arrow: '->' | '<-'; text: string })
  | (LineBase & { kind: 'heading'; level: number; text: string })
  | (LineBase & { kind: 'text'; text: string; noSpace?: boolean });

/** A lexed line and its text after `# ` and the indentation. */
export interface Line {
  line: DocLine;
  raw: string;
}

export type SectionTag = 'Returns' | 'Return' | 'Errors' | 'Since' | 'Notes' | 'Note' | 'Examples' | 'Example' | 'TODO';

/**
 * Lexes `text` (lines that start with `#`), found at `offset` in the file. Every comment line
 * is some kind of line (an unknown one is text), so this does not fail on a comment line.
 */
export function lexDocLines(text: string, offset: number): DocLine[] {
  const lines = parse(text) as DocLine[];
  for (const line of lines) line.offset += offset;
  return lines;
}
