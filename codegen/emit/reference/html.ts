/**
 * The reference as static HTML pages: an index (the modules, as QEMU's reference orders them,
 * and every definition A–Z), a page per module, and a search over commands, events, types and
 * their members. Everything is in the folder (the search index is a script file, not fetched):
 * the pages open from the file system, and ask nothing of the network.
 */
import type { Member, NamedType, TypeRef } from '../../ir/types.js';
import { escapeHtml, firstSentence, inline, prose, type Linker } from './prose.js';
import { memberAnchor, nestedMembers, returnsText, typeLabel, exampleLines, type Entry, type EntryKind, type Reference, type ReferenceModule } from './view.js';

export { escapeHtml } from './prose.js';

export interface SiteOptions {
  /** A link to the index of every target's reference, relative to the pages. */
  targetsHref?: string;
  /** A line under the title on the index page (documents read, configuration). */
  description?: string;
}

export interface SiteFile {
  path: string;
  content: string;
}

/** Every file of one target's reference, paths relative to its folder. */
export function renderSite(ref: Reference, options: SiteOptions = {}): SiteFile[] {
  const ctx = new Context(ref, options);
  return [
    { path: 'index.html', content: ctx.indexPage() },
    ...ref.modules.map((m) => ({ path: m.page, content: ctx.modulePage(m) })),
    { path: 'search-index.js', content: searchIndexScript(ref) },
    { path: 'reference.css', content: css },
    { path: 'reference.js', content: script },
  ];
}

class Context {
  readonly link: Linker;
  private readonly typeDocs = new Map<string, string>();

  constructor(
    private readonly ref: Reference,
    private readonly options: SiteOptions,
  ) {
    // QEMU's manuals name their own index `qapi-qmp-index` (`qapi-qga-index`): here, the A–Z.
    this.link = (name) => ref.hrefs.get(name) ?? (/^qapi-\w+-index$/.test(name) ? 'index.html#az' : undefined);
    for (const e of ref.entries) if (e.kind === 'type' && e.doc.description) this.typeDocs.set(e.name, e.doc.description);
  }

  private typeName = (name: string): string => {
    const href = this.ref.hrefs.get(name);
    return href === undefined ? escapeHtml(name) : `<a href="${escapeHtml(href)}">${escapeHtml(name)}</a>`;
  };

  type = (ref: TypeRef): string => typeLabel(ref, this.typeName, escapeHtml);

  private page(title: string, current: ReferenceModule | undefined, main: string): string {
    const targets = this.options.targetsHref ? `<a class="targets" href="${escapeHtml(this.options.targetsHref)}">All targets</a>` : '';
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="reference.css">
</head>
<body>
<header class="top">
<a class="brand" href="index.html">${escapeHtml(this.ref.title)}</a>
<div class="search">
<input id="search" type="search" placeholder="Search commands, events, types, members" title="Search (press / to come here)" aria-label="Search commands, events, types and members" autocomplete="off" spellcheck="false" aria-controls="results">
<div id="results" role="listbox" aria-label="Search results" hidden></div>
</div>
${targets}
</header>
<div class="layout">
<nav class="side" aria-label="Modules">
${this.moduleNav(current)}
</nav>
<main id="content">
${main}
</main>
</div>
<script src="search-index.js"></script>
<script src="reference.js"></script>
</body>
</html>
`;
  }

  /** The modules as a tree (a section under the chapter before it); the current one with its contents. */
  private moduleNav(current: ReferenceModule | undefined): string {
    const out: string[] = [`<h2><a href="index.html#modules">Modules</a></h2>`, '<ol class="toc">'];
    let open = false;
    for (const m of this.ref.modules) {
      m.chapters.forEach((chapter, i) => {
        const nested = chapter.level > 1 && open;
        if (!nested && open) {
          out.push('</ol></li>');
          open = false;
        }
        const here = m === current && i === 0;
        const href = chapter.anchor ? `${m.page}#${chapter.anchor}` : m.page;
        const item = `<a href="${href}"${here ? ' aria-current="page"' : ''}>${escapeHtml(chapter.title)}</a>${here ? this.pageContents(m) : ''}`;
        if (nested) out.push(`<li>${item}</li>`);
        else {
          out.push(`<li>${item}<ol>`);
          open = true;
        }
      });
    }
    if (open) out.push('</ol></li>');
    out.push('</ol>');
    // Empty sub-lists are left out of the markup (they would still take a line in some browsers).
    return out.join('\n').replace(/<ol>\n<\/ol><\/li>/g, '</li>');
  }

  private pageContents(m: ReferenceModule): string {
    const items = m.parts.map((p) =>
      p.kind === 'heading'
        ? p.heading === m.headings[0] || p.heading.level <= m.level
          ? ''
          : `<li class="sub"><a href="#${p.heading.anchor}">${escapeHtml(p.heading.title)}</a></li>`
        : `<li><a href="#${p.entry.anchor}"><span class="k k-${p.entry.kind}" title="${p.entry.kind}">${p.entry.kind[0]}</span>${escapeHtml(p.entry.name)}</a></li>`,
    );
    return items.some((i) => i !== '') ? `<ul class="contents" aria-label="On this page">${items.join('')}</ul>` : '';
  }

  indexPage(): string {
    const counts = { command: 0, event: 0, type: 0 };
    for (const e of this.ref.entries) counts[e.kind]++;
    const rows = this.ref.modules.flatMap((m) =>
      m.chapters.map(
        (c) =>
          `<tr class="level-${Math.min(c.level, 3)}"><td><a href="${c.anchor ? `${m.page}#${c.anchor}` : m.page}">${escapeHtml(c.title)}</a>${c.sections
            .map((h) => ` <a class="sub" href="${m.page}#${h.anchor}">${escapeHtml(h.title)}</a>`)
            .join(
              '',
            )}</td><td><code>${escapeHtml(m.name)}</code></td><td class="n">${c.counts.command || ''}</td><td class="n">${c.counts.event || ''}</td><td class="n">${c.counts.type || ''}</td></tr>`,
      ),
    );
    const sorted = [...this.ref.entries].sort((a, b) => compareNames(a.name, b.name) || kindOrder[a.kind] - kindOrder[b.kind]);
    const letters = new Map<string, Entry[]>();
    for (const e of sorted) {
      const letter = /^[a-z]/i.test(e.name) ? e.name[0]!.toUpperCase() : '_';
      letters.set(letter, [...(letters.get(letter) ?? []), e]);
    }
    const modules = new Map(this.ref.modules.map((m) => [m.page, m.title]));
    const az = [...letters].map(
      ([letter, list]) =>
        `<h3 id="az-${letter}">${letter === '_' ? '_ (vendor extensions)' : letter}</h3>\n<ul class="az">${list
          .map(
            (e) =>
              `<li title="${e.kind} ${escapeHtml(e.name)} · ${escapeHtml(modules.get(e.page)!)}"><a href="${e.page}#${e.anchor}"><span class="k k-${e.kind}">${e.kind[0]}</span>${escapeHtml(e.name)}</a>${e.deprecated !== undefined ? ' <span class="badge deprecated">deprecated</span>' : ''}</li>`,
          )
          .join('')}</ul>`,
    );
    const main = `<h1>${escapeHtml(this.ref.title)}</h1>
${this.options.description ? `<p class="lead">${escapeHtml(this.options.description)}</p>` : ''}
<p class="lead">${plural(counts.command, 'command')}, ${plural(counts.event, 'event')} and ${plural(counts.type, 'type')} in ${plural(this.ref.modules.length, 'module')}. Search them all, members included, from the box above.</p>
<section id="modules">
<h2>Modules</h2>
<table class="modules"><thead><tr><th scope="col">Section</th><th scope="col">QAPI module</th><th scope="col" class="n">Commands</th><th scope="col" class="n">Events</th><th scope="col" class="n">Types</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>
<section id="az">
<h2>Index A–Z</h2>
<p class="letters">${[...letters.keys()].map((l) => `<a href="#az-${l}">${l}</a>`).join(' ')}</p>
${az.join('\n')}
</section>`;
    return this.page(this.ref.title, undefined, main);
  }

  modulePage(m: ReferenceModule): string {
    const parts: string[] = [];
    if (m.path.length > 0) parts.push(`<p class="breadcrumb">${m.path.map(escapeHtml).join(' › ')} ›</p>`);
    const counts = (['command', 'event', 'type'] as const).filter((k) => m.counts[k] > 0).map((k) => plural(m.counts[k], k));
    parts.push(`<h1 id="${m.headings[0]?.anchor ?? 'top'}">${escapeHtml(m.title)}</h1>`);
    parts.push(`<p class="module-meta">Module <code>${escapeHtml(m.name)}</code>${counts.length > 0 ? ` · ${counts.join(', ')}` : ''}</p>`);
    if (m.text) parts.push(prose(m.text, this.link));
    for (const p of m.parts) {
      if (p.kind === 'entry') parts.push(this.section(p.entry));
      else if (p.heading === m.headings[0]) {
        if (p.heading.text) parts.push(prose(p.heading.text, this.link));
      } else
        parts.push(`<h2 class="heading" id="${p.heading.anchor}">${escapeHtml(p.heading.title)}</h2>${p.heading.text ? prose(p.heading.text, this.link) : ''}`);
    }
    return this.page(`${m.title} — ${this.ref.title}`, m, parts.join('\n'));
  }

  private section(e: Entry): string {
    const parts: string[] = [`<section class="entry ${e.kind}" id="${e.anchor}">`];
    parts.push(
      `<h3 class="entry-title"><span class="kind">${e.kind}</span> <code>${escapeHtml(e.name)}</code>${badges(e)} <a class="permalink" href="#${e.anchor}" aria-label="Link to ${escapeHtml(e.name)}">#</a></h3>`,
    );
    if (e.releases)
      parts.push(
        `<p class="releases" title="${e.kind === 'type' ? 'the bundled releases (spec/) whose documents have a type of this name (its data may be older)' : 'the bundled releases (spec/) whose documents have it'}; a run names the first and last of them">In ${e.releases.length === 1 && !e.releases[0]!.includes('–') ? 'release' : 'releases'} ${e.releases.map((r) => `<span class="badge release">${escapeHtml(r)}</span>`).join(' ')}</p>`,
      );
    if (e.signature) parts.push(`<pre class="signature"><code>${escapeHtml(e.signature)}</code></pre>`);
    parts.push(prose(e.doc.description, this.link));
    if (e.type && e.type.kind !== 'union') parts.push(this.typeParts(e, e.type));
    if (e.membersType) parts.push(`<h4>${e.membersTitle}</h4><p>The members of ${this.type(e.membersType)}.</p>`);
    else if (e.members.length > 0) parts.push(`<h4>${e.membersTitle}</h4>${this.membersTable(e, e.members, '')}`);
    else if (e.kind !== 'type') parts.push(`<h4>${e.membersTitle}</h4><p>None.</p>`);
    if (e.type?.kind === 'union') parts.push(this.typeParts(e, e.type));
    if (e.kind === 'command') parts.push(this.returns(e));
    if (e.doc.errors && e.doc.errors.length > 0)
      parts.push(`<h4>Errors</h4><ul class="errors">${e.doc.errors.map((x) => `<li>${inline(x.replace(/\s*\n\s*/g, ' '), this.link)}</li>`).join('')}</ul>`);
    const features = e.features.filter((f) => f.doc !== undefined);
    if (features.length > 0)
      parts.push(
        `<h4>Features</h4><dl class="features">${features.map((f) => `<dt><code>${escapeHtml(f.name)}</code></dt><dd>${prose(f.doc!, this.link)}</dd>`).join('')}</dl>`,
      );
    for (const note of e.doc.notes) parts.push(`<aside class="note"><strong>Note:</strong> ${prose(note, this.link)}</aside>`);
    for (const s of e.doc.sections ?? []) parts.push(`<aside class="note"><strong>${escapeHtml(s.title)}:</strong> ${prose(s.text, this.link)}</aside>`);
    e.examples.forEach((example, i) => {
      parts.push(`<h4>Example${e.examples.length > 1 ? ` ${i + 1}` : ''}${example.title ? `: ${inline(example.title, this.link)}` : ''}</h4>`);
      parts.push(`<pre class="example"><code>${escapeHtml(exampleLines(example).join('\n'))}</code></pre>`);
    });
    parts.push('</section>');
    return parts.join('\n');
  }

  /** The return type once: in the documents' words when they name it, else beside them. */
  private returns(e: Entry): string {
    const out = ['<h4>Returns</h4>'];
    const { text, mentionsType } = returnsText(e.doc.returns, e.returns);
    if (e.noReply) out.push('<p>No reply: the command does not answer when it succeeds.</p>');
    else if (!e.returns) out.push('<p>An empty object, <code>{}</code>.</p>');
    else if (!(text && mentionsType)) out.push(`<p class="returns-type">${this.type(e.returns)}</p>`);
    if (text) out.push(prose(mentionsType && e.returns ? markTypeNames(text, e.returns) : text, this.link));
    const nested = e.returns ? nestedMembers(e.returns) : [];
    if (nested.length > 0) out.push(this.membersTable(e, nested, 'returns.'));
    return out.join('\n');
  }

  private membersTable(e: Entry, members: Member[], prefix: string): string {
    const rows: string[] = [];
    const add = (list: Member[], path: string, depth: number): void => {
      for (const m of list) {
        const name = `${path}${m.name}`;
        const flags: string[] = [];
        if (m.deprecated !== undefined) flags.push('<span class="badge deprecated">deprecated</span>');
        for (const f of m.features ?? []) if (f.name !== 'deprecated') flags.push(`<span class="badge feature">${escapeHtml(f.name)}</span>`);
        if (m.if !== undefined) flags.push(`<span class="badge condition">if ${escapeHtml(conditionOf(m))}</span>`);
        rows.push(
          `<tr id="${memberAnchor(e, `${prefix}${name}`)}"><td class="name" style="padding-left:${0.5 + depth * 1.25}em"><code>${path ? `<span class="path">${escapeHtml(path)}</span>` : ''}${escapeHtml(m.name)}</code>${flags.length > 0 ? ` ${flags.join(' ')}` : ''}</td><td class="type">${this.type(m.type)}</td><td class="required">${m.optional ? 'optional' : '<strong>required</strong>'}</td><td class="since">${m.since ? escapeHtml(m.since) : ''}</td><td class="description">${this.memberDescription(m)}</td></tr>`,
        );
        if (depth < 8) add(nestedMembers(m.type), `${name}${m.type.kind === 'array' ? '[].' : '.'}`, depth + 1);
      }
    };
    add(members, '', 0);
    return `<table class="members"><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Since</th><th scope="col">Description</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
  }

  /**
   * A member's words, its default and remarks. Where the schema gives none (QEMU 7.2 documents no
   * `@action` of `watchdog-set-action`), that is said, with the description of its type.
   */
  private memberDescription(m: Member): string {
    const out: string[] = [];
    if (m.doc && m.doc.trim() !== '') out.push(prose(m.doc, this.link));
    else {
      const typeDoc = m.type.kind === 'named' ? this.typeDocs.get(m.type.name) : undefined;
      out.push(
        `<p><span class="undocumented">Not documented in this schema.</span>${typeDoc && m.type.kind === 'named' ? ` Its type, ${this.typeName(m.type.name)}: ${inline(firstSentence(typeDoc), this.link)}` : ''}</p>`,
      );
    }
    if (m.default !== undefined) out.push(`<p class="default">Default: <code>${escapeHtml(m.default)}</code></p>`);
    for (const f of m.features ?? [])
      if (f.doc) out.push(`<p class="remark"><em>${escapeHtml(f.name)}</em>: ${inline(f.doc.replace(/\s*\n\s*/g, ' '), this.link)}</p>`);
    for (const note of m.notes ?? []) out.push(`<p class="remark">${inline(note, this.link)}</p>`);
    return out.join('');
  }

  private typeParts(e: Entry, t: NamedType): string {
    switch (t.kind) {
      case 'struct':
        return t.base ? `<p>Extends ${this.type({ kind: 'named', name: t.base })}: its members come first.</p>` : '';
      case 'enum':
        return `<h4>Values</h4><table class="values"><thead><tr><th scope="col">Value</th><th scope="col">Description</th></tr></thead><tbody>${t.values
          .map(
            (v) =>
              `<tr id="${memberAnchor(e, v.name)}"><td class="name"><code>${escapeHtml(JSON.stringify(v.name))}</code>${v.deprecated !== undefined ? ' <span class="badge deprecated">deprecated</span>' : ''}${v.if !== undefined ? ` <span class="badge condition">if ${escapeHtml(conditionOf(v))}</span>` : ''}</td><td class="description">${v.doc ? prose(v.doc, this.link) : '<span class="undocumented">Not documented in this schema.</span>'}</td></tr>`,
          )
          .join('')}</tbody></table>`;
      case 'union': {
        // A description column only where the documents describe some branch.
        const described = t.variants.some((v) => v.doc);
        return `${t.base ? `<p>Base: ${this.type({ kind: 'named', name: t.base })}.</p>` : ''}<h4>Variants</h4><p>Selected by <code>${escapeHtml(t.discriminator)}</code>; each adds the members of its type:</p><table class="variants"><thead><tr><th scope="col">${escapeHtml(t.discriminator)}</th><th scope="col">Members</th>${described ? '<th scope="col">Description</th>' : ''}</tr></thead><tbody>${t.variants
          .map(
            (v) =>
              `<tr id="${memberAnchor(e, `${t.discriminator}=${v.value}`)}"><td class="name"><code>${escapeHtml(JSON.stringify(v.value))}</code></td><td class="type">${this.type(v.type)}${nestedMembers(v.type).length > 0 ? this.membersTable(e, nestedMembers(v.type), `${v.value}.`) : ''}</td>${described ? `<td class="description">${v.doc ? prose(v.doc, this.link) : ''}</td>` : ''}</tr>`,
          )
          .join('')}</tbody></table>`;
      }
      case 'alternate': {
        const described = t.alternatives.some((a) => a.doc);
        return `<h4>One of</h4><table class="alternatives"><thead><tr><th scope="col">Alternative</th><th scope="col">Type</th>${described ? '<th scope="col">Description</th>' : ''}</tr></thead><tbody>${t.alternatives
          .map(
            (a) =>
              `<tr><td class="name"><code>${escapeHtml(a.name)}</code></td><td class="type">${this.type(a.type)}</td>${described ? `<td class="description">${a.doc ? prose(a.doc, this.link) : ''}</td>` : ''}</tr>`,
          )
          .join('')}</tbody></table>`;
      }
    }
  }
}

function conditionOf(x: { if?: Member['if'] }): string {
  const c = x.if;
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  return JSON.stringify(c);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const kindOrder: Record<EntryKind, number> = { command: 0, event: 1, type: 2 };

/** Case-folded, then by code unit: the same order everywhere, whatever the locale. */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** The return type's bare name in the documents' words (`TargetInfo`) marked as a reference. */
function markTypeNames(text: string, returns: TypeRef): string {
  let out = text;
  for (const name of returnsNames(returns)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(^|[^\\w@\`-])(${escaped})(?=$|[^\\w\`-])`), '$1@$2');
  }
  return out;
}

function returnsNames(type: TypeRef): string[] {
  if (type.kind === 'named') return [type.name];
  if (type.kind === 'array') return returnsNames(type.of);
  return [];
}

function badges(e: Entry): string {
  const out: string[] = [];
  if (e.since) out.push(`<span class="badge since">since ${escapeHtml(e.since)}</span>`);
  if (e.deprecated !== undefined) out.push(`<span class="badge deprecated" title="${escapeHtml(e.deprecated)}">deprecated</span>`);
  for (const f of e.features) if (f.name !== 'deprecated') out.push(`<span class="badge feature">${escapeHtml(f.name)}</span>`);
  if (e.condition) out.push(`<span class="badge condition">if ${escapeHtml(e.condition)}</span>`);
  return out.length > 0 ? ` ${out.join(' ')}` : '';
}

const kindCode: Record<string, string> = { command: 'c', event: 'e', type: 't', member: 'm', value: 'v' };

/**
 * The search index as a script that sets a global: a page opened from the file system may not
 * fetch a file beside it, but may load a script. Items: [name, kind, module, parent, href].
 */
function searchIndexScript(ref: Reference): string {
  const modules = ref.modules.map((m) => m.title);
  const moduleIndex = new Map(ref.modules.map((m, i) => [m.title, i]));
  const parents = new Map<string, number>();
  const items: (string | number)[][] = [];
  for (const item of ref.search) {
    const parent = item.parent ? (parents.get(`${item.parent.kind}:${item.parent.name}`) ?? -1) : -1;
    if (!item.parent) parents.set(`${item.kind}:${item.name}`, items.length);
    items.push([item.name, kindCode[item.kind]!, moduleIndex.get(item.module)!, parent, item.href]);
  }
  return `// The search index of ${ref.title}: ${items.length} items. Generated; read by reference.js.\nwindow.QMP_SEARCH = ${JSON.stringify({ modules, items })};\n`;
}

const css = `:root{color-scheme:light dark;--fg:#1b1b1f;--muted:#5c5f66;--bg:#fff;--panel:#f5f6f8;--line:#dcdfe4;--accent:#0b57d0;--warn:#b3261e;--hit:#fff3b0;--target:#eef4ff}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e9;--muted:#a3a7ae;--bg:#15161a;--panel:#1d1f24;--line:#30333a;--accent:#8ab4ff;--warn:#ff8a80;--hit:#5a4b00;--target:#1f2a40}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.top{position:sticky;top:0;z-index:10;display:flex;align-items:center;gap:1rem;height:3.5rem;padding:0 1rem;background:var(--panel);border-bottom:1px solid var(--line)}
.brand{font-weight:650;color:var(--fg);white-space:nowrap}
.targets{margin-left:auto;white-space:nowrap;font-size:.9rem}
.search{position:relative;flex:1;max-width:40rem}
#search{width:100%;padding:.45rem .7rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
#results{position:absolute;left:0;right:0;top:calc(100% + 4px);max-height:70vh;overflow:auto;background:var(--bg);border:1px solid var(--line);border-radius:6px;box-shadow:0 8px 24px rgba(0,0,0,.18)}
#results .count{padding:.35rem .7rem;font-size:.8rem;color:var(--muted);border-bottom:1px solid var(--line)}
#results a{display:block;padding:.3rem .7rem;color:var(--fg);border-bottom:1px solid var(--line)}
#results a:last-child{border-bottom:0}
#results a.active,#results a:hover{background:var(--target);text-decoration:none}
#results .name{font-family:ui-monospace,monospace;font-size:.9rem}
#results mark{background:var(--hit);color:inherit;border-radius:2px}
.where{color:var(--muted);font-size:.8rem}
.layout{display:grid;grid-template-columns:18rem minmax(0,1fr)}
.side{position:sticky;top:3.5rem;height:calc(100vh - 3.5rem);overflow:auto;padding:.8rem 1rem 2rem;background:var(--panel);border-right:1px solid var(--line);font-size:.9rem}
.side h2{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:.2rem 0 .4rem}
.side h2 a{color:inherit}
.toc,.toc ol,.contents{list-style:none;margin:0;padding:0}
.toc ol{padding-left:.9rem}
.toc li{margin:.1rem 0}
.toc a[aria-current]{font-weight:650;color:var(--fg)}
.contents{margin:.3rem 0 .5rem .2rem;padding-left:.5rem;border-left:2px solid var(--line)}
.contents li{font-family:ui-monospace,monospace;font-size:.8rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.contents a.here{font-weight:700;color:var(--fg)}
.contents li.sub{font-family:inherit;font-weight:600;font-size:.8rem;margin-top:.3rem}
.k{display:inline-block;width:1.1rem;margin-right:.3rem;text-align:center;border-radius:3px;font-size:.7rem;font-family:ui-monospace,monospace;font-weight:700;color:#fff;text-transform:uppercase}
.k-command{background:#2f6fde}.k-event{background:#b25e09}.k-type{background:#4f7a28}.k-member{background:#6b5fb5}.k-value{background:#777}
main{padding:1rem 2rem 4rem;max-width:76rem;min-width:0}
main h1{font-size:1.6rem;margin:.4rem 0 .2rem}
.lead,.module-meta,.breadcrumb{color:var(--muted)}.breadcrumb{margin:.5rem 0 0;font-size:.9rem}.module-meta{margin:0 0 1rem}
main h1,h2.heading{scroll-margin-top:4rem}
h2.heading{font-size:1.3rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:2px solid var(--line)}
.entry{border-top:1px solid var(--line);padding:.9rem 0 .6rem;scroll-margin-top:4rem}
.entry-title{font-size:1.15rem;margin:.1rem 0 .4rem}
.entry-title code{font-size:1.05rem;font-weight:650}
.kind{font-size:.72rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:500}
.permalink{visibility:hidden;font-weight:400;color:var(--muted)}.entry-title:hover .permalink{visibility:visible}
.entry:target,tr:target{background:var(--target)}
tr{scroll-margin-top:9rem}
h4{font-size:.95rem;margin:1rem 0 .35rem}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;overflow:auto}
.signature{font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.2rem 0 .6rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top}
thead th{color:var(--muted);font-weight:600;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;border-bottom-width:2px;white-space:nowrap}
td p{margin:0 0 .35rem}td p:last-child{margin-bottom:0}
td.name{white-space:nowrap}td.required,td.since{white-space:nowrap;color:var(--muted)}td.required strong{color:var(--fg);font-weight:600}
td.type{min-width:8rem}
.path{color:var(--muted)}
td table{margin:.4rem 0 0;font-size:.85rem}
.undocumented{color:var(--muted);font-style:italic}
.default,.remark{color:var(--muted);font-size:.85rem}
.badge{display:inline-block;font-size:.7rem;font-weight:600;padding:0 .4rem;border-radius:999px;border:1px solid var(--line);color:var(--muted);vertical-align:middle;font-family:system-ui,sans-serif;white-space:nowrap}
.badge.deprecated{color:var(--warn);border-color:var(--warn)}
.releases{margin:.1rem 0 .4rem;font-size:.85rem;color:var(--muted)}
.note{border-left:3px solid var(--accent);padding:.3rem .8rem;margin:.6rem 0;background:var(--panel)}.note p{margin:.2rem 0}
.caption{font-weight:600;margin-bottom:.2rem}
.features dt{margin-top:.3rem}.features dd{margin-left:1.2rem}
table.modules td.n,table.modules th.n{text-align:right;width:6rem}
table.modules tr.level-2 td:first-child{padding-left:1.6rem}table.modules tr.level-3 td:first-child{padding-left:2.6rem}
table.modules a.sub{font-size:.8rem;color:var(--muted);margin-left:.4rem}
.letters{font-size:1.05rem;word-spacing:.35rem}
.az{columns:3 18rem;list-style:none;padding:0;margin:0 0 1rem}
.az li{break-inside:avoid;font-family:ui-monospace,monospace;font-size:.85rem;padding:.05rem 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
@media (max-width:900px){.layout{display:block}.side{position:static;height:auto;max-height:14rem;border-right:0;border-bottom:1px solid var(--line)}main{padding:1rem}.brand{display:none}main table{display:block;overflow-x:auto}
table.members,table.members tbody{display:block}table.members thead{display:none}table.members tr{display:block;padding:.4rem 0;border-bottom:1px solid var(--line)}
table.members td{display:inline;border:0;padding:0 .6rem 0 0}table.members td.description{display:block;padding:.2rem 0 0}table.members td.since:not(:empty)::before{content:"since "}}
`;

// The search: ranks by where the words match (whole name, start, after a separator, anywhere),
// then commands, events, types, members and values, then shorter names; arrows and Enter pick.
const script = `(() => {
  const index = window.QMP_SEARCH;
  const input = document.getElementById('search');
  const box = document.getElementById('results');
  if (!index || !input || !box) return;
  const kinds = { c: 'command', e: 'event', t: 'type', m: 'member', v: 'value' };
  const rank = { c: 0, e: 1, t: 2, m: 3, v: 4 };
  const lower = index.items.map((item) => item[0].toLowerCase());
  const escape = (s) => s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  const score = (name, word) => {
    if (name === word) return 0;
    if (name.startsWith(word)) return 1;
    const at = name.indexOf(word);
    if (at < 0) return -1;
    return /[-_.]/.test(name[at - 1]) ? 2 : 3;
  };
  let shown = [];
  let active = -1;
  const limit = 60;
  function search() {
    const words = input.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    if (words.length === 0) { box.hidden = true; shown = []; return; }
    const hits = [];
    for (let i = 0; i < index.items.length; i++) {
      const item = index.items[i];
      // The last word is matched in the name; words before it narrow by the parent's name or the module.
      let s = score(lower[i], words[words.length - 1]);
      if (s < 0) continue;
      if (words.length > 1) {
        const context = ((item[3] >= 0 ? index.items[item[3]][0] : '') + ' ' + index.modules[item[2]]).toLowerCase();
        if (!words.slice(0, -1).every((w) => context.includes(w) || lower[i].includes(w))) continue;
        // Words that name the owner rank its members above the owner itself.
        if (!words.slice(0, -1).every((w) => context.includes(w))) s += 2;
      }
      // A member or value ranks as a definition matched one way less well.
      hits.push([s + (rank[item[1]] > 2 ? 2 : 0), rank[item[1]], item[0].length, i]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (lower[a[3]] < lower[b[3]] ? -1 : lower[a[3]] > lower[b[3]] ? 1 : 0));
    shown = hits.slice(0, limit).map((h) => h[3]);
    const word = words[words.length - 1];
    const mark = (name) => {
      const at = name.toLowerCase().indexOf(word);
      return at < 0 ? escape(name) : escape(name.slice(0, at)) + '<mark>' + escape(name.slice(at, at + word.length)) + '</mark>' + escape(name.slice(at + word.length));
    };
    box.innerHTML = '<div class="count">' + (hits.length === 0 ? 'Nothing matches' : hits.length + (hits.length === 1 ? ' match' : ' matches') + (hits.length > limit ? ', the first ' + limit + ' shown' : '')) + '</div>' +
      shown.map((i, n) => {
        const item = index.items[i];
        const parent = item[3] >= 0 ? index.items[item[3]] : null;
        const where = (parent ? (item[1] === 'v' ? 'value of ' : 'member of ') + kinds[parent[1]] + ' ' + escape(parent[0]) + ' · ' : '') + escape(index.modules[item[2]]);
        return '<a role="option" id="result-' + n + '" href="' + escape(item[4]) + '"><span class="k k-' + kinds[item[1]] + '" title="' + kinds[item[1]] + '">' + item[1] + '</span><span class="name">' + mark(item[0]) + '</span> <span class="where">' + where + '</span></a>';
      }).join('');
    box.hidden = false;
    select(shown.length > 0 ? 0 : -1);
  }
  function select(n) {
    const links = box.querySelectorAll('a');
    links.forEach((a, i) => a.classList.toggle('active', i === n));
    active = n;
    if (n >= 0) { links[n].scrollIntoView({ block: 'nearest' }); input.setAttribute('aria-activedescendant', 'result-' + n); }
    else input.removeAttribute('aria-activedescendant');
  }
  input.addEventListener('input', search);
  input.addEventListener('focus', () => { if (input.value.trim()) search(); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); if (shown.length) select((active + 1) % shown.length); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); if (shown.length) select((active - 1 + shown.length) % shown.length); }
    else if (event.key === 'Enter' && active >= 0) { event.preventDefault(); box.querySelectorAll('a')[active].click(); }
    else if (event.key === 'Escape') { input.value = ''; box.hidden = true; }
  });
  box.addEventListener('click', (event) => { if (event.target.closest('a')) box.hidden = true; });
  document.addEventListener('click', (event) => { if (!event.target.closest('.search')) box.hidden = true; });
  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && document.activeElement !== input) { event.preventDefault(); input.focus(); input.select(); }
  });
  // The side bar shows where the reader is: the module, and the entry the address names.
  // Only the side bar scrolls for it, never the page.
  const side = document.querySelector('.side');
  function place() {
    if (!side) return;
    const entry = decodeURIComponent(location.hash.slice(1)).split(':')[0];
    side.querySelectorAll('.contents a.here').forEach((a) => a.classList.remove('here'));
    const link = entry ? [...side.querySelectorAll('.contents a')].find((a) => a.getAttribute('href') === '#' + entry) : null;
    if (link) link.classList.add('here');
    const shown = link || side.querySelector('[aria-current]');
    if (!shown) return;
    const top = shown.offsetTop - side.offsetTop;
    if (top < side.scrollTop || top > side.scrollTop + side.clientHeight - 24) side.scrollTop = top - (link ? side.clientHeight / 3 : 8);
  }
  place();
  window.addEventListener('hashchange', place);
})();
`;

/** The page that lists every target's reference. */
export function renderTargetsIndex(targets: { name: string; title: string; summary: string }[]): string {
  const rows = targets
    .map(
      (t) =>
        `<tr><td><a href="${escapeHtml(t.name)}/index.html">${escapeHtml(t.name)}</a></td><td>${escapeHtml(t.summary)}</td><td><a href="${escapeHtml(t.name)}/reference.md">Markdown</a></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>QMP references</title>
<style>:root{color-scheme:light dark}body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #8884}a{color:#0b57d0}@media (prefers-color-scheme:dark){a{color:#8ab4ff}}</style>
</head>
<body>
<h1>QMP references</h1>
<p>One reference per target: its modules, an index A–Z, and a search over commands, events, types and members.</p>
<table><thead><tr><th scope="col">Target</th><th scope="col">What it covers</th><th scope="col">Also as</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body>
</html>
`;
}
