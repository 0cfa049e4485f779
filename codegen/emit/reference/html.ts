/**
 * The reference as one static HTML page: an index with a search box on the left, every command,
 * event and type as an anchored section on the right. No server, no external assets: it opens
 * from the file system.
 */
import type { Member, NamedType, TypeRef } from '../../ir/types.js';
import { anchorOf, exampleLines, nestedMembers, typeLabel, type Entry } from './view.js';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

export function renderHtml(title: string, all: Entry[], typeNames: Set<string>): string {
  typeNamesForProse = typeNames;
  const typeLink = (name: string): string => (typeNames.has(name) ? `<a href="#${anchorOf('type', name)}">${escapeHtml(name)}</a>` : escapeHtml(name));
  const type = (ref: TypeRef): string => typeLabel(ref, typeLink, escapeHtml);
  const groups: [string, Entry[]][] = [
    ['Commands', all.filter((e) => e.kind === 'command')],
    ['Events', all.filter((e) => e.kind === 'event')],
    ['Types', all.filter((e) => e.kind === 'type')],
  ];
  const index = groups
    .map(
      ([heading, list]) =>
        `<h2>${heading} <span class="count">${list.length}</span></h2>\n<ul>\n${list
          .map(
            (e) =>
              `<li data-name="${escapeHtml(e.name.toLowerCase())}"><a href="#${e.anchor}">${escapeHtml(e.name)}</a>${e.deprecated !== undefined ? ' <span class="badge deprecated">deprecated</span>' : ''}</li>`,
          )
          .join('\n')}\n</ul>`,
    )
    .join('\n');
  const body = all.map((e) => section(e, type)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<nav id="index" aria-label="Index">
<h1>${escapeHtml(title)}</h1>
<input id="search" type="search" placeholder="Filter by name" aria-label="Filter by name" autocomplete="off">
<p id="matches" aria-live="polite"></p>
${index}
</nav>
<main>
${body}
</main>
<script>${script}</script>
</body>
</html>
`;
}

function section(e: Entry, type: (ref: TypeRef) => string): string {
  const parts: string[] = [`<section class="entry ${e.kind}" id="${e.anchor}">`];
  parts.push(`<h2><span class="kind">${e.kind}</span> <code>${escapeHtml(e.name)}</code>${badges(e)}</h2>`);
  if (e.signature) parts.push(`<pre class="signature"><code>${escapeHtml(e.signature)}</code></pre>`);
  parts.push(prose(e.doc.description));
  if (e.type) parts.push(typeParts(e.type, type));
  if (e.membersType) parts.push(`<h3>${e.membersTitle}</h3><p>The members of ${type(e.membersType)}.</p>`);
  else if (e.members.length > 0) parts.push(`<h3>${e.membersTitle}</h3>${membersTable(e.members, type)}`);
  else if (e.kind !== 'type') parts.push(`<h3>${e.membersTitle}</h3><p>None.</p>`);
  if (e.kind === 'command') {
    parts.push(`<h3>Returns</h3>`);
    if (e.returns) {
      parts.push(`<p>${type(e.returns)}</p>`);
      const nested = nestedMembers(e.returns);
      if (nested.length > 0) parts.push(membersTable(nested, type));
    } else parts.push('<p>An empty object, <code>{}</code>.</p>');
    if (e.doc.returns) parts.push(prose(e.doc.returns));
  }
  for (const error of e.doc.errors ?? []) parts.push(`<p class="errors"><strong>Error:</strong> ${escapeHtml(error)}</p>`);
  for (const note of e.doc.notes) parts.push(`<aside class="note"><strong>Note:</strong> ${escapeHtml(note)}</aside>`);
  for (const s of e.doc.sections ?? []) parts.push(`<aside class="note"><strong>${escapeHtml(s.title)}:</strong> ${escapeHtml(s.text)}</aside>`);
  e.examples.forEach((example, i) => {
    parts.push(`<h3>Example${e.examples.length > 1 ? ` ${i + 1}` : ''}${example.title ? `: ${escapeHtml(example.title)}` : ''}</h3>`);
    parts.push(`<pre class="example"><code>${escapeHtml(exampleLines(example).join('\n'))}</code></pre>`);
  });
  parts.push('</section>');
  return parts.join('\n');
}

function badges(e: Entry): string {
  const out: string[] = [];
  if (e.since) out.push(`<span class="badge since">since ${escapeHtml(e.since)}</span>`);
  if (e.deprecated !== undefined) out.push(`<span class="badge deprecated" title="${escapeHtml(e.deprecated)}">deprecated</span>`);
  if (e.condition) out.push(`<span class="badge condition">if ${escapeHtml(e.condition)}</span>`);
  return out.length > 0 ? ` ${out.join(' ')}` : '';
}

let typeNamesForProse = new Set<string>();

/** Paragraphs; QAPI's `@name` references become links to types, or code for members. */
function prose(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${references(p.trim())}</p>`)
    .join('\n');
}

function references(text: string): string {
  return escapeHtml(text).replace(/(^|[\s(])@([A-Za-z_][\w.-]*[\w])/g, (_, lead: string, name: string) =>
    typeNamesForProse.has(name) ? `${lead}<a href="#${anchorOf('type', name)}"><code>${name}</code></a>` : `${lead}<code>${name}</code>`,
  );
}

function membersTable(members: Member[], type: (ref: TypeRef) => string): string {
  const rows: string[] = [];
  const add = (list: Member[], prefix: string, depth: number): void => {
    for (const m of list) {
      const name = `${prefix}${m.name}`;
      const flags = [m.optional ? 'optional' : 'required'];
      if (m.deprecated !== undefined) flags.push('<span class="badge deprecated">deprecated</span>');
      if (m.since) flags.push(`<span class="badge since">since ${escapeHtml(m.since)}</span>`);
      rows.push(
        `<tr><td style="padding-left:${0.5 + depth * 1.25}em"><code>${escapeHtml(name)}</code></td><td>${type(m.type)}</td><td>${flags.join(' ')}</td><td>${references(m.doc ?? '')}${m.default !== undefined ? ` <em>Default: ${escapeHtml(m.default)}</em>` : ''}</td></tr>`,
      );
      if (depth < 8) add(nestedMembers(m.type), `${name}${m.type.kind === 'array' ? '[].' : '.'}`, depth + 1);
    }
  };
  add(members, '', 0);
  return `<table class="members"><thead><tr><th>Name</th><th>Type</th><th></th><th>Description</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function typeParts(t: NamedType, type: (ref: TypeRef) => string): string {
  switch (t.kind) {
    case 'struct':
      return t.base ? `<p>Extends ${type({ kind: 'named', name: t.base })}.</p>` : '';
    case 'enum':
      return `<h3>Values</h3><ul class="values">${t.values
        .map(
          (v) =>
            `<li><code>${escapeHtml(JSON.stringify(v.name))}</code>${v.deprecated !== undefined ? ' <span class="badge deprecated">deprecated</span>' : ''}${v.doc ? ` ${escapeHtml(v.doc)}` : ''}</li>`,
        )
        .join('')}</ul>`;
    case 'union':
      return `${t.base ? `<p>Base: ${type({ kind: 'named', name: t.base })}.</p>` : ''}<h3>Variants</h3><p>Selected by <code>${escapeHtml(t.discriminator)}</code>:</p><ul class="variants">${t.variants
        .map(
          (v) =>
            `<li><code>${escapeHtml(JSON.stringify(v.value))}</code>: ${type(v.type)}${nestedMembers(v.type).length > 0 ? membersTable(nestedMembers(v.type), type) : ''}</li>`,
        )
        .join('')}</ul>`;
    case 'alternate':
      return `<h3>One of</h3><ul class="alternatives">${t.alternatives.map((a) => `<li>${type(a.type)}</li>`).join('')}</ul>`;
  }
}

const css = `
:root{color-scheme:light dark;--fg:#1b1b1f;--muted:#5c5f66;--bg:#fff;--panel:#f5f6f8;--line:#dcdfe4;--accent:#0b5fff;--warn:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e9;--muted:#a3a7ae;--bg:#15161a;--panel:#1d1f24;--line:#30333a;--accent:#7aa7ff;--warn:#ff8a80}}
*{box-sizing:border-box}body{margin:0;display:grid;grid-template-columns:19rem minmax(0,1fr);font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:1rem;background:var(--panel);border-right:1px solid var(--line)}
nav h1{font-size:1.05rem;margin:0 0 .75rem}nav h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:1rem 0 .25rem}
nav ul{list-style:none;margin:0;padding:0}nav li{padding:.05rem 0;font-family:ui-monospace,monospace;font-size:.85rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#search{width:100%;padding:.45rem .6rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
#matches{font-size:.8rem;color:var(--muted);margin:.3rem 0}.count{font-weight:normal}
main{padding:1rem 2rem;max-width:70rem;min-width:0}a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.entry{border-bottom:1px solid var(--line);padding:1rem 0}.entry h2{font-size:1.2rem;margin:.2rem 0}.kind{font-size:.75rem;text-transform:uppercase;color:var(--muted);font-weight:normal}
h3{font-size:.95rem;margin:1rem 0 .3rem}pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;overflow:auto;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-top:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}th{color:var(--muted);font-weight:600}
.badge{display:inline-block;font-size:.7rem;font-weight:600;padding:.05rem .4rem;border-radius:999px;border:1px solid var(--line);color:var(--muted);vertical-align:middle}
.badge.deprecated{color:var(--warn);border-color:var(--warn)}.note{border-left:3px solid var(--accent);padding:.2rem .7rem;margin:.6rem 0;background:var(--panel)}
`;

// Filters the index as the user types; a section heading hides when none of its entries match.
const script = `
const search = document.getElementById('search');
const matches = document.getElementById('matches');
const items = [...document.querySelectorAll('#index li')];
function filter() {
  const q = search.value.trim().toLowerCase();
  let shown = 0;
  for (const li of items) { const ok = !q || li.dataset.name.includes(q); li.hidden = !ok; if (ok) shown++; }
  for (const ul of document.querySelectorAll('#index ul')) ul.previousElementSibling.hidden = q !== '' && !ul.querySelector('li:not([hidden])');
  matches.textContent = q ? shown + ' of ' + items.length + ' match' : '';
}
search.addEventListener('input', filter);
`;
