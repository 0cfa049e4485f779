/**
 * Runs a tool's `main(argv)` from its TypeScript source (`node --import tsx run-main.ts MODULE
 * ARGS...`), as its compiled bin would, so process-level tests need no build.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [module, ...args] = process.argv.slice(2);
const { main } = (await import(pathToFileURL(resolve(module!)).href)) as { main: (argv: string[]) => Promise<number> };
try {
  process.exitCode = await main(args);
} catch (error) {
  console.error(`${module}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
