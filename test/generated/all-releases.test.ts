/**
 * Every release of QEMU's text documents in spec/ (0.13 to 2.8, 18 releases) generates bindings
 * that type-check in strict mode, the documents' examples included, and that prettier leaves as
 * they are (much of them is printed without prettier, see `prettier-form.ts`).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { prettierOptions } from '../../codegen/emit/format.js';
import { readModel } from '../../codegen/frontends/index.js';
import { generateFiles } from '../../codegen/generate/pipeline.js';
import { projectRoot, typecheck } from '../support/typecheck.js';

// spec/ holds every release of ../shared/qmp-docs byte for byte (test/frontends/spec-copy.test.ts), and 10.0.2 and 11.1.3.
const corpus = join(projectRoot, 'spec');
const releases = readdirSync(corpus)
  .filter((r) => existsSync(join(corpus, r, 'qmp-commands.txt')))
  .sort();
mkdirSync(join(projectRoot, '.cache'), { recursive: true });
const scratch = mkdtempSync(join(projectRoot, '.cache', 'releases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('bindings for every text-document release in spec/', () => {
  it(`generate and type-check (${releases.length} releases)`, async () => {
    expect(releases.length).toBe(18);
    const roots: string[] = [];
    for (const release of releases) {
      const inputs = ['qmp-commands.txt', 'qmp-events.txt'].map((f) => join(corpus, release, f)).filter(existsSync);
      const model = readModel(inputs);
      expect(model.commands.length, release).toBeGreaterThan(10);
      const { files } = await generateFiles(model, { runtimeImport: join(projectRoot, 'runtime', 'index.js'), sourceDescription: release });
      const dir = join(scratch, release);
      mkdirSync(dir);
      for (const f of files) {
        writeFileSync(join(dir, f.path), f.text);
        if (f.path.endsWith('.ts')) expect(await prettier.check(f.text, { ...prettierOptions, filepath: f.path }), `${release}/${f.path} is prettier-stable`).toBe(true);
      }
      roots.push(join(dir, 'index.ts'), join(dir, 'examples.check.ts'));
    }
    expect(typecheck(roots)).toEqual([]);
  }, 300_000);
});
