/**
 * Where the project (or the installed package) lives: `spec/`, `generated/` and the caches are
 * found from here, whether this runs from the TypeScript sources or from the compiled `dist/`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** `codegen/..` from the sources, `dist/codegen/../..` from the build. */
export const packageRoot = resolve(here, '..', ...(resolve(here, '..').endsWith(`${'/'}dist`) ? ['..'] : []));

/** Stamps and formatted pieces: never committed, never shipped. */
export const cacheRoot = resolve(packageRoot, 'node_modules', '.cache', 'qmp-codegen');
