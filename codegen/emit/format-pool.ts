/**
 * Formats generated files: each top-level statement whose prettier form is certain is printed here
 * (`printWithoutPrettier`); the rest go to prettier, in pieces, on worker threads (one per core,
 * started only when there is something for them), pulling from one queue.
 * Runs in-process only when the compiled worker is not there (running from TypeScript sources, as
 * the unit tests do); the output is the same either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { formatTypeScript, printWithoutPrettier, splitStatements } from './format.js';
import type { FormatCache } from './format-cache.js';
import { compileCacheDirectory } from '../compile-cache.js';
import { trace } from '../trace.js';

/** Small enough that an edit re-formats little, large enough that per-call overhead stays small. */
const CHUNK_BYTES = 32 * 1024;

/** Statements that go to prettier together, joined by `splitMarker`; `result` once formatted. */
interface Piece {
  file: string;
  text: string;
  result?: string;
}

/**
 * Stands between two statements of a piece; prettier keeps a line comment where it is, so its
 * output splits back into the statements. Formatting statements apart gives the bytes the whole
 * file would give (see `splitStatements`).
 */
const splitMarker = '//@@qmp-codegen-split\n';

export class FormatPool {
  private readonly workers: Worker[] = [];

  private constructor(
    /** The compiled worker; undefined when running from sources, or to format on this thread. */
    private readonly workerUrl: URL | undefined,
    private readonly cache: FormatCache | undefined,
  ) {}

  static start(cache?: FormatCache): FormatPool {
    const url = new URL('./format-worker.js', import.meta.url);
    return new FormatPool(existsSync(fileURLToPath(url)) ? url : undefined, cache);
  }

  /** Formats on this thread, with no cache. */
  static inProcess(): FormatPool {
    return new FormatPool(undefined, undefined);
  }

  /**
   * Threads for `pieces` pieces, started on first need: most generations print everything
   * without prettier (see `prettier-form.ts`) and never load it.
   */
  private threads(pieces: number): Worker[] {
    const wanted = Math.min(pieces, Math.max(1, Math.min(availableParallelism(), 4)));
    while (this.workerUrl && this.workers.length < wanted) {
      // a worker has a loader of its own: it caches compiled code only if this thread does
      const worker = new Worker(this.workerUrl, { workerData: { compileCache: compileCacheDirectory() } });
      worker.unref();
      this.workers.push(worker);
    }
    return this.workers;
  }

  async formatFiles(files: { path: string; text: string }[]): Promise<{ path: string; text: string }[]> {
    // Statements whose prettier form is known are printed here; the rest go to prettier in pieces.
    const layouts = files.map((f) => {
      const statements = splitStatements(f.text);
      return { file: f.path, statements, printed: statements.map(printWithoutPrettier) };
    });
    const pieces: { piece: Piece; at: { layout: number; statement: number }[] }[] = [];
    layouts.forEach((layout, l) => {
      let current: { piece: Piece; at: { layout: number; statement: number }[] } | undefined;
      layout.printed.forEach((printed, s) => {
        if (printed !== undefined) return;
        if (current === undefined || current.piece.text.length >= CHUNK_BYTES) {
          current = { piece: { file: layout.file, text: '' }, at: [] };
          pieces.push(current);
        }
        current.piece.text += (current.at.length > 0 ? splitMarker : '') + layout.statements[s];
        current.at.push({ layout: l, statement: s });
      });
    });
    trace(`planned: ${pieces.length} pieces, ${pieces.reduce((n, p) => n + p.piece.text.length, 0)} bytes for prettier`);
    for (const { piece } of pieces) {
      const cached = this.cache?.get(piece.text);
      if (cached !== undefined) piece.result = cached;
    }
    // Largest first, so neither thread is left with one big piece at the end.
    const queue = pieces
      .map((p) => p.piece)
      .filter((p) => p.result === undefined)
      .sort((a, b) => b.text.length - a.text.length);
    const fresh = [...queue];
    const workers = queue.length > 0 ? this.threads(queue.length) : [];
    await Promise.all(workers.length > 0 ? workers.map((w) => this.drainOnWorker(w, queue)) : [this.drainOnMain(queue)]);
    for (const piece of fresh) this.cache?.set(piece.text, piece.result!);
    for (const { piece, at } of pieces) {
      const parts = piece.result!.split(`\n${splitMarker}`);
      if (parts.length !== at.length) throw new Error(`prettier moved a statement boundary in generated ${piece.file}`);
      parts.forEach((part, i) => {
        layouts[at[i]!.layout]!.printed[at[i]!.statement] = i < parts.length - 1 ? `${part}\n` : part;
      });
    }
    return layouts.map((l) => ({ path: l.file, text: l.printed.join('\n') }));
  }

  private async drainOnMain(queue: Piece[]): Promise<void> {
    for (let piece = queue.shift(); piece; piece = queue.shift()) piece.result = await formatTypeScript(piece.text, piece.file);
  }

  private drainOnWorker(worker: Worker, queue: Piece[]): Promise<void> {
    return new Promise((resolve, reject) => {
      let current: Piece | undefined;
      const next = (): void => {
        current = queue.shift();
        if (!current) {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve();
        } else worker.postMessage({ id: 0, text: current.text, file: current.file });
      };
      const onMessage = (reply: { text?: string; error?: string }): void => {
        if (reply.error !== undefined) return reject(new Error(reply.error));
        current!.result = reply.text;
        trace(`formatted ${current!.file} piece, ${current!.text.length} bytes`);
        next();
      };
      worker.on('message', onMessage);
      worker.on('error', reject);
      next();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
