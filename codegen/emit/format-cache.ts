/**
 * Formatted pieces of generated files, by the hash of their unformatted text. A regeneration after
 * a document edit (or in watch mode, after every save) re-formats only the pieces the edit
 * changed. The key covers prettier's version, the options and `formatVersion`; entries are written
 * whole (temporary file, then rename), so a half-written entry is never read.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVersion, prettierOptions } from './format.js';

export class FormatCache {
  private constructor(private readonly dir: string) {}

  /** The cache under `root` (e.g. `node_modules/.cache/qmp-codegen`), for this prettier. */
  static open(root: string): FormatCache {
    // prettier's version from its package.json: importing prettier here would cost its start-up.
    const manifest = new URL('./package.json', import.meta.resolve('prettier'));
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const key = createHash('sha256').update(JSON.stringify({ version, formatVersion, prettierOptions })).digest('hex').slice(0, 16);
    const dir = join(root, `format-${key}`);
    mkdirSync(dir, { recursive: true });
    return new FormatCache(dir);
  }

  private path(text: string): string {
    return join(this.dir, createHash('sha256').update(text).digest('hex'));
  }

  get(text: string): string | undefined {
    try {
      return readFileSync(this.path(text), 'utf8');
    } catch {
      return undefined;
    }
  }

  set(text: string, formatted: string): void {
    const path = this.path(text);
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, formatted);
      renameSync(temporary, path);
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
}
