/**
 * An example transcript in a doc comment → `Example`: `->` (client) and `<-` (server)
 * messages, each running over as many lines as its JSON needs, and prose between them as `text`
 * messages. The same reader serves QEMU ≤ 9.0's `Example:` sections and the `.. qmp-example::`
 * blocks (with `:title:`) that replaced them.
 */
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { Example, ExampleMessage, Location } from '../../ir/types.js';
import type { Line } from './doc.js';
import type { SourceText } from './source.js';

export function parseExample(lines: Line[], loc: Location, source: SourceText, diagnostics: Diagnostics): Example {
  const example: Example = { messages: [], loc };
  let prose: Line[] = [];
  const flushProse = (): void => {
    if (prose.length === 0) return;
    const text = prose.map(({ raw }) => raw.replace(/::$/, ':')).join('\n');
    example.messages.push({ direction: 'text', text, loc: source.locate(prose[0]!.line.offset) });
    prose = [];
  };
  let i = 0;
  while (i < lines.length) {
    const { line, raw } = lines[i]!;
    if (line.kind === 'option') {
      // `:annotated:` only tells the renderer that prose is present; `:title:` is kept.
      if (line.name === 'title') example.title = line.text.trim();
      i++;
    } else if (line.kind === 'blank' || raw === '::') {
      // A lone `::` is rST's marker for the literal block that follows, not content.
      flushProse();
      i++;
    } else if (line.kind === 'message' || raw.startsWith('{')) {
      // A line opening a JSON object is a message that lost its arrow (QEMU ≤ 9.0 examples).
      flushProse();
      i = readMessage(lines, i, example, source, diagnostics);
    } else {
      prose.push(lines[i]!);
      i++;
    }
  }
  flushProse();
  return example;
}

/** Reads the message starting at `lines[start]`; returns the index of the line after it. */
function readMessage(lines: Line[], start: number, example: Example, source: SourceText, diagnostics: Diagnostics): number {
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
  const message: ExampleMessage = { direction: arrow ?? 'text', text, loc: source.locate(head.line.offset) };
  if (!arrow) {
    diagnostics.warn('example-direction', "example message has no '->' or '<-'; kept as text", message.loc);
  }
  const parsed = parseMessageJson(text);
  if ('json' in parsed) message.json = parsed.json;
  else {
    const at = parsed.position === undefined ? message.loc : locatePart(parts, partOffsets, parsed.position, source);
    diagnostics.warn('example-json', `example message is not JSON (${parsed.error}); kept as text`, at);
  }
  example.messages.push(message);
  return end;
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
