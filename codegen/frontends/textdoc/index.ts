/**
 * The text-document front end: QEMU's `qmp-commands.txt`, `qmp-events.txt` (0.13 to 2.8) and
 * `.hx` sources into the IR. See README.md in this folder for the readings it makes.
 *
 *   .hx ──hx.ts──▶ text ──document.peggy──▶ blocks ──definitions.ts──▶ entries ──names-across-documents.ts──▶ IR
 *                                        (members.ts + member-text.peggy, examples.ts)
 */
import type { Command, Diagnostic, Example, Location, QmpModel } from '../../ir/types.js';
import { Diagnostics, sortDiagnostics } from '../../ir/diagnostics.js';
import { codes } from './codes.js';
import type { ReadContext } from './context.js';
import { readDefinition, type EntryKind } from './definitions.js';
import { readExamplesSection, readMessage } from './examples.js';
import { LineIndex, maxNesting, parseDocument, parseMemberText, type BlockNode, type DocumentNode, type MemberTextSegment } from './grammar.js';
import { extractQmpFromHx, hxSourceLine } from './hx.js';
import { settleNames, type ReadDocument } from './names-across-documents.js';

export interface TextDocument {
  file: string;
  text: string;
  /** As told by `detectInput`; the front end may refine it. */
  kind: 'qmp-commands' | 'qmp-events' | 'hx';
}

/** Reads the documents together into one model (commands from one, events from another, ...). */
export function parseTextDocuments(docs: TextDocument[]): QmpModel {
  const diagnostics = new Diagnostics();
  const read = docs.map((doc) => readTextDocument(doc, diagnostics));
  const { commands, events } = settleNames(read, diagnostics);
  for (const command of commands) markUndocumentedReturns(command, diagnostics);
  const model: QmpModel = {
    irVersion: 1,
    source: { frontend: 'textdoc', files: docs.map((d) => d.file) },
    commands,
    events,
    types: [],
    diagnostics: sortDiagnostics(diagnostics.list),
  };
  const release = releaseOf(docs.map((d) => d.file));
  if (release !== undefined) model.source.release = release;
  return model;
}

function readTextDocument(doc: TextDocument, diagnostics: Diagnostics): ReadDocument {
  let text = doc.text.replace(/^\uFEFF/, '');
  let mapLine = (line: number): number => line;
  if (doc.kind === 'hx') {
    const extraction = extractQmpFromHx(text, doc.file);
    for (const d of extraction.diagnostics) report(diagnostics, d);
    if (extraction.sourceLine.length === 0) {
      diagnostics.warn(codes.hxNoQmp, 'no SQMP block: this .hx file documents no QMP command', { file: doc.file, line: 1, column: 1 });
    }
    text = extraction.text;
    mapLine = (line) => hxSourceLine(extraction, line);
  }
  const lines = new LineIndex(text);
  const memberTexts = new Map<string, readonly MemberTextSegment[]>();
  const ctx: ReadContext = {
    file: doc.file,
    diagnostics,
    at: (offset): Location => {
      const { line, column } = lines.position(offset);
      return { file: doc.file, line: mapLine(line), column };
    },
    memberText: (memberText) => {
      let segments = memberTexts.get(memberText);
      if (!segments) memberTexts.set(memberText, (segments = parseMemberText(memberText)));
      return segments;
    },
  };
  let tree: DocumentNode;
  try {
    const parsed = parseDocument(text);
    tree = parsed.tree;
    if (parsed.flattened) {
      diagnostics.warn(codes.nestingTooDeep, `brackets nested more than ${maxNesting} deep: the deeper ones are read as plain text`, ctx.at(0));
    }
  } catch (error) {
    // The grammar accepts every text: this is a safety net, not a way of reading.
    const offset = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset ?? 0;
    diagnostics.error(codes.grammarFailure, `could not read the document: ${(error as Error).message}`, ctx.at(offset));
    return { entries: [], strayExamples: [] };
  }
  checkEnding(text, tree, ctx, lines);
  const kind: EntryKind = doc.kind === 'qmp-events' ? 'event' : 'command';
  const strayExamples = [...readStray(tree.preamble, ctx)];
  const entries = [];
  for (const part of tree.parts) {
    if (part.kind === 'chapter') strayExamples.push(...readStray(part.blocks, ctx));
    else {
      try {
        entries.push(readDefinition(part, kind, ctx));
      } catch (error) {
        // A safety net too: one definition the front end fails on must not cost the others.
        diagnostics.error(codes.internalError, `could not read this definition: ${(error as Error).message}`, ctx.at(part.heading.loc));
      }
    }
  }
  return { entries, strayExamples };
}

/**
 * A document cut short is reported once, where it ends, naming the definition that may be
 * incomplete: what was read of it is kept, but members or examples may be missing.
 */
function checkEnding(text: string, tree: DocumentNode, ctx: ReadContext, lines: LineIndex): void {
  const last = tree.parts.at(-1);
  const blocks = last?.kind === 'definition' ? last.blocks.filter((b) => b.kind !== 'blank') : [];
  let cause: string | undefined;
  if (text.length > 0 && !text.endsWith('\n')) cause = 'ends mid-line (no final newline)';
  else if (endsInsideMember(blocks.at(-1))) cause = 'ends inside a member (its type never given)';
  else if (endsInsideMessage(blocks.at(-1))) cause = 'ends inside an example message (a bracket never closed)';
  if (cause === undefined) return;
  const name = last?.kind === 'definition' && last.heading.title.kind === 'names' ? last.heading.title.names[0]?.name : undefined;
  const what = name !== undefined ? `the last definition, ${name}, may be incomplete` : 'its last part may be incomplete';
  const end = lines.position(Math.max(0, text.trimEnd().length - 1));
  ctx.diagnostics.warn(codes.documentTruncated, `the document ${cause}: it looks cut short, and ${what}`, { file: ctx.file, line: end.line, column: 1 });
}

/** A member list last in the document whose last member has no parenthesised type. */
function endsInsideMember(block: BlockNode | undefined): boolean {
  const list = block?.kind === 'member-list' ? block : block?.kind === 'members-section' || block?.kind === 'returns-section' ? block.members : null;
  const member = list?.items.at(-1);
  if (member === undefined || member.name === null) return false;
  return !/\)/.test([member.text, ...member.more.map((m) => m.text)].join(' '));
}

/** An example message last in the document with more brackets opened than closed. */
function endsInsideMessage(block: BlockNode | undefined): boolean {
  const message = block?.kind === 'message' ? block : block?.kind === 'examples-section' ? block.items.filter((i) => i.kind === 'message').at(-1) : undefined;
  if (message === undefined || message.kind !== 'message') return false;
  let depth = 0;
  for (const c of message.text.replace(/"(?:[^"\\]|\\.)*"/g, '')) depth += c === '{' || c === '[' ? 1 : c === '}' || c === ']' ? -1 : 0;
  return depth > 0;
}

/**
 * Blocks outside any definition: prose is the document's own introduction; member lists and
 * JSON messages there are out of place, reported, and the messages kept so that commands they
 * execute are not lost.
 */
function* readStray(blocks: readonly BlockNode[], ctx: ReadContext): Generator<Example> {
  for (const block of blocks) {
    if (block.kind === 'member-list') {
      ctx.diagnostics.warn(codes.contentOutsideDefinition, 'member list outside any definition: ignored', ctx.at(block.loc));
    } else if (block.kind === 'message' && /^\s*[{[]/.test(block.text)) {
      ctx.diagnostics.warn(codes.contentOutsideDefinition, 'example message outside any definition', ctx.at(block.loc));
      yield { messages: [readMessage(block, ctx)], loc: ctx.at(block.loc) };
    } else if (block.kind === 'examples-section') {
      ctx.diagnostics.warn(codes.contentOutsideDefinition, 'example outside any definition', ctx.at(block.loc));
      yield* readExamplesSection(block, ctx);
    }
  }
}

/**
 * The text documents often say nothing of what a command returns. Absent `returns` means `{}` in
 * the IR, which is right for most commands; but where an example shows a reply that is not `{}`,
 * the command does return something the documents never describe: `any`, so the bindings say
 * `unknown` rather than a wrong `{}`.
 */
function markUndocumentedReturns(command: Command, diagnostics: Diagnostics): void {
  if (command.returns !== undefined) return;
  for (const example of command.examples) {
    for (const message of example.messages) {
      if (message.direction !== '<-' || typeof message.json !== 'object' || message.json === null || !('return' in message.json)) continue;
      const value = message.json.return;
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) continue;
      command.returns = { kind: 'builtin', name: 'any' };
      diagnostics.report(
        'info',
        codes.returnsUndocumented,
        `${command.name}: the documents describe no return value, but this example returns one: typed as any JSON value`,
        message.loc,
      );
      return;
    }
  }
}

function report(diagnostics: Diagnostics, d: Diagnostic): void {
  diagnostics.report(d.severity, d.code, d.message, { file: d.file, line: d.line, column: d.column });
}

/** `spec/qemu-2.8.0/qmp-commands.txt` → `2.8.0`, when every file says the same release. */
function releaseOf(files: readonly string[]): string | undefined {
  const releases = new Set(files.map((f) => /(?:^|[/\\])qemu-(\d+\.\d+(?:\.\d+)?)[/\\]/.exec(f)?.[1]));
  const [release] = releases;
  return releases.size === 1 && release !== undefined ? release : undefined;
}
