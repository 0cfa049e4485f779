#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install`'s prepare step, or `npm run build`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/codegen/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('qmp-codegen: dist/ is missing; run `npm run build` (npm install runs it too)');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
