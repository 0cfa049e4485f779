/**
 * Example transcripts into IR examples. The grammar gives an examples section as a flat run of
 * titles, messages and prose; here they are grouped:
 * - each `Example:`/`Example (n):` header starts an example, and so does each numbered title
 *   (`1. Change a removable medium`, kept as the title) and each line of prose that stands right
 *   before a message once the current example has messages (`Delete a quorum's node`);
 * - under a plural `Examples:` header with no titles, an exchange that starts with `->` after a
 *   blank line, once the current example has had its reply, starts the next example;
 * - prose between messages of one example is a `text` message.
 * Each message's text is read as JSON; the documents' `...` elisions (`{...more...}`,
 * `[ ... more channels follow ... ]`) are dropped first, and a message that still is not JSON
 * keeps its raw text and gets a warning at the place JSON.parse stopped.
 */
import type { Example, ExampleMessage } from '../../ir/types.js';
import { codes } from './codes.js';
import type { ReadContext } from './context.js';
import type { ExamplesSectionNode, MessageNode, ParagraphNode } from './grammar.js';

export function readExamplesSection(section: ExamplesSectionNode, ctx: ReadContext): Example[] {
  const { header } = section;
  const examples: Example[] = [];
  const headerTitle = header.number ?? (header.title.replace(/:$/, '').trim() || undefined);
  let current: Example | null = null;
  let titled = headerTitle !== undefined;
  let blankSinceMessage = false;
  const start = (title: string | undefined, loc: number): Example => {
    const example: Example = { ...(title !== undefined ? { title } : {}), messages: [], loc: ctx.at(loc) };
    examples.push(example);
    titled = title !== undefined;
    return example;
  };
  const hasReply = (example: Example): boolean => example.messages.some((m) => m.direction === '<-');
  const nextIsMessage = (index: number): boolean => {
    for (let i = index + 1; i < section.items.length; i++) {
      const kind = section.items[i]!.kind;
      if (kind === 'message') return true;
      if (kind !== 'blank') return false;
    }
    return false;
  };

  section.items.forEach((item, index) => {
    switch (item.kind) {
      case 'blank':
        blankSinceMessage = true;
        break;
      case 'example-title':
        current = start(item.text, item.loc);
        break;
      case 'paragraph': {
        const text = paragraphText(item);
        if (current === null) current = start(headerTitle ?? (nextIsMessage(index) ? text : undefined), headerTitle !== undefined ? header.loc : item.loc);
        else if (current.messages.length > 0 && nextIsMessage(index)) {
          current = start(text, item.loc);
          break;
        }
        if (current.title === undefined && current.messages.length === 0) {
          current.title = text;
          titled = true;
        } else if (current.title !== text) current.messages.push({ direction: 'text', text, loc: ctx.at(item.loc) });
        break;
      }
      case 'message': {
        const message = readMessage(item, ctx);
        if (current === null) current = start(headerTitle, headerTitle !== undefined ? header.loc : item.loc);
        else if (header.plural && !titled && blankSinceMessage && message.direction === '->' && hasReply(current)) {
          current = start(undefined, item.loc);
        }
        current.messages.push(message);
        blankSinceMessage = false;
        break;
      }
      case 'unrecognised': {
        ctx.diagnostics.warn(codes.unrecognisedLine, `example line read as prose: ${JSON.stringify(item.text)}`, ctx.at(item.loc));
        current ??= start(headerTitle, header.loc);
        current.messages.push({ direction: 'text', text: item.text, loc: ctx.at(item.loc) });
        break;
      }
    }
  });
  // keys in one order, the title first, however it was found
  return examples.map(({ title, messages, loc }) => ({ ...(title !== undefined ? { title } : {}), messages, loc }));
}

/** Messages that stand in a definition without an `Example:` header (events' bare JSON). */
export function readLooseMessages(messages: readonly MessageNode[], ctx: ReadContext): Example {
  return { messages: messages.map((m) => readMessage(m, ctx)), loc: ctx.at(messages[0]!.loc) };
}

export function readMessage(node: MessageNode, ctx: ReadContext): ExampleMessage {
  // A bare `{ ... }` is what the server sends (events); `->`/`<-` say so themselves.
  const direction = node.arrow ?? '<-';
  const text = node.text.trimEnd();
  const message: ExampleMessage = { direction, text, loc: ctx.at(node.loc) };
  const parsed = parseJson(text);
  if (parsed.ok) {
    message.json = parsed.value;
    return message;
  }
  const elided = withoutElisions(text);
  if (elided !== text) {
    const retry = parseJson(elided);
    if (retry.ok) {
      message.json = retry.value;
      ctx.diagnostics.report('info', codes.exampleElision, 'example elides part of the message with "...": read without it', ctx.at(node.textLoc));
      return message;
    }
  }
  const where = parsed.position === null ? node.textLoc : node.textLoc + Math.min(parsed.position, text.length);
  ctx.diagnostics.warn(codes.exampleNotJson, `example message is not JSON (${parsed.reason}): kept as text`, ctx.at(where));
  return message;
}

/** The command a message executes, read from its JSON or, when it is not JSON, from its text. */
export function executedName(message: ExampleMessage): string | null {
  if (message.direction !== '->') return null;
  if (message.json !== undefined) {
    const json = message.json as { execute?: unknown };
    return typeof json === 'object' && json !== null && typeof json.execute === 'string' ? json.execute : null;
  }
  return /"execute"\s*:\s*"([^"\\]+)"/.exec(message.text)?.[1] ?? null;
}

/** The event a server message shows, read like `executedName`. */
export function eventName(message: ExampleMessage): string | null {
  if (message.direction !== '<-') return null;
  if (message.json !== undefined) {
    const json = message.json as { event?: unknown };
    return typeof json === 'object' && json !== null && typeof json.event === 'string' ? json.event : null;
  }
  return /"event"\s*:\s*"([^"\\]+)"/.exec(message.text)?.[1] ?? null;
}

function paragraphText(paragraph: ParagraphNode): string {
  return paragraph.lines
    .map((l) => l.text.trim())
    .join(' ')
    .replace(/:$/, '');
}

type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string; position: number | null };

function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = (error as Error).message;
    const position = /position (\d+)/.exec(reason);
    const short = reason
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/,\s*".*is not valid JSON$/s, '')
      .replace(/\s+/g, ' ');
    return { ok: false, reason: short, position: position ? Number(position[1]) : null };
  }
}

/** Drops `{...more...}`, `[ ... more channels follow ... ]` and bare `...` elements. */
function withoutElisions(text: string): string {
  return text
    .replace(/[{[]\s*\.\.\.[^{}[\]]*[}\]]/g, '')
    .replace(/\.\.\./g, '')
    .replace(/,(\s*,)+/g, ',')
    .replace(/,(\s*[}\]])/g, '$1')
    .replace(/([{[]\s*),/g, '$1');
}
