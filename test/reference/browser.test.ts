/// <reference lib="dom" />
/**
 * Opens the generated references (QEMU 7.2 schema, QEMU 2.8.0 text documents) in Debian's
 * Chromium from the file system, as a reader would: every command and event of the IR is in the
 * index, the search box filters it, every internal link resolves. Screenshots go to
 * test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
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

const references = [
  {
    name: 'qemu-7.2.0',
    inputs: ['spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json'],
    conditions: ['linux-x86_64-7.2'],
    search: 'query-st',
    expectIn: 'query-status',
  },
  {
    name: 'qemu-2.8.0',
    inputs: ['spec/qemu-2.8.0/qmp-commands.txt', 'spec/qemu-2.8.0/qmp-events.txt'],
    conditions: undefined,
    search: 'block',
    expectIn: 'block_resize',
  },
];

describe.skipIf(!available)('the HTML reference in a browser', () => {
  for (const ref of references) {
    it(`${ref.name}: lists everything, filters as one types, and has no broken link`, async () => {
      const dir = join(out, ref.name);
      const args = ['docs', ...ref.inputs.map((i) => join(projectRoot, i)), '--out', dir, ...(ref.conditions ?? []).flatMap((c) => ['--if', c])];
      const log = console.log;
      console.log = () => {};
      try {
        expect(await main(args)).toBe(0);
      } finally {
        console.log = log;
      }
      const model = readModel(
        ref.inputs.map((i) => join(projectRoot, i)),
        { conditions: ref.conditions },
      );
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);

      const indexed = await page.$$eval('#index li', (items) => items.map((li) => (li as HTMLElement).dataset.name));
      for (const c of model.commands) expect(indexed).toContain(c.name.toLowerCase());
      for (const e of model.events) expect(indexed).toContain(e.name.toLowerCase());

      await page.fill('#search', ref.search);
      const visible = await page.$$eval('#index li:not([hidden])', (items) => items.map((li) => li.textContent ?? ''));
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.length).toBeLessThan(indexed.length);
      expect(visible.some((t) => t.includes(ref.expectIn))).toBe(true);
      expect(visible.every((t) => t.toLowerCase().includes(ref.search))).toBe(true);
      expect(await page.textContent('#matches')).toMatch(/\d+ of \d+ match/);

      const broken = await page.$$eval('a[href^="#"]', (links) =>
        links.map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1))).filter((id) => !document.getElementById(id)),
      );
      expect(broken).toEqual([]);

      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `reference-${ref.name}.png`) });
      await page.click(`#index a[href="#command-${ref.expectIn}"]`);
      await page.screenshot({ path: join(artifacts, `reference-${ref.name}-${ref.expectIn}.png`) });
      await page.close();
    }, 120_000);
  }
});
