// Runs a compiled entry point (built by `npm install`'s prepare step, or `npm run build`) and
// exits with the code its `main(argv)` returns.
import { existsSync } from 'node:fs';

// Output piped into `head` and the like: a closed pipe ends the program quietly, as in any CLI.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

export async function launch(entry, name) {
  const url = new URL(`../dist/${entry}`, import.meta.url);
  if (!existsSync(url)) {
    console.error(`${name}: dist/ is missing; run \`npm run build\` (npm install runs it too)`);
    process.exit(2);
  }
  const { main } = await import(url.href);
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    // Expected failures (cannot connect, bad address, protocol errors) read as one line, not a trace.
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.QMP_DEBUG) console.error(error);
    process.exitCode = 1;
  }
}
