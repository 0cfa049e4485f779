/**
 * Example transcripts in doc comments → `Example`s: `->` (client) and `<-` (server) messages,
 * each running over as many lines as its JSON needs, and prose.
 *
 * A `.. qmp-example::` block (QEMU 9.1 on) is one example: its `:title:` is the title, and prose
 * between messages is a `text` message. An `Example:` section of QEMU ≤ 9.0 is read as the text
 * documents' example sections are (textdoc/examples.ts), so both front ends group alike: prose
 * standing right before a message starts an example and is its title (`1. Change a removable
 * medium`) when the current example already has messages or has no title yet; other prose is a
 * `text` message. A line opening a JSON object is a message that lost its arrow; its direction is
 * read from its content (`execute` → `->`; `return`, `error`, `event` → `<-`), with a warning.
 */
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { Example, ExampleMessage, Location } from '../../ir/types.js';
import type { Line } from './doc-lines.js';
import type { SourceText } from './source.js';
import { codes } from './codes.js';

type Item = { kind: 'title'; text: string } | { kind: 'prose'; text: string; loc: Location } | { kind: 'message'; message: ExampleMessage };

/** A `.. qmp-example::` block: one example. */
export function parseQmpExample(lines: Line[], loc: Location, source: SourceText, diagnostics: Diagnostics): Example {
  const example: Example = { messages: [], loc };
  for (const item of transcriptItems(lines, source, diagnostics)) {
    if (item.kind === 'title') example.title = item.text;
    else if (item.kind === 'prose') example.messages.push({ direction: 'text', text: item.text, loc: item.loc });
    else example.messages.push(item.message);
  }
  return example;
}

/** An `Example:`/`Examples:` section: as many examples as its titles and exchanges make. */
export function parseExampleSection(lines: Line[], loc: Location, source: SourceText, diagnostics: Diagnostics): Example[] {
  const items = transcriptItems(lines, source, diagnostics);
  const examples: Example[] = [];
  let current: Example | undefined;
  items.forEach((item, index) => {
    if (item.kind === 'message') {
      current ??= pushed(examples, { messages: [], loc });
      current.messages.push(item.message);
    } else if (item.kind === 'prose') {
      const titlesNext = items[index + 1]?.kind === 'message';
      if (titlesNext && current && current.messages.length === 0 && current.title === undefined) current.title = item.text;
      else if (titlesNext && (!current || current.messages.length > 0)) current = pushed(examples, { title: item.text, messages: [], loc: item.loc });
      else {
        current ??= pushed(examples, { messages: [], loc });
        current.messages.push({ direction: 'text', text: item.text, loc: item.loc });
      }
    }
  });
  // keys in one order, the title first, however it was found
  return examples.map(({ title, messages, loc: at }) => (title === undefined ? { messages, loc: at } : { title, messages, loc: at }));
}

function pushed(examples: Example[], example: Example): Example {
  examples.push(example);
  return example;
}

/** The transcript's titles (`:title:`), prose paragraphs and messages, in order. */
function transcriptItems(lines: Line[], source: SourceText, diagnostics: Diagnostics): Item[] {
  const items: Item[] = [];
  let prose: Line[] = [];
  const flushProse = (): void => {
    if (prose.length === 0) return;
    const text = prose.map(({ raw }) => raw.replace(/::$/, ':')).join('\n');
    items.push({ kind: 'prose', text, loc: source.locate(prose[0]!.line.offset) });
    prose = [];
  };
  let i = 0;
  while (i < lines.length) {
    const { line, raw } = lines[i]!;
    if (line.kind === 'option') {
      // `:annotated:` only tells the renderer that prose is present; `:title:` is kept.
      if (line.name === 'title') items.push({ kind: 'title', text: line.text.trim() });
      i++;
    } else if (line.kind === 'blank' || raw === '::') {
      // A lone `::` is rST's marker for the literal block that follows, not content.
      flushProse();
      i++;
    } else if (line.kind === 'message' || raw.startsWith('{')) {
      flushProse();
      const read = readMessage(lines, i, source, diagnostics);
      items.push({ kind: 'message', message: read.message });
      i = read.next;
    } else {
      prose.push(lines[i]!);
      i++;
    }
  }
  flushProse();
  return items;
}

/** Reads the message starting at `lines[start]`, and the index of the line after it. */
function readMessage(lines: Line[], start: number, source: SourceText, diagnostics: Diagnostics): { message: ExampleMessage; next: number } {
  const head = lines[start]!;
  const arrow = head.line.kind === 'message' ? head.line.arrow : undefined;
  const first = arrow ? head.raw.slice(2).trimStart() : head.raw;
  const firstOffset = head.line.offset + (head.raw.length - first.length);
  // Continuation lines keep their indentation relative to where the first line's text starts.
  const textColumn = head.line.indent + (head.raw.length - first.length);
  const parts = [first];
  const partOffsets = [firstOffset];
  let depth = bracketDepth(first);
  let end = start + 1;
  for (let j = start + 1; j < lines.length; j++) {
    const { line, raw } = lines[j]!;
    if (line.kind === 'message' || line.kind === 'option') break;
    if (depth <= 0 && parts.some((part) => part.trim() !== '')) break;
    if (line.kind === 'blank') continue;
    for (let k = end; k < j; k++) {
      parts.push('');
      partOffsets.push(lines[k]!.line.offset);
    }
    const pad = Math.max(0, line.indent - textColumn);
    parts.push(' '.repeat(pad) + raw);
    partOffsets.push(line.offset - pad);
    depth += bracketDepth(raw);
    end = j + 1;
  }
  const text = parts.join('\n');
  const loc = source.locate(head.line.offset);
  const direction = arrow ?? directionOf(text);
  if (!arrow) {
    const reading = direction === 'text' ? 'kept as text' : `read as '${direction}' from its content`;
    diagnostics.warn(codes.exampleDirection, `example message has no '->' or '<-'; ${reading}`, loc);
  }
  const message: ExampleMessage = { direction, text, loc };
  const parsed = parseMessageJson(text);
  if ('json' in parsed) message.json = parsed.json;
  else {
    const at = parsed.position === undefined ? loc : locatePart(parts, partOffsets, parsed.position, source);
    diagnostics.warn(codes.exampleJson, `example message is not JSON (${parsed.error}); kept as text`, at);
  }
  return { message, next: end };
}

/** Who sent a message that lost its arrow: a command is the client's; replies and events the server's. */
function directionOf(text: string): ExampleMessage['direction'] {
  if (/^\{\s*"execute"\s*:/.test(text)) return '->';
  if (/^\{\s*"(return|error|event|timestamp)"\s*:/.test(text) || /"event"\s*:/.test(text)) return '<-';
  return 'text';
}

/** How many more brackets `text` opens than closes, outside JSON strings. */
function bracketDepth(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

/**
 * The message's JSON. The documents elide with `...` (`"return": [ ... ]`, `{ "a": 1, ... }`,
 * `"key": ...`, `[ ... more follow ... ]` as an element): those are removed before a second attempt. Errors name the first attempt's place.
 */
export function parseMessageJson(text: string): { json: unknown } | { error: string; position?: number } {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    if (text.includes('...')) {
      try {
        return { json: JSON.parse(withoutElisions(text)) as unknown };
      } catch {
        // fall through: report the original text's error
      }
    }
    const position = /at position (\d+)/.exec(message);
    // V8 quotes the text around the error, over several lines; the reason alone is enough.
    const reason = message.replace(/ (?:in|after) JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*$/s, '');
    return position ? { error: reason, position: Number(position[1]) } : { error: reason };
  }
}

function withoutElisions(text: string): string {
  return text
    .replace(/"(?:[^"\\]|\\.)*"\s*:\s*\.\.\.\s*,?/g, '') // `"key": ...`
    .replace(/([[{])\s*\.\.\.\s*(?=[\]}])/g, '$1') // `[ ... ]`
    .replace(/(?<=[,[]\s*)[[{]\s*\.\.\.[^[\]{}"]*[\]}]\s*,?/g, '') // an element `[ ... more follow ... ]`
    .replace(/,\s*\.\.\.(?=\s*[\]}])/g, '') // `, ...]`
    .replace(/\.\.\.\s*,/g, '') // `..., `
    .replace(/,(\s*[\]}])/g, '$1');
}

function locatePart(parts: string[], offsets: number[], position: number, source: SourceText): Location {
  let remaining = position;
  for (let k = 0; k < parts.length; k++) {
    const length = parts[k]!.length;
    if (remaining <= length) return source.locate(offsets[k]! + remaining);
    remaining -= length + 1;
  }
  return source.locate(offsets.at(-1)! + parts.at(-1)!.length);
}
