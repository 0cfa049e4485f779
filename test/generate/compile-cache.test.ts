/**
 * The compile cache (see codegen/compile-cache.ts): a library loaded through it behaves as loaded
 * by Node, a second process reuses its cached code, and a source changed to another of the same
 * length (all V8 itself checks) never runs the old code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

const scratch = mkdtempSync(join(tmpdir(), 'qmp-compile-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const library = join(scratch, 'node_modules', 'big-library', 'index.js');
const cache = join(scratch, 'cache');
const loader = join(scratch, 'load.mjs');

/** A CommonJS module large enough to be cached, that also requires a Node built-in. */
function writeLibrary(answer: string): void {
  mkdirSync(join(scratch, 'node_modules', 'big-library'), { recursive: true });
  const padding = `// ${'x'.repeat(100)}\n`.repeat(1000);
  writeFileSync(
    library,
    `${padding}const path = require('node:path');\nmodule.exports = { answer: '${answer}', base: path.basename(__filename), main: require.resolve('./index.js') === __filename };\n`,
  );
}

/** A fresh process that enables the cache and loads the library, as the generator loads ts-morph. */
function load(): { answer: string; base: string; main: boolean } {
  const module = pathToFileURL(join(projectRoot, 'codegen', 'compile-cache.ts')).href;
  writeFileSync(
    loader,
    `import { createRequire } from 'node:module';\nimport { enableCompileCache } from ${JSON.stringify(module)};\nenableCompileCache(${JSON.stringify(cache)});\nconsole.log(JSON.stringify(createRequire(import.meta.url)(${JSON.stringify(library)})));\n`,
  );
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', loader], { cwd: projectRoot, encoding: 'utf8' })) as never;
}

const cachedFiles = (): string[] =>
  readdirSync(cache, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);

describe('compile cache', () => {
  it('loads a library as Node does, writes its code once, and reuses it in the next process', () => {
    writeLibrary('first');
    expect(load()).toEqual({ answer: 'first', base: 'index.js', main: true });
    const written = cachedFiles();
    expect(written).toHaveLength(1);
    expect(load().answer).toBe('first');
    expect(cachedFiles()).toEqual(written);
  }, 30_000);

  it('never runs cached code for a source that changed, even to one of the same length', () => {
    writeLibrary('first');
    load();
    writeLibrary('other');
    expect(load().answer).toBe('other');
    expect(load().answer).toBe('other');
  }, 30_000);
});

describe('who turns the compile cache on', () => {
  it("not the library: generating through qmp-sdk/codegen leaves Node's loader as it was", () => {
    const api = pathToFileURL(join(projectRoot, 'codegen', 'api.ts')).href;
    const script = join(scratch, 'library-user.mjs');
    writeFileSync(
      script,
      [
        "import Module from 'node:module';",
        'const before = Module.prototype._compile;',
        `const { readModel, generateFiles } = await import(${JSON.stringify(api)});`,
        `const model = readModel([${JSON.stringify(join(projectRoot, 'spec/qemu-0.13.0/qmp-commands.txt'))}]);`,
        "const generation = await generateFiles(model, { runtimeImport: 'qmp-sdk', sourceDescription: 'test' });",
        'console.log(JSON.stringify({ same: Module.prototype._compile === before, files: generation.files.length }));',
      ].join('\n'),
    );
    const result = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8' })) as {
      same: boolean;
      files: number;
    };
    expect(result.files).toBeGreaterThan(0);
    expect(result.same).toBe(true);
  }, 60_000);
});
