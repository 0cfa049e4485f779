/**
 * A `##` doc comment → its parts: the symbol it documents, the description, `@member:` and
 * feature descriptions, tagged sections (`Returns:`, `Errors:`, `Since:`, `Note:`, `TODO:`) and
 * examples (`Example:` sections of QEMU ≤ 9.0, `.. qmp-example::` blocks of 9.1 on).
 *
 * The rules are QEMU's (scripts/qapi/parser.py, 7.2 and 10.2), read tolerantly: schemas before
 * 2.9 were never checked by QEMU, so what its later parser rejects is read as best it can be,
 * with a located warning, never an error.
 */
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { Example, Location } from '../../ir/types.js';
import { lexDocLines, type DocLine, type Line, type SectionTag } from './doc-lines.js';
import { parseExampleSection, parseQmpExample } from './examples.js';
import type { SourceText } from './source.js';
import type { DocCommentText } from './syntax.js';
import { codes, type QapiCode } from './codes.js';

/** A piece of documentation text and where it starts. */
export interface DocText {
  text: string;
  loc: Location;
}

export interface DefinitionDoc {
  /** The definition the block documents (`@name:` on its first line); absent for free-form blocks. */
  symbol?: string;
  loc: Location;
  description: string;
  members: Map<string, DocText>;
  features: Map<string, DocText>;
  returns?: DocText;
  errors?: string[];
  since?: string;
  notes: string[];
  sections: { title: string; text: string }[];
  examples: Example[];
}

type Section =
  | { kind: 'description' }
  | { kind: 'member' | 'feature'; name: string; lines: Line[]; first: string; loc: Location }
  | { kind: 'tag'; tag: SectionTag; lines: Line[]; first: string; loc: Location }
  | { kind: 'example'; lines: Line[]; loc: Location; indented: boolean }
  | { kind: 'note'; lines: Line[]; first: string; loc: Location };

export function parseDocComment(comment: DocCommentText, source: SourceText, diagnostics: Diagnostics): DefinitionDoc {
  // `## @Name` (older schemas): the text after `##` is read as the block's first line.
  const lines = comment.heading.trim() === '' ? comment.lines : [...lexDocLines(`#${comment.heading}`, comment.offset + 1), ...comment.lines];
  return new DocAssembler(source, diagnostics, comment.offset).run(lines);
}

class DocAssembler {
  private readonly doc: DefinitionDoc;
  private readonly description: Line[][] = [[]];
  private section: Section = { kind: 'description' };
  private inFeatures = false;
  private featuresSeen = false;
  private taggedSeen = false;
  private started = false;
  /** A `Features:` line not yet followed by a feature's `@name:` line. */
  private featuresPending?: number;
  /** The open section's indentation, set by its first continuation line. */
  private indent?: number;
  private freeformMemberSeen = false;

  constructor(
    private readonly source: SourceText,
    private readonly diagnostics: Diagnostics,
    offset: number,
  ) {
    this.doc = {
      loc: source.locate(offset),
      description: '',
      members: new Map(),
      features: new Map(),
      notes: [],
      sections: [],
      examples: [],
    };
  }

  run(lines: DocLine[]): DefinitionDoc {
    let previousBlank = false;
    for (const line of lines) {
      if (line.kind === 'text' && line.noSpace) this.warn(codes.docMissingSpace, "missing space after '#'", line.offset);
      const item: Line = { line, raw: this.rawText(line) };
      this.take(item, previousBlank);
      previousBlank = line.kind === 'blank';
    }
    if (this.featuresPending !== undefined) this.warn(codes.docFeaturesEmpty, "'Features:' is not followed by a feature's '@name:' line", this.featuresPending);
    this.close();
    this.doc.description = paragraphs(this.description);
    return this.doc;
  }

  private take(item: Line, previousBlank: boolean): void {
    const { line } = item;
    const section = this.section;
    // Indented directive blocks (`.. qmp-example::`, `.. note::`) run while lines are indented.
    if ((section.kind === 'example' && section.indented) || section.kind === 'note') {
      if (line.kind === 'blank' || line.indent > 0) {
        section.lines.push(item);
        return;
      }
      this.close();
    }
    if (line.kind === 'blank') {
      this.push(item);
      return;
    }
    if (!this.started) {
      this.started = true;
      if (this.takeSymbol(line)) return;
    }
    if (this.featuresPending !== undefined) {
      if (line.kind !== 'symbol' || line.indent > 0) this.warn(codes.docFeaturesEmpty, "'Features:' is not followed by a feature's '@name:' line", line.offset);
      this.featuresPending = undefined;
    }
    this.checkIndent(line, previousBlank);
    if (line.indent > 0) {
      this.push(item);
      return;
    }
    switch (line.kind) {
      case 'symbol':
        if (this.doc.symbol === undefined) {
          // Once a block: QEMU 2.x's blocks whose first line is a bare name have dozens.
          if (!this.freeformMemberSeen) {
            this.warn(
              codes.docFreeformMember,
              `'@${line.name}:' in free-form documentation, which documents no definition (its first line is not '@Name:'); read as text`,
              line.offset,
            );
          }
          this.freeformMemberSeen = true;
          break;
        }
        return this.startDescription(line);
      case 'features':
        this.close();
        if (this.featuresSeen) this.warn(codes.docDuplicate, "a second 'Features:' line; the features under it are read as the first's", line.offset);
        this.inFeatures = this.featuresSeen = true;
        this.featuresPending = line.offset;
        return;
      case 'heading':
        if (this.doc.symbol !== undefined) {
          this.warn(
            codes.docHeadingInDefinition,
            "'=' heading markup in a definition's documentation (headings belong in free-form blocks); read as text",
            line.offset,
          );
        }
        break;
      case 'tag':
        return this.startTagged(line);
      case 'directive':
        if (line.name === 'qmp-example') return this.open({ kind: 'example', lines: [], loc: this.at(line), indented: true });
        if (line.name === 'note' || (line.name === 'admonition' && /^notes?$/i.test(line.text.trim()))) {
          return this.open({ kind: 'note', lines: [], first: line.name === 'note' ? line.text : '', loc: this.at(line) });
        }
        break;
      default:
        break;
    }
    // Plain text at the left margin.
    const open = this.section;
    if (open.kind === 'member' || open.kind === 'feature') {
      // QEMU 7.2 lets a description's next lines start at the margin; after a blank line such a
      // line starts a new paragraph of the definition's description.
      if (!previousBlank) return this.push(item);
      this.close();
    } else if (open.kind === 'tag' && open.tag === 'Since' && previousBlank) {
      this.close();
    }
    this.push(item);
  }

  /**
   * A section's first continuation line sets its indentation, as does a line after a blank one;
   * a line indented less without a blank line between is QEMU's 'unexpected de-indent'. It is
   * still read as part of the section, as QEMU 7.2 read lines at the margin.
   */
  private checkIndent(line: DocLine, previousBlank: boolean): void {
    const section = this.section;
    if (section.kind !== 'member' && section.kind !== 'feature' && section.kind !== 'tag') return;
    if (line.indent === 0 && line.kind !== 'text') return;
    const set = this.indent;
    if (set === undefined || previousBlank || line.indent >= set) {
      if (set === undefined || previousBlank) this.indent = line.indent;
      return;
    }
    if (set === 0) return;
    this.warn(
      codes.docBadIndent,
      `unexpected de-indent: expected at least ${set} space${set === 1 ? '' : 's'}, as the lines before; read as part of the same description`,
      line.offset,
    );
  }

  /** The block's first line names the definition it documents. */
  private takeSymbol(line: DocLine): boolean {
    if (line.indent !== 0) return false;
    if (line.kind === 'symbol') {
      if (line.name === '') this.warn(codes.docSymbolEmpty, "name required after '@'", line.offset);
      else this.doc.symbol = line.name;
      if (line.text.trim() !== '') this.warn(codes.docSymbolText, `text after '@${line.name}:' on the symbol line`, line.offset);
      return true;
    }
    if (line.kind === 'text') {
      // `@RunState` (no colon) and `RunState:` (no `@`): older schemas' symbol lines.
      const match = /^@([^\s:]+)$/.exec(line.text.trim()) ?? /^([A-Za-z][\w.-]*):$/.exec(line.text.trim());
      if (match) {
        this.doc.symbol = match[1]!;
        this.warn(codes.docSymbolForm, `symbol line '${line.text.trim()}' read as '@${match[1]}:'`, line.offset);
        return true;
      }
    }
    return false;
  }

  private startDescription(line: Extract<DocLine, { kind: 'symbol' }>): void {
    this.close();
    if (line.spaceBeforeColon) this.warn(codes.docSymbolSpace, `'@${line.name} :' read as '@${line.name}:'`, line.offset);
    const kind = this.inFeatures ? 'feature' : 'member';
    if (this.taggedSeen && kind === 'member') {
      this.warn(codes.docMemberAfterSection, `description of '@${line.name}:' follows a tagged section`, line.offset);
    }
    const first = kind === 'member' ? line.text.replace(/^#optional\b\s*/, '') : line.text;
    this.open({ kind, name: line.name, lines: [], first, loc: this.at(line) });
  }

  private startTagged(line: Extract<DocLine, { kind: 'tag' }>): void {
    this.close();
    if (line.noColon) this.warn(codes.docSectionColon, `'Since' without ':' read as a Since: section`, line.offset);
    if (line.tag === 'Example' || line.tag === 'Examples') {
      // Text on the tag line itself (`Example: -> {...}`) is the example's first line.
      const lines: Line[] = [];
      if (line.text.trim() !== '') {
        const raw = this.rawText(line);
        const offset = line.offset + raw.lastIndexOf(line.text);
        const first = lexDocLines(`# ${line.text}`, offset - 2)[0]!;
        lines.push({ line: first, raw: line.text });
      }
      this.open({ kind: 'example', lines, loc: this.at(line), indented: false });
      return;
    }
    this.taggedSeen = line.tag !== 'Since' || this.taggedSeen;
    this.open({ kind: 'tag', tag: line.tag, lines: [], first: line.text, loc: this.at(line) });
  }

  private open(section: Section): void {
    this.close();
    this.section = section;
    this.indent = undefined;
  }

  private push(item: Line): void {
    const section = this.section;
    if (section.kind === 'description') this.description.at(-1)!.push(item);
    else section.lines.push(item);
  }

  /** Ends the open section, storing what it holds; text after it goes to the description. */
  private close(): void {
    const section = this.section;
    this.section = { kind: 'description' };
    switch (section.kind) {
      case 'description':
        return;
      case 'member':
      case 'feature': {
        const map = section.kind === 'member' ? this.doc.members : this.doc.features;
        if (section.name === '') this.warnAt(codes.docNameEmpty, 'invalid parameter name', section.loc);
        else if (map.has(section.name)) this.warnAt(codes.docDuplicate, `'@${section.name}:' described twice; the first is kept`, section.loc);
        else map.set(section.name, { text: sectionText(section.first, section.lines), loc: section.loc });
        break;
      }
      case 'tag':
        this.storeTagged(section);
        break;
      case 'note':
        this.doc.notes.push(sectionText(section.first, section.lines));
        break;
      case 'example':
        // Free-form blocks (no symbol) show the notation, not a definition's use: not kept.
        if (this.doc.symbol === undefined) break;
        if (section.indented) this.doc.examples.push(parseQmpExample(section.lines, section.loc, this.source, this.diagnostics));
        else this.doc.examples.push(...parseExampleSection(section.lines, section.loc, this.source, this.diagnostics));
        break;
    }
    this.description.push([]);
  }

  private storeTagged(section: Extract<Section, { kind: 'tag' }>): void {
    const text = sectionText(section.first, section.lines);
    if (text === '') {
      this.warnAt(codes.docSectionEmpty, `empty '${section.tag}:' section`, section.loc);
      return;
    }
    switch (section.tag) {
      case 'Returns':
      case 'Return':
        if (this.doc.returns) this.warnAt(codes.docDuplicate, "a second 'Returns:' section; its text is appended", section.loc);
        this.doc.returns = this.doc.returns ? { ...this.doc.returns, text: `${this.doc.returns.text}\n\n${text}` } : { text, loc: section.loc };
        break;
      case 'Errors':
        (this.doc.errors ??= []).push(...listItems(text));
        break;
      case 'Since':
        if (this.doc.since !== undefined) this.warnAt(codes.docDuplicate, "a second 'Since:' section; the first is kept", section.loc);
        else this.doc.since = text;
        break;
      case 'Note':
      case 'Notes':
        this.doc.notes.push(text);
        break;
      default:
        this.doc.sections.push({ title: section.tag, text });
    }
  }

  private rawText(line: DocLine): string {
    const end = this.source.text.indexOf('\n', line.offset);
    return this.source.text.slice(line.offset, end === -1 ? undefined : end).trimEnd();
  }

  private at(line: DocLine): Location {
    return this.source.locate(line.offset);
  }

  private warn(code: QapiCode, message: string, offset: number): void {
    this.diagnostics.warn(code, message, this.source.locate(offset));
  }

  private warnAt(code: QapiCode, message: string, loc: Location): void {
    this.diagnostics.warn(code, message, loc);
  }
}

/**
 * What a member's doc says in parentheses about its release and default, as QAPI docs word it:
 * `(since 2.7)`, `(Since: 4.2)`, `(default: false, since 3.0)`, `(default: false; since: 4.1)`.
 */
export function memberNotes(doc: string): { since?: string; default?: string } {
  const notes: { since?: string; default?: string } = {};
  for (const [, inside] of doc.matchAll(/\(([^()]*)\)/g)) {
    const since = /\bsince:?\s*v?(\d+\.\d+(?:\.\d+)?)/i.exec(inside!);
    if (since && notes.since === undefined) notes.since = since[1]!;
    const fallback = /^\s*default:\s*([^,;]+?)\s*(?:[,;]|$)/i.exec(inside!);
    if (fallback && notes.default === undefined) notes.default = fallback[1]!;
  }
  return notes;
}

/** The first line's text, then the following lines with their common indentation removed. */
export function sectionText(first: string, lines: Line[]): string {
  const rest = dedent(lines);
  const all = first.trim() === '' ? rest : [first.trim(), ...rest];
  while (all.length > 0 && all.at(-1) === '') all.pop();
  while (all.length > 0 && all[0] === '') all.shift();
  return all.join('\n');
}

function dedent(lines: Line[]): string[] {
  let margin = Infinity;
  for (const { line } of lines) if (line.kind !== 'blank' && line.indent < margin) margin = line.indent;
  if (margin === Infinity) margin = 0;
  return lines.map(({ line, raw }) => (line.kind === 'blank' ? '' : ' '.repeat(line.indent - margin) + raw));
}

/** Description paragraphs (groups of lines between sections), joined by blank lines. */
function paragraphs(groups: Line[][]): string {
  return groups
    .map((group) => sectionText('', group))
    .filter((text) => text !== '')
    .join('\n\n');
}

/** `- a\n- b` → ['a', 'b']; text that is not a bullet list stays one item. */
function listItems(text: string): string[] {
  if (!/^[-*] /.test(text)) return [text];
  const items: string[] = [];
  for (const line of text.split('\n')) {
    if (/^[-*] /.test(line)) items.push(line.slice(2).trim());
    else if (items.length > 0 && line.trim() !== '') items[items.length - 1] += `\n${line.trim()}`;
  }
  return items;
}
