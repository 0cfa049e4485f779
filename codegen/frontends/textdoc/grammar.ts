/**
 * Typed face of the two grammars: `document.peggy` (the layout of a QMP text document) and
 * `member-text.peggy` (the prose and annotations after a member's name). The generated parsers
 * return `unknown`; the node types below are what their actions build.
 */
import { parse as parseDocumentText } from './document.parser.js';
import { parse as parseMemberTextRaw } from './member-text.parser.js';

/** Offsets into the parsed text; `LineIndex` turns them into line and column. */
export type Offset = number;

export interface DocumentNode {
  title: { text: string; loc: Offset } | null;
  /** Blocks before the first chapter or definition heading. */
  preamble: BlockNode[];
  parts: (ChapterNode | DefinitionNode)[];
}

export interface ChapterNode {
  kind: 'chapter';
  heading: { number: string; title: string; loc: Offset };
  blocks: BlockNode[];
}

export interface DefinitionNode {
  kind: 'definition';
  heading: HeadingNode;
  blocks: BlockNode[];
}

export interface HeadingNode {
  title: { kind: 'names'; at: boolean; names: { name: string; loc: Offset }[] } | { kind: 'prose'; text: string };
  /** Null when the heading has no underline at all. */
  underline: { char: string; length: number; loc: Offset } | null;
  loc: Offset;
}

export type BlockNode =
  | BlankNode
  | SinceNode
  | MembersSectionNode
  | ReturnsSectionNode
  | ExamplesSectionNode
  | NotesSectionNode
  | NamedSectionNode
  | MemberListNode
  | MessageNode
  | ParagraphNode
  | UnrecognisedNode;

export interface BlankNode {
  kind: 'blank';
}

export interface SinceNode {
  kind: 'since';
  version: string;
  loc: Offset;
}

/** `Arguments:` / `Data:` (possibly `None.`) and the member list under it. */
export interface MembersSectionNode {
  kind: 'members-section';
  title: 'Arguments' | 'Data';
  none: boolean;
  /** Whatever else follows the colon on the header line. */
  rest: string;
  members: MemberListNode | null;
  loc: Offset;
}

export interface ReturnsSectionNode {
  kind: 'returns-section';
  text: string[];
  members: MemberListNode | null;
  loc: Offset;
}

export interface ExamplesSectionNode {
  kind: 'examples-section';
  header: { plural: boolean; number: string | null; title: string; loc: Offset };
  items: (BlankNode | ExampleTitleNode | MessageNode | ParagraphNode | UnrecognisedNode)[];
  loc: Offset;
}

export interface ExampleTitleNode {
  kind: 'example-title';
  text: string;
  loc: Offset;
}

export interface NotesSectionNode {
  kind: 'notes-section';
  word: 'Note' | 'Notes' | 'NOTE';
  first: { text: string; more: TextLineNode[] };
  items: { number: string | null; text: string; more: (TextLineNode & { blank?: number })[]; loc: Offset }[];
  loc: Offset;
}

export interface NamedSectionNode {
  kind: 'named-section';
  title: string;
  text: string[];
  loc: Offset;
}

export interface MemberListNode {
  kind: 'member-list';
  items: MemberItemNode[];
  loc: Offset;
}

/** One line of a member list and the lines that continue it. */
export interface MemberItemNode {
  /**
   * `member`: `- "name": text`; `array`: `keys array:`; `values`: `- Possible values: ...`;
   * `bare`: `"name": text` (no dash); `value`: `"value" - text`; `unnamed`: `- text`.
   */
  kind: 'member' | 'array' | 'values' | 'bare' | 'value' | 'unnamed';
  indent: string;
  name: string | null;
  /** Every name the line gives (`"cyls", "heads", "secs"`); `[name]` mostly. */
  names: string[];
  quoted: boolean;
  colon: boolean;
  text: string;
  more: ContinuationNode[];
  loc: Offset;
}

export interface TextLineNode {
  indent: string;
  text: string;
  loc: Offset;
}

export interface ContinuationNode extends TextLineNode {
  /** Blank lines between this line and the one before. */
  blank: number;
}

export interface MessageNode {
  kind: 'message';
  /** Null for a bare `{ "event": ... }` message. */
  arrow: '->' | '<-' | null;
  text: string;
  loc: Offset;
  /** Where `text` starts. */
  textLoc: Offset;
}

export interface ParagraphNode {
  kind: 'paragraph';
  lines: TextLineNode[];
  loc: Offset;
}

export interface UnrecognisedNode {
  kind: 'unrecognised';
  text: string;
  loc: Offset;
}

/**
 * The document's blocks. Brackets nest by recursion in the grammar; nesting deep enough to
 * exhaust the stack (thousands deep, which no document has) is read again with the brackets past
 * `maxNesting` taken as plain characters, and `flattened` says so.
 */
export function parseDocument(text: string): { tree: DocumentNode; flattened: boolean } {
  try {
    return { tree: parseDocumentText(text) as DocumentNode, flattened: false };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { tree: parseDocumentText(flattenBrackets(text, '{[', '}]')) as DocumentNode, flattened: true };
  }
}

// ---------------------------------------------------------------------------------------------
// Member text

export type TypeExprNode =
  | { kind: 'token'; token: string }
  | { kind: 'schema'; name: string }
  | { kind: 'array'; of: TypeExprNode | null; token: string }
  | { kind: 'union'; of: TypeExprNode[] };

export type GroupItemNode =
  | { kind: 'type'; type: TypeExprNode; text: string }
  | { kind: 'optional' }
  | { kind: 'default'; value: string }
  | { kind: 'since'; version: string }
  | { kind: 'deprecated'; reason: string }
  | { kind: 'fixed' }
  /** Quoted values; `oneOf` when the group says so (`(one of 'a', 'b')`). */
  | { kind: 'values'; values: string[]; oneOf: boolean }
  | { kind: 'prose'; text: string; values: string[]; mentions: TypeMentionNode[] };

export interface TypeMentionNode {
  kind: 'type-mention';
  type: TypeExprNode;
  start: number;
  end: number;
}

export type MemberTextSegment =
  | { kind: 'group'; items: GroupItemNode[]; start: number; end: number; text: string }
  | TypeMentionNode
  | { kind: 'schema-mention'; name: string; start: number; end: number }
  | { kind: 'quoted'; value: string; start: number; end: number }
  | { kind: 'optional-mention'; start: number; end: number }
  | { kind: 'deprecated-mention'; start: number; end: number }
  | { kind: 'default-mention'; value: string; start: number; end: number };

export function parseMemberText(text: string): MemberTextSegment[] {
  try {
    return parseMemberTextRaw(text) as MemberTextSegment[];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return parseMemberTextRaw(flattenBrackets(text, '(', ')')) as MemberTextSegment[];
  }
}

/** How deep brackets may nest before the grammars take deeper ones for plain characters. */
export const maxNesting = 200;

/** The text with brackets nested deeper than `maxNesting` replaced by spaces (offsets kept). */
function flattenBrackets(text: string, open: string, close: string): string {
  let depth = 0;
  let out = '';
  for (const c of text) {
    if (open.includes(c)) depth++;
    out += (open.includes(c) && depth > maxNesting) || (close.includes(c) && depth > maxNesting) ? ' ' : c;
    if (close.includes(c) && depth > 0) depth--;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Offsets to lines and columns

/** Line starts of a text, to turn offsets into 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: Offset): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}
