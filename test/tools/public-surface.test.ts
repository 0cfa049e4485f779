/**
 * The tools are written as a user of the package would write them: they import only what the
 * package exports (`qmp-sdk`, `qmp-sdk/codegen`, `qmp-sdk/codegen/model`, `qmp-sdk/<target>`),
 * so nothing they need is hidden from users.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

const exported = ['runtime/index.ts', 'codegen/api.ts', 'codegen/model.ts'];

it('every import of a tool outside tools/ is an entry the package exports', () => {
  const tools = join(projectRoot, 'tools');
  const files = readdirSync(tools, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(3);
  const outside: string[] = [];
  for (const file of files) {
    const path = join(tools, file);
    for (const [, specifier] of readFileSync(path, 'utf8').matchAll(/^import [^;]*? from '(\.[^']*)';$/gm)) {
      const target = relative(projectRoot, resolve(path, '..', specifier!)).replace(/\.js$/, '.ts');
      if (target.startsWith('tools/')) continue;
      if (exported.includes(target) || /^generated\/[^/]+\/index\.ts$/.test(target)) continue;
      outside.push(`${relative(projectRoot, path)}: ${specifier}`);
    }
  }
  expect(outside).toEqual([]);
});
