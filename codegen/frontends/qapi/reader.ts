/**
 * Reads a schema from its entry file: follows `include` directives (relative to the including
 * file, each file once, in QEMU's order: an included file's definitions come at the directive),
 * applies `pragma` directives, and attaches each `##` doc comment to the definition after it.
 * Free-form doc comments (documenting no definition) give the files' headings.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { Location, SchemaModule } from '../../ir/types.js';
import { parseDocComment, type DefinitionDoc } from './doc.js';
import { SchemaError } from './errors.js';
import { SourceText } from './source.js';
import { parseSchemaText, type DocCommentText, type SchemaObject, type SchemaValue } from './syntax.js';
import { codes } from './codes.js';
import { freeformHeadings, HeadingStyles } from './headings.js';

/** One definition (not a directive) as written, with its file and its doc comment. */
export interface SchemaExpression {
  value: SchemaObject;
  source: SourceText;
  doc?: DefinitionDoc;
}

/** The pragmas QEMU knows (7.2–10.2, and the 2.9–5.x names of the exception lists). */
export interface Pragmas {
  docRequired?: boolean;
  commandNameExceptions: string[];
  commandReturnsExceptions: string[];
  memberNameExceptions: string[];
  documentationExceptions: string[];
}

export interface ReadSchema {
  /** Every file read, entry first, in include order. */
  files: string[];
  expressions: SchemaExpression[];
  pragmas: Pragmas;
  /** Every file read, in the same order, with its headings. */
  modules: SchemaModule[];
}

export function readSchema(entryFile: string, diagnostics: Diagnostics): ReadSchema {
  const read: ReadSchema = {
    files: [],
    expressions: [],
    pragmas: { commandNameExceptions: [], commandReturnsExceptions: [], memberNameExceptions: [], documentationExceptions: [] },
    modules: [],
  };
  let text: string;
  try {
    text = readFileSync(entryFile, 'utf8');
  } catch (error) {
    throw new SchemaError({ file: entryFile, line: 1, column: 1 }, `cannot read schema: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  new SchemaReader(read, diagnostics, dirname(entryFile)).readFile(entryFile, text, []);
  return read;
}

class SchemaReader {
  private readonly included = new Set<string>();
  private readonly styles = new HeadingStyles();
  /** The headings in force, outermost first, in reading order across files (QEMU's document order). */
  private path: string[] = [];

  constructor(
    private readonly read: ReadSchema,
    private readonly diagnostics: Diagnostics,
    private readonly root: string,
  ) {}

  /** `parents`: absolute names of the files whose includes led here, to tell a loop. */
  readFile(file: string, text: string, parents: string[]): void {
    const absolute = resolve(file);
    this.included.add(absolute);
    this.read.files.push(file);
    const module: SchemaModule = {
      name: relative(this.root, file)
        .split('\\')
        .join('/')
        .replace(/\.json$/, ''),
      file,
      enclosing: [...this.path],
      headings: [],
    };
    this.read.modules.push(module);
    const source = new SourceText(file, text);
    let pending: DefinitionDoc | undefined;
    const dropPending = (): void => {
      if (pending?.symbol !== undefined) {
        this.diagnostics.warn(codes.docNotFollowed, `documentation for '${pending.symbol}' is not followed by the definition`, pending.loc);
      }
      pending = undefined;
    };
    for (const item of parseSchemaText(source, this.diagnostics)) {
      if (item.kind === 'doc') {
        dropPending();
        pending = parseDocComment(item, source, this.diagnostics);
        if (pending.symbol === undefined) this.freeform(module, item, source);
        continue;
      }
      const directive = item.entries.find(({ key }) => key === 'include' || key === 'pragma')?.key;
      if (directive !== undefined) {
        dropPending();
        if (directive === 'include') this.include(item, source, [...parents, absolute]);
        else this.pragma(item, source);
        continue;
      }
      const doc = pending?.symbol !== undefined ? pending : undefined;
      this.read.expressions.push(doc ? { value: item, source, doc } : { value: item, source });
      pending = undefined;
    }
    dropPending();
  }

  /**
   * A free-form block's headings become the module's, and the path in force. Read from the
   * comment's own lines, `# ` stripped as QEMU does: its text is prose, not tagged sections.
   */
  private freeform(module: SchemaModule, comment: DocCommentText, source: SourceText): void {
    const lines: string[] = comment.heading.trim() === '' ? [] : [comment.heading.trim()];
    let at = source.text.indexOf('\n', comment.offset) + 1;
    while (at > 0 && at < source.text.length) {
      const end = source.text.indexOf('\n', at);
      const line = source.text.slice(at, end === -1 ? undefined : end);
      if (!line.startsWith('#') || line.startsWith('##')) break;
      lines.push(line.replace(/^# ?/, '').trimEnd());
      at = end + 1;
    }
    const { lead, headings } = freeformHeadings(lines.join('\n'), this.styles);
    const last = module.headings.at(-1);
    // Text under no heading of its own continues the heading before it, in this file.
    if (lead !== '') {
      if (last) last.text = last.text === undefined ? lead : `${last.text}\n\n${lead}`;
      else module.text = module.text === undefined ? lead : `${module.text}\n\n${lead}`;
    }
    const line = source.locate(comment.offset).line;
    for (const { level, title, text } of headings) {
      this.path = [...this.path.slice(0, level - 1), title];
      module.headings.push({ level, title, line, ...(text !== '' ? { text } : {}) });
    }
  }

  private include(directive: SchemaObject, source: SourceText, chain: string[]): void {
    const at = source.locate(directive.offset);
    const target = directive.entries.find(({ key }) => key === 'include')!.value;
    if (directive.entries.length !== 1 || target.kind !== 'string') {
      this.diagnostics.error(codes.includeInvalid, "invalid 'include' directive: { 'include': 'FILE' } expected", at);
      return;
    }
    const file = join(dirname(source.file), target.value);
    const absolute = resolve(file);
    if (chain.includes(absolute)) {
      this.diagnostics.error(codes.includeLoop, `inclusion loop for ${target.value}`, at);
      return;
    }
    if (this.included.has(absolute)) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.diagnostics.error(codes.includeMissing, `can't read include file '${file}': ${reason}`, at);
      return;
    }
    this.readFile(file, text, chain);
  }

  private pragma(directive: SchemaObject, source: SourceText): void {
    const at = source.locate(directive.offset);
    const value = directive.entries.find(({ key }) => key === 'pragma')!.value;
    if (directive.entries.length !== 1 || value.kind !== 'object') {
      this.diagnostics.error(codes.pragmaInvalid, "invalid 'pragma' directive: { 'pragma': { ... } } expected", at);
      return;
    }
    const pragmas = this.read.pragmas;
    for (const { key, keyOffset, value: setting } of value.entries) {
      const where = source.locate(keyOffset);
      switch (key) {
        case 'doc-required':
          if (setting.kind !== 'boolean') this.diagnostics.error(codes.pragmaInvalid, "pragma 'doc-required' must be boolean", where);
          else pragmas.docRequired = setting.value;
          break;
        case 'command-name-exceptions':
        case 'name-case-whitelist':
          pragmas.commandNameExceptions.push(...this.names(key, setting, where));
          break;
        case 'command-returns-exceptions':
        case 'returns-whitelist':
          pragmas.commandReturnsExceptions.push(...this.names(key, setting, where));
          break;
        case 'member-name-exceptions':
          pragmas.memberNameExceptions.push(...this.names(key, setting, where));
          break;
        case 'documentation-exceptions':
          pragmas.documentationExceptions.push(...this.names(key, setting, where));
          break;
        default:
          this.diagnostics.warn(codes.pragmaUnknown, `unknown pragma '${key}'; ignored`, where);
      }
    }
  }

  private names(key: string, value: SchemaValue, at: Location): string[] {
    if (value.kind === 'array' && value.items.every((item) => item.kind === 'string')) {
      return value.items.map((item) => (item as { value: string }).value);
    }
    this.diagnostics.error(codes.pragmaInvalid, `pragma ${key} must be a list of strings`, at);
    return [];
  }
}
