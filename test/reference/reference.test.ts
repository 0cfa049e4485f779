/**
 * The reference's pages as files (the browser test opens them): arranged by QAPI module as
 * QEMU's own reference is, member tables with a header per column and every member's words and
 * `since`, "Returns" naming the type once, every link resolving, the search index covering
 * definitions and members, nothing from the network, and the same bytes from the same model.
 */
import { describe, expect, it } from 'vitest';
import { readTarget } from '../../codegen/generate/read-target.js';
import { mergeReleases } from '../../codegen/range/merge.js';
import { readModel } from '../../codegen/frontends/index.js';
import { relocateModel } from '../../codegen/ir/relocate.js';
import { join } from 'node:path';
import { arrangementOf, referenceFiles, referenceOf } from '../../codegen/emit/reference/index.js';
import { renderSite } from '../../codegen/emit/reference/html.js';
import { renderMarkdown } from '../../codegen/emit/reference/markdown.js';
import { inline, prose } from '../../codegen/emit/reference/prose.js';
import { targets } from '../../codegen/targets.js';
import type { QmpModel } from '../../codegen/ir/types.js';
import type { Reference } from '../../codegen/emit/reference/view.js';
import { projectRoot } from '../support/typecheck.js';

const target = (name: string) => targets.find((t) => t.name === name)!;
const models = new Map<string, QmpModel>();
const model = (name: string): QmpModel => {
  if (!models.has(name)) models.set(name, readTarget(target(name), projectRoot));
  return models.get(name)!;
};
const site = (ref: Reference) => new Map(renderSite(ref).map((f) => [f.path, f.content]));

/** The HTML of one entry's section on its page. */
function sectionOf(files: Map<string, string>, ref: Reference, kind: string, name: string): string {
  const entry = ref.entries.find((e) => e.kind === kind && e.name === name)!;
  const page = files.get(entry.page)!;
  const start = page.indexOf(`<section class="entry ${kind}" id="${entry.anchor}">`);
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
/** A table's rows as the text of their cells. */
function rows(html: string, rowId: string): string[] {
  const row = new RegExp(`<tr id="${rowId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">([\\s\\S]*?)</tr>`).exec(html);
  expect(row, rowId).not.toBeNull();
  return [...row![1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!));
}

describe('the reference, arranged as QEMU arranges its own', () => {
  const q72 = referenceOf(model('qemu-7.2.0'), { title: 'QEMU 7.2.0' });

  it('has a page per QAPI module, in reading order, titled by its heading', () => {
    const modules = q72.modules.map((m) => `${m.name}: ${m.title}`);
    expect(modules.slice(0, 8)).toEqual([
      'qapi-schema: Introduction',
      'error: QMP errors',
      'common: Common data types',
      'sockets: Socket data types',
      'run-state: VM run state',
      'crypto: Cryptography',
      'block: Block devices',
      'block-core: Block core (VM unrelated)',
    ]);
    // pragma.json defines nothing and has no text: no page.
    expect(q72.modules.some((m) => m.name === 'pragma')).toBe(false);
    // Every definition is on the page of the file that defines it.
    for (const e of q72.entries) expect(q72.modules.find((m) => m.page === e.page)!.name, e.name).toBe(/qapi\/(.+)\.json$/.exec(e.loc.file)![1]);
    expect(q72.entries.find((e) => e.name === 'watchdog-set-action')!.page).toBe('run-state.html');
    expect(q72.modules.find((m) => m.name === 'block-core')!.path).toEqual(['Block devices']);
  });

  it("places each definition under its file's heading: ui.json's Spice, VNC and the Input chapter", () => {
    const ui = q72.modules.find((m) => m.name === 'ui')!;
    const outline = ui.parts.map((p) => (p.kind === 'heading' ? `# ${p.heading.title}` : p.entry.name));
    const at = (item: string) => outline.indexOf(item);
    expect(outline[0]).toBe('# Remote desktop');
    expect(at('set_password')).toBeLessThan(at('# Spice'));
    expect(at('# Spice')).toBeLessThan(at('query-spice'));
    expect(at('query-spice')).toBeLessThan(at('# VNC'));
    expect(at('# VNC')).toBeLessThan(at('query-vnc'));
    expect(at('query-vnc')).toBeLessThan(at('# Input'));
    expect(at('# Input')).toBeLessThan(at('input-send-event'));
    // `= Input` is a chapter of its own in the tables of contents, `== Spice` a section of the first.
    expect(ui.chapters.map((c) => [c.title, c.sections.map((s) => s.title)])).toEqual([
      ['Remote desktop', ['Spice', 'VNC']],
      ['Input', []],
    ]);
  });

  it('arranges a model merged from releases by their modules, each definition where the newest schema has it', () => {
    // QEMU 7.2's schema, then its own query-qmp-schema reply (newest, and without modules).
    const reply = relocateModel(readModel([join(projectRoot, 'spec/qemu-7.2.0/query-qmp-schema.json')]), projectRoot);
    const releases = [model('qemu-7.2.0'), reply];
    const merged = mergeReleases(releases.map((m, i) => ({ label: ['7.2.0', '7.2.0 (reply)'][i]!, model: m })));
    // The merge places it where the schema has it, so it is on the schema module's page.
    expect(merged.commands.find((c) => c.name === 'watchdog-set-action')!.loc.file).toBe('spec/qemu-7.2.0/qapi-schema/qapi/run-state.json');
    const ref = referenceOf(merged, { title: 'range', ...arrangementOf(releases) });
    expect(ref.entries.find((e) => e.name === 'watchdog-set-action')!.page).toBe('run-state.html');
    const pages = new Set(ref.modules.map((m) => m.page));
    expect(ref.entries.filter((e) => !pages.has(e.page))).toEqual([]);
    // Every command and event is on a module's page, none on a page of the reply.
    const modulePages = new Set(ref.modules.filter((m) => !m.name.endsWith('.json')).map((m) => m.page));
    expect(ref.entries.filter((e) => e.kind !== 'type' && !modulePages.has(e.page)).map((e) => e.name)).toEqual([]);
  });

  it('arranges a query-qmp-schema reply as the schema it is named from: each definition where the schema has it', () => {
    const reply = relocateModel(readModel([join(projectRoot, 'spec/qemu-7.2.0/query-qmp-schema.json')]), projectRoot);
    const schema = model('qemu-7.2.0');
    const ref = referenceOf(reply, { title: 'reply', ...arrangementOf([schema, reply]) });
    const inSchema = new Set([...schema.commands, ...schema.events, ...schema.types].map((d) => d.name));
    const replyPage = ref.modules.find((m) => m.name === 'query-qmp-schema.json')?.page;
    const misplaced = ref.entries.filter((e) => inSchema.has(e.name) && e.page === replyPage).map((e) => e.name);
    expect(ref.entries.find((e) => e.name === 'query-status')!.page).toBe('run-state.html');
    expect(misplaced).toEqual([]);
    // What the schema does not have (the reply's own type names) stays on the reply's page.
    expect(ref.entries.filter((e) => e.page === replyPage).every((e) => !inSchema.has(e.name))).toBe(true);
  });

  it('gives text documents a page per document', () => {
    const ref = referenceOf(model('qemu-2.8.0'), { title: '2.8' });
    expect(ref.modules.map((m) => [m.page, m.counts])).toEqual([
      ['qmp-commands.html', { command: 124, event: 0, type: 0 }],
      ['qmp-events.html', { command: 0, event: 36, type: 0 }],
    ]);
  });
});

describe('member tables and returns', () => {
  const q72 = referenceOf(model('qemu-7.2.0'), { title: 'QEMU 7.2.0' });
  const q102 = referenceOf(model('qemu-10.2.0'), { title: 'QEMU 10.2.0' });
  const f72 = site(q72);
  const f102 = site(q102);

  it('heads every column of every member table', () => {
    for (const files of [f72, f102]) {
      for (const [path, html] of files) {
        if (!path.endsWith('.html')) continue;
        const tables = html.match(/<table class="members">/g)?.length ?? 0;
        const headed =
          html.match(
            /<table class="members"><thead><tr><th scope="col">Name<\/th><th scope="col">Type<\/th><th scope="col">Required<\/th><th scope="col">Since<\/th><th scope="col">Description<\/th><\/tr><\/thead>/g,
          )?.length ?? 0;
        expect(headed, path).toBe(tables);
      }
    }
  });

  it("shows watchdog-set-action's action: 10.2's words; for 7.2, whose schema has none, says so with its type's", () => {
    const section102 = sectionOf(f102, q102, 'command', 'watchdog-set-action');
    expect(rows(section102, 'command-watchdog-set-action:action')).toEqual([
      'action',
      'WatchdogAction',
      'required',
      '',
      'WatchdogAction action taken when watchdog timer expires.',
    ]);
    // QEMU 7.2's run-state.json documents no @action: (its doc comment is lines 379-385).
    expect(model('qemu-7.2.0').commands.find((c) => c.name === 'watchdog-set-action')!.arguments[0]!.doc).toBeUndefined();
    const section72 = sectionOf(f72, q72, 'command', 'watchdog-set-action');
    expect(rows(section72, 'command-watchdog-set-action:action')).toEqual([
      'action',
      'WatchdogAction',
      'required',
      '',
      "Not documented in this schema. Its type, WatchdogAction: An enumeration of the actions taken when the watchdog device's timer is expired",
    ]);
    // The Markdown twin says the same, under the same column heads.
    const md = renderMarkdown(q72);
    const at = md.indexOf('#### command `watchdog-set-action`');
    expect(md.slice(at, md.indexOf('####', at + 5))).toContain(
      '| Name | Type | Required | Since | Description |\n| --- | --- | --- | --- | --- |\n| <a id="command-watchdog-set-action:action"></a>`action` | [WatchdogAction](#type-WatchdogAction) | required |  | _Not documented in this schema._ Its type, [WatchdogAction](#type-WatchdogAction): An enumeration',
    );
  });

  it('gives each member its own since and default, and every member of a table its description where the schema has one', () => {
    expect(rows(sectionOf(f72, q72, 'event', 'SHUTDOWN'), 'event-SHUTDOWN:reason')).toEqual([
      'reason',
      'ShutdownCause',
      'required',
      '4.0',
      'The ShutdownCause which resulted in the SHUTDOWN. (since 4.0)',
    ]);
    const mirror = sectionOf(f72, q72, 'type', 'DriveMirror');
    expect(rows(mirror, 'type-DriveMirror:speed').slice(2, 4)).toEqual(['optional', '']);
    // Every member the IR describes is described in its row.
    for (const e of q72.entries) {
      for (const m of e.members) {
        if (!m.doc) continue;
        const cells = rows(sectionOf(f72, q72, e.kind, e.name), `${e.anchor}:${m.name}`);
        expect(cells[4], `${e.name}.${m.name}`).not.toMatch(/^Not documented/);
      }
    }
  });

  it('names the return type once: in the words when they name it, beside them when not', () => {
    const returnsOf = (files: Map<string, string>, ref: Reference, name: string) => {
      const html = sectionOf(files, ref, 'command', name);
      const start = html.indexOf('<h4>Returns</h4>');
      const ends = ['<h4>', '<aside'].map((tag) => html.indexOf(tag, start + 1)).filter((at) => at !== -1);
      return html.slice(start, ends.length > 0 ? Math.min(...ends) : undefined);
    };
    const status = returnsOf(f72, q72, 'query-status');
    expect(text(status)).toBe('Returns StatusInfo reflecting all VCPUs');
    expect(status.match(/>StatusInfo</g)).toHaveLength(1);
    expect(text(returnsOf(f72, q72, 'query-kvm'))).toBe('Returns KvmInfo');
    expect(text(returnsOf(f72, q72, 'query-block'))).toBe(
      'Returns a list of BlockInfo describing each virtual block device. Filter nodes that were created implicitly are skipped over.',
    );
    // 10.2 words it without the type: the type, then the words.
    expect(text(returnsOf(f102, q102, 'query-block'))).toBe(
      'Returns array of BlockInfo a list describing each virtual block device. Filter nodes that were created implicitly are skipped over.',
    );
    expect(text(returnsOf(f72, q72, 'stop'))).toBe('Returns An empty object, {}.');
  });

  it('shows the releases that have a command, when given them', () => {
    const ref = referenceOf(model('qemu-7.2.0'), { title: 'x', releases: new Map([['query-status', ['0.14.0', '7.2.0']]]) });
    expect(text(sectionOf(site(ref), ref, 'command', 'query-status'))).toContain('In releases 0.14.0 7.2.0');
    expect(sectionOf(f72, q72, 'command', 'query-status')).not.toContain('class="releases"');
  });
});

describe('links, search and determinism', () => {
  const q72 = referenceOf(model('qemu-7.2.0'), { title: 'QEMU 7.2.0' });
  const files = site(q72);

  it('resolves every link of every page to a page and an element of it', () => {
    const ids = new Map([...files].map(([path, html]) => [path, new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!))]));
    const broken: string[] = [];
    let count = 0;
    for (const [path, html] of files) {
      if (!path.endsWith('.html')) continue;
      for (const [, href] of html.matchAll(/ href="([^"]+)"/g)) {
        count++;
        const [page, anchor] = href!.replace(/&amp;/g, '&').split('#');
        const target = page === '' ? path : page!;
        if (!ids.has(target)) broken.push(`${path}: ${href}`);
        else if (anchor !== undefined && !ids.get(target)!.has(anchor)) broken.push(`${path}: ${href}`);
      }
    }
    expect(count).toBeGreaterThan(5000);
    expect(broken).toEqual([]);
  });

  it('indexes every command, event and type, their members and enum values, each with a place that exists', () => {
    const script = files.get('search-index.js')!;
    const index = JSON.parse(script.slice(script.indexOf('{'), script.lastIndexOf('}') + 1)) as {
      modules: string[];
      items: [string, string, number, number, string][];
    };
    const m = model('qemu-7.2.0');
    const names = new Set(index.items.filter((i) => i[3] === -1).map((i) => i[0]));
    for (const d of [...m.commands, ...m.events, ...m.types]) expect(names.has(d.name), d.name).toBe(true);
    const action = index.items.find((i) => i[0] === 'action' && index.items[i[3]]?.[0] === 'watchdog-set-action')!;
    expect(action.slice(1)).toEqual([
      'm',
      index.modules.indexOf('VM run state'),
      index.items.findIndex((i) => i[0] === 'watchdog-set-action'),
      'run-state.html#command-watchdog-set-action:action',
    ]);
    expect(index.items.some((i) => i[1] === 'v' && i[0] === 'inject-nmi')).toBe(true);
    for (const [, , , , href] of index.items) {
      const [page, anchor] = href.split('#');
      expect(files.get(page!)?.includes(` id="${anchor}"`), href).toBe(true);
    }
  });

  it('asks nothing of the network: no remote script, style, image or link', () => {
    for (const [path, content] of files) {
      expect(content.match(/(src|href)="(https?:)?\/\/[^"]*"/g) ?? [], path).toEqual([]);
      expect(content, path).not.toMatch(/\bfetch\(|XMLHttpRequest|@import|url\(/);
    }
  });

  it('writes the same bytes from the same documents', () => {
    const again = referenceFiles(readTarget(target('qemu-7.2.0'), projectRoot), { title: 'QEMU 7.2.0' });
    const first = referenceFiles(model('qemu-7.2.0'), { title: 'QEMU 7.2.0' });
    expect(again.map((f) => f.path)).toEqual(first.map((f) => f.path));
    for (let i = 0; i < first.length; i++) expect(again[i]!.content === first[i]!.content, first[i]!.path).toBe(true);
  });
});

describe('the documents’ markup', () => {
  const link = (name: string) => (name === 'StatusInfo' ? 'run-state.html#type-StatusInfo' : undefined);

  it('links @name and `name` to definitions, and shows others as code, literals untouched', () => {
    expect(inline('@StatusInfo and `StatusInfo`, @device, ``@StatusInfo``', link)).toBe(
      '<a href="run-state.html#type-StatusInfo"><code>StatusInfo</code></a> and <a href="run-state.html#type-StatusInfo"><code>StatusInfo</code></a>, <code>device</code>, <code>@StatusInfo</code>',
    );
    expect(inline('see :doc:`QEMU Machine Protocol Specification </interop/qmp-spec>`, a@b.c', link)).toBe('see QEMU Machine Protocol Specification, a@b.c');
  });

  it('reads lists, literal blocks and directives', () => {
    expect(prose('Ways:\n\n* one\n  more\n* two\n\nAfter.', link)).toBe('<p>Ways:</p>\n<ul><li>one more</li><li>two</li></ul>\n<p>After.</p>');
    expect(prose('- Nothing on success\n- If @device is absent, DeviceNotFound', link)).toBe(
      '<ul><li>Nothing on success</li><li>If <code>device</code> is absent, DeviceNotFound</li></ul>',
    );
    expect(prose('Example:\n\n::\n\n  -> x', link)).toBe('<p>Example:</p>\n<pre class="literal">-&gt; x</pre>');
    expect(prose('Like this::\n\n  -> { "execute": "x" }\n\nDone.', link)).toBe(
      '<p>Like this:</p>\n<pre class="literal">-&gt; { &quot;execute&quot;: &quot;x&quot; }</pre>\n<p>Done.</p>',
    );
    expect(prose('.. table:: Valid combinations\n   :widths: auto\n\n   ===  ===\n   a    b\n   ===  ===', link)).toBe(
      '<p class="caption">Valid combinations</p><pre class="literal">===  ===\na    b\n===  ===</pre>',
    );
    expect(prose('.. caution:: Do not.', link)).toBe('<aside class="note"><strong>Caution:</strong> Do not. </aside>');
  });
});
