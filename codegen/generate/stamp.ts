/**
 * Up-to-date stamps, so that regenerating when nothing changed costs a few file reads instead of
 * a parse, an emit and a format. A stamp records what one generation read (the documents, the
 * generator's own files, the options) and wrote; when all of it is as recorded, the output on
 * disk is what a new generation would write. Stamps live outside the repository
 * (`node_modules/.cache/qmp-codegen/`), so a fresh clone always generates in full.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../paths.js';

export interface Stamp {
  key: string;
  outDir: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

const codegenRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function hashText(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

let generatorHash: string | undefined;

/** Changes whenever any file of the generator changes (size or time: cheap, and enough). */
export function generatorFingerprint(): string {
  if (generatorHash !== undefined) return generatorHash;
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|ts|peggy)$/.test(entry.name)) {
        const s = statSync(path);
        hash.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(codegenRoot);
  generatorHash = hash.digest('hex');
  return generatorHash;
}

/** One stamp per output (a target folder, or a single generated file), named by its path. */
function stampPath(output: string): string {
  return join(cacheRoot, `${hashText(resolve(output)).slice(0, 24)}.json`);
}

function hashFile(path: string): string | undefined {
  try {
    return hashText(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** True when the stamp for `output` matches the options, the inputs and the files on disk. */
export function isUpToDate(output: string, key: string): boolean {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(output), 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (stamp.key !== key) return false;
  for (const [file, hash] of Object.entries(stamp.inputs)) if (hashFile(file) !== hash) return false;
  for (const [file, hash] of Object.entries(stamp.outputs)) if (hashFile(join(stamp.outDir, file)) !== hash) return false;
  return true;
}

/** `outputs` are the files written, by their path inside `outDir`. */
export function writeStamp(output: string, key: string, inputs: string[], outDir: string, outputs: { path: string; text: string }[]): void {
  const stamp: Stamp = {
    key,
    outDir: resolve(outDir),
    inputs: Object.fromEntries(inputs.map((f) => [f, hashFile(f) ?? ''])),
    outputs: Object.fromEntries(outputs.map((f) => [f.path, hashText(f.text)])),
  };
  const path = stampPath(output);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(stamp));
}
