/**
 * V8's compiled code for the large CommonJS libraries a generation loads (ts-morph with the
 * TypeScript compiler, ~10 MB of JavaScript; prettier), kept on disk between runs as Python keeps
 * `.pyc` files: compiling them again on every run was a quarter of a cold generation.
 *
 * Node 22 has this built in (`module.enableCompileCache`) and it is used where present. On Node 20
 * the CommonJS loader's compile step is wrapped: a module's source is compiled with the cached data
 * when there is some (found by the source's hash; V8 ignores data made by other flags or versions),
 * and the data is written at exit for modules that had none, after the run, so it covers the
 * functions the run compiled. The cache sits under `node_modules/.cache`; a cache that cannot be
 * read or written only costs time.
 *
 * It changes how this process loads code, so only a program turns it on (`bin/qmp-codegen.js`,
 * and the format workers of a process that did): importing the code generator as a library
 * leaves Node's loader as it is.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

interface CompilableModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

type ModuleInternals = typeof Module & {
  enableCompileCache?: (dir: string) => unknown;
  wrap(source: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
  prototype: CompilableModule;
};

/** Files smaller than this compile faster than their cache is read. */
const minimumBytes = 64 * 1024;

let enabledAt: string | undefined;
const pending: { path: string; script: vm.Script }[] = [];

/** Where this thread keeps compiled code, if it enabled the cache. */
export function compileCacheDirectory(): string | undefined {
  return enabledAt;
}

export function enableCompileCache(dir: string): void {
  if (enabledAt !== undefined) return;
  enabledAt = dir;
  const internals = Module as ModuleInternals;
  if (typeof internals.enableCompileCache === 'function') {
    internals.enableCompileCache(dir);
    return;
  }
  const cacheDir = join(dir, `v8-${process.version}-${process.arch}`);
  // Called back with each module as `this`, as Node calls it.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const compile = internals.prototype._compile;

  internals.prototype._compile = function (this: CompilableModule, content: string, filename: string): unknown {
    if (content.length < minimumBytes || !filename.includes('node_modules')) return compile.call(this, content, filename);
    // By content: V8 checks only the source's length, and npm gives every file the same mtime.
    const path = join(cacheDir, createHash('sha256').update(filename).update('\0').update(content).digest('hex').slice(0, 32));
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(path);
    } catch {
      // Not cached yet.
    }
    const script = new vm.Script(internals.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ path, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Object.assign((id: string) => this.require(id), {
      resolve: (request: string, options?: unknown) => internals._resolveFilename(request, this, false, options),
      main: process.mainModule,
      extensions: internals._extensions,
      cache: internals._cache,
    });
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };

  process.once('exit', writeCompileCache);
}

/** Writes the compiled code of modules that had none cached (done at exit; a worker thread calls it). */
export function writeCompileCache(): void {
  const scripts = pending.splice(0);
  try {
    for (const { path, script } of scripts) {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.${threadId}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, path);
    }
  } catch {
    // A cache that cannot be written only costs time.
  }
}
