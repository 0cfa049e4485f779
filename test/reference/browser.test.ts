/// <reference lib="dom" />
/**
 * Opens the generated references (QEMU 7.2 and 10.2 schemas, QEMU 2.8.0 text documents) in
 * Debian's Chromium from the file system, as a reader would: every command and event of the IR
 * is in the index A–Z, the search finds definitions and members and takes the reader there,
 * the modules lead from page to page, internal links resolve, and not one request leaves the
 * file system (any other is failed and counted). Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../codegen/cli.js';
import { readModel } from '../../codegen/frontends/index.js';
import { projectRoot } from '../support/typecheck.js';

const executablePath = '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available && process.env.CI) throw new Error(`${executablePath} is missing: .ci/run installs Debian's chromium`);

const artifacts = join(projectRoot, 'test-artifacts');
const out = mkdtempSync(join(tmpdir(), 'qmp-reference-'));
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

interface Case {
  name: string;
  inputs: string[];
  conditions?: string[];
  /** A command found by a prefix of its name. */
  search: string;
  expectIn: string;
  /** A member found by its name, narrowed by its owner's: [query, member, owner, page]. */
  member: [string, string, string, string];
  /** A module reached from the index: [its title, its page, a command on it]. */
  module: [string, string, string];
}

const references: Case[] = [
  {
    name: 'qemu-7.2.0',
    inputs: ['spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json'],
    conditions: ['linux-x86_64-7.2'],
    search: 'query-st',
    expectIn: 'query-status',
    member: ['statusinfo singlestep', 'singlestep', 'StatusInfo', 'run-state.html'],
    module: ['VM run state', 'run-state.html', 'watchdog-set-action'],
  },
  {
    name: 'qemu-10.2.0',
    inputs: ['spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json'],
    conditions: ['linux-x86_64-10.2'],
    search: 'blockdev-ad',
    expectIn: 'blockdev-add',
    member: ['watchdog-set-action action', 'action', 'watchdog-set-action', 'run-state.html'],
    module: ['Block core (VM unrelated)', 'block-core.html', 'query-block'],
  },
  {
    name: 'qemu-2.8.0',
    inputs: ['spec/qemu-2.8.0/qmp-commands.txt', 'spec/qemu-2.8.0/qmp-events.txt'],
    search: 'block',
    expectIn: 'block_resize',
    member: ['block_resize size', 'size', 'block_resize', 'qmp-commands.html'],
    module: ['qmp-events.txt', 'qmp-events.html', ''],
  },
];

/** A context whose every request is answered from the file system or failed, and counted. */
async function offline(): Promise<{ context: BrowserContext; remote: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const remote: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    if (!remote.includes(url)) remote.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    if (!request.url().startsWith('file://') && !remote.includes(request.url())) remote.push(request.url());
  });
  return { context, remote };
}

async function generate(ref: Case): Promise<string> {
  const dir = join(out, ref.name);
  const args = ['docs', ...ref.inputs.map((i) => join(projectRoot, i)), '--out', dir, ...(ref.conditions ?? []).flatMap((c) => ['--if', c])];
  const log = console.log;
  console.log = () => {};
  try {
    expect(await main(args)).toBe(0);
  } finally {
    console.log = log;
  }
  return dir;
}

/** Whether the element is on screen and not under the sticky header. */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const box = el.getBoundingClientRect();
    const header = document.querySelector('.top')!.getBoundingClientRect();
    return box.top >= header.bottom - 1 && box.top < window.innerHeight;
  });
}

describe.skipIf(!available)('the HTML reference in a browser', () => {
  for (const ref of references) {
    it(`${ref.name}: lists everything A–Z, searches definitions and members, leads from module to module, all offline`, async () => {
      const dir = await generate(ref);
      const model = readModel(
        ref.inputs.map((i) => join(projectRoot, i)),
        { conditions: ref.conditions },
      );
      const { context, remote } = await offline();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `reference-${ref.name}.png`) });

      // The index A–Z names every command and event of the IR.
      const indexed = await page.$$eval('.az a', (links) => links.map((a) => a.textContent.slice(1)));
      for (const c of model.commands) expect(indexed).toContain(c.name);
      for (const e of model.events) expect(indexed).toContain(e.name);

      // A prefix of a command's name: the command among the first results, every result matching.
      await page.fill('#search', ref.search);
      const results = await page.$$eval('#results a .name', (names) => names.map((n) => n.textContent ?? ''));
      expect(results.length).toBeGreaterThan(0);
      expect(results.slice(0, 10)).toContain(ref.expectIn);
      expect(results.every((t) => t.toLowerCase().includes(ref.search))).toBe(true);
      expect(await page.textContent('#results .count')).toMatch(/^\d+ match/);

      // A member, narrowed by its owner's name: the first result, and Enter goes to its row.
      const [query, member, owner, memberPage] = ref.member;
      await page.fill('#search', query);
      const first = await page.$eval('#results a.active', (a) => ({
        name: a.querySelector('.name')!.textContent,
        where: a.querySelector('.where')!.textContent,
        href: a.getAttribute('href'),
      }));
      expect(first.name).toBe(member);
      expect(first.where).toContain(`member of `);
      expect(first.where).toContain(owner);
      await page.screenshot({ path: join(artifacts, `reference-${ref.name}-search.png`) });
      await Promise.all([page.waitForURL(`**/${memberPage}#*`), page.press('#search', 'Enter')]);
      const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
      expect(anchor).toBe(first.href!.split('#')[1]);
      const row = `[id="${anchor}"]`;
      expect(await page.$eval(row, (el) => el.tagName)).toBe('TR');
      expect(await page.$eval(row, (el) => el.querySelector('td.name')!.textContent)).toContain(member);
      expect(await inView(page, row)).toBe(true);
      // The side bar marks the entry the member belongs to.
      expect(await page.getAttribute('.side .contents a.here', 'href')).toBe(`#${anchor.split(':')[0]}`);
      await page.screenshot({ path: join(artifacts, `reference-${ref.name}-member.png`) });

      // From the index's table of modules to a module's page, and on from its side bar.
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      const [title, modulePage, command] = ref.module;
      await Promise.all([page.waitForURL(`**/${modulePage}`), page.click(`table.modules a:text-is("${title}")`)]);
      expect(await page.textContent('main h1')).toBe(title);
      expect(await page.getAttribute('.side [aria-current="page"]', 'href')).toBe(modulePage);
      if (command) {
        expect(await page.$(`section#command-${command}`)).not.toBeNull();
        await page.click(`.side .contents a[href="#command-${command}"]`);
        expect(await inView(page, `section#command-${command}`)).toBe(true);
        await page.screenshot({ path: join(artifacts, `reference-${ref.name}-${command}.png`) });
      }
      const next = await page.$eval('.side .toc a[aria-current="page"]', (a) => {
        const links = [...document.querySelectorAll<HTMLAnchorElement>('.side .toc > li > a, .side .toc ol > li > a')].filter(
          (l) => !l.getAttribute('href')!.includes('#'),
        );
        const at = links.indexOf(a as HTMLAnchorElement);
        const other = links[at + 1] ?? links[at - 1]!;
        return { href: other.getAttribute('href')!, title: other.textContent };
      });
      await Promise.all([page.waitForURL(`**/${next.href}`), page.click(`.side .toc a[href="${next.href}"]`)]);
      expect(await page.textContent('main h1')).toBe(next.title);

      // Every link on the page reached resolves, within it or on another page of the reference.
      const broken = await page.$$eval('main a[href^="#"]', (links) =>
        links.map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1))).filter((id) => !document.getElementById(id)),
      );
      expect(broken).toEqual([]);

      expect(errors).toEqual([]);
      expect(remote).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('qemu-7.2.0 as a reader on a phone and in the dark sees the same page, laid out for it', async () => {
    const dir = join(out, 'qemu-7.2.0');
    if (!existsSync(dir)) await generate(references[0]!);
    const { context, remote } = await offline();
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${pathToFileURL(join(dir, 'run-state.html')).href}#command-query-status`);
    await page.screenshot({ path: join(artifacts, 'reference-qemu-7.2.0-dark.png') });
    const background = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
    expect(background).toBe('rgb(21, 22, 26)');
    await page.setViewportSize({ width: 420, height: 860 });
    await page.goto(`${pathToFileURL(join(dir, 'run-state.html')).href}#command-query-status`);
    // On a narrow screen the side bar goes above the text, and nothing is wider than the screen.
    expect(await page.$eval('.side', (s) => getComputedStyle(s).position)).toBe('static');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.screenshot({ path: join(artifacts, 'reference-qemu-7.2.0-narrow.png') });
    expect(remote).toEqual([]);
    // The watch itself sees a request that leaves the file system (and fails it).
    await page.setContent('<img src="https://example.invalid/x.png">');
    await page.waitForLoadState('load');
    expect(remote).toEqual(['https://example.invalid/x.png']);
    await context.close();
  }, 120_000);
});
