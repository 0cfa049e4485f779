#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { launch } from './launch.js';

// The program, not the library, decides how Node loads code: keep V8's compiled code of ts-morph
// and prettier between runs (codegen/compile-cache.ts), as Python keeps .pyc files.
const cache = new URL('../dist/codegen/compile-cache.js', import.meta.url);
if (existsSync(cache)) {
  const [{ enableCompileCache }, { cacheRoot }] = await Promise.all([import(cache.href), import(new URL('../dist/codegen/paths.js', import.meta.url).href)]);
  enableCompileCache(cacheRoot);
}
await launch('codegen/cli.js', 'qmp-codegen');
