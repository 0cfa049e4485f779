/**
 * QAPI documentation text → HTML. The documents' text is the schema's own markup: `@name`
 * references (QEMU ≤ 9.0), and reStructuredText from 9.1 on (`` `name` `` references,
 * ``` ``literal`` ```, `:role:`text``, `**strong**`, bullet and numbered lists, `::` literal
 * blocks, `.. directive::` blocks). Only what the schemas use is read; anything else stays text.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/** Where a definition's name links to (a page and anchor), or undefined for a name not defined. */
export type Linker = (name: string) => string | undefined;

/** Inline markup of one piece of text (already a single paragraph or list item). */
export function inline(text: string, link: Linker): string {
  const out: string[] = [];
  // One pass over the markup forms, so that a literal's contents are never read as a reference.
  const pattern = /``(.+?)``|:([a-z][\w:-]*):`([^`]+)`|`([^`]+)`|\*\*(\S(?:.*?\S)?)\*\*|(^|[\s([{"'/])@([A-Za-z_][\w.+-]*[\w+])/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out.push(escapeHtml(text.slice(last, m.index)));
    last = m.index + m[0].length;
    const [, literal, role, roleText, reference, strong, lead, at] = m;
    if (literal !== undefined) out.push(`<code>${escapeHtml(literal)}</code>`);
    else if (role !== undefined) out.push(roleMarkup(role, roleText!, link));
    else if (reference !== undefined) out.push(nameMarkup(reference.trim(), link));
    else if (strong !== undefined) out.push(`<strong>${escapeHtml(strong)}</strong>`);
    else out.push(`${escapeHtml(lead!)}${nameMarkup(at!, link)}`);
  }
  out.push(escapeHtml(text.slice(last)));
  return out.join('');
}

function nameMarkup(name: string, link: Linker): string {
  const href = link(name);
  return href === undefined ? `<code>${escapeHtml(name)}</code>` : `<a href="${escapeHtml(href)}"><code>${escapeHtml(name)}</code></a>`;
}

/** `:doc:`Title </path>`` and the like: the title, as text (the target is QEMU's own manual). */
function roleMarkup(role: string, text: string, link: Linker): string {
  const titled = /^(.*?)\s*<[^>]*>$/.exec(text);
  const shown = titled ? titled[1]! : text;
  if (role === 'doc' || role === 'ref') return escapeHtml(shown);
  return nameMarkup(shown, link);
}

const itemStart = /^(\s*)([-*]|\d+[.)])\s+(.*)$/;

/** Block structure: paragraphs, bullet and numbered lists, literal blocks, directives. */
export function prose(text: string, link: Linker): string {
  const blocks: string[] = [];
  const lines = text.replace(/\s+$/, '').split('\n');
  let i = 0;
  let literalNext = false;
  const indentOf = (line: string): number => line.length - line.trimStart().length;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    // An indented block after `::`, or under a directive: shown as written.
    const directive = /^\.\.\s+([\w:-]+)::\s*(.*)$/.exec(line.trim());
    if (directive || (literalNext && indentOf(line) > 0)) {
      let start = directive ? i + 1 : i;
      // A directive's options (`:widths: auto`) are for the renderer, not the reader.
      while (directive && start < lines.length && /^\s+:[\w-]+:/.test(lines[start]!)) start++;
      let end = start;
      while (end < lines.length && (lines[end]!.trim() === '' || indentOf(lines[end]!) > 0)) end++;
      const body = dedent(lines.slice(start, end)).replace(/^\n+|\s+$/g, '');
      const name = directive?.[1];
      const argument = directive?.[2] ?? '';
      if (name === 'note' || name === 'caution' || name === 'warning' || name === 'admonition') {
        const title = name === 'admonition' ? argument : `${name[0]!.toUpperCase()}${name.slice(1)}`;
        const first = name === 'admonition' || argument === '' ? '' : `${inline(argument, link)} `;
        blocks.push(`<aside class="note"><strong>${escapeHtml(title)}:</strong> ${first}${prose(body, link)}</aside>`);
      } else if (body !== '') {
        const caption = name === 'table' && argument !== '' ? `<p class="caption">${escapeHtml(argument)}</p>` : '';
        blocks.push(`${caption}<pre class="literal">${escapeHtml(body)}</pre>`);
      }
      literalNext = false;
      i = end;
      continue;
    }
    literalNext = false;
    // A list: items start with `- `, `* ` or `1. `; their next lines are indented, or not.
    const bullet = itemStart.exec(line);
    if (bullet) {
      const margin = indentOf(line);
      const items: string[][] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const item = itemStart.exec(l);
        if (item && indentOf(l) === margin) items.push([item[3]!]);
        else if (l.trim() === '') {
          // A blank line ends the list unless an item or an item's indented text follows.
          const next = lines[i + 1];
          if (next === undefined || !(indentOf(next) > margin || (itemStart.test(next) && indentOf(next) === margin))) break;
        } else if (indentOf(l) > margin) items.at(-1)!.push(l.trim());
        else break;
        i++;
      }
      const tag = /\d/.test(bullet[2]!) ? 'ol' : 'ul';
      blocks.push(`<${tag}>${items.map((item) => `<li>${inline(item.join(' '), link)}</li>`).join('')}</${tag}>`);
      continue;
    }
    // A paragraph: up to a blank line, or a list or directive that starts on the next line.
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !(paragraph.length > 0 && /^\s*(\.\.\s|[-*]\s|\d+[.)]\s)/.test(lines[i]!))) {
      paragraph.push(lines[i]!.trim());
      i++;
    }
    let joined = paragraph.join(' ');
    // `text::` ends in `:`, ` ::` and a lone `::` vanish; an indented literal block follows.
    if (joined.endsWith('::')) {
      literalNext = true;
      joined = joined === '::' ? '' : joined.endsWith(' ::') ? joined.slice(0, -3) : joined.slice(0, -1);
    }
    if (joined !== '') blocks.push(`<p>${inline(joined, link)}</p>`);
  }
  return blocks.join('\n');
}

function dedent(lines: string[]): string {
  const margins = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const margin = margins.length === 0 ? 0 : Math.min(...margins);
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(margin))).join('\n');
}

/** The first sentence of a description (for a summary), without its markup's line breaks. */
export function firstSentence(text: string): string {
  const paragraph = text
    .split(/\n\s*\n/)[0]!
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  const end = /[.!?](\s|$)/.exec(paragraph);
  return end ? paragraph.slice(0, end.index + 1) : paragraph;
}
