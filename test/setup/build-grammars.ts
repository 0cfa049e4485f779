import { execFileSync } from 'node:child_process';

/** Tests import the grammars' parsers from source; build any that are missing or stale. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-grammars.mjs'], { stdio: 'inherit' });
}
