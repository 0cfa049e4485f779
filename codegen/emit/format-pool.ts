/**
 * Formats many generated files on worker threads, one per core, started as early as possible:
 * they load prettier while the main thread parses the documents and emits, then pull pieces of
 * files from one queue.
 * Runs in-process only when the compiled worker is not there (running from TypeScript sources, as
 * the unit tests do); the output is the same either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { formatTypeScript, splitTopLevel } from './format.js';
import type { FormatCache } from './format-cache.js';

/** Small enough that an edit re-formats little, large enough that per-call overhead stays small. */
const CHUNK_BYTES = 32 * 1024;

interface Piece {
  file: string;
  text: string;
  result?: string;
}

export class FormatPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly cache: FormatCache | undefined,
  ) {}

  static start(cache?: FormatCache): FormatPool {
    const url = new URL('./format-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) return new FormatPool([], cache);
    const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, () => new Worker(url));
    for (const worker of workers) worker.unref();
    return new FormatPool(workers, cache);
  }

  async formatFiles(files: { path: string; text: string }[]): Promise<{ path: string; text: string }[]> {
    const pieces = files.map((f) => splitTopLevel(f.text, CHUNK_BYTES).map((text): Piece => ({ file: f.path, text })));
    for (const piece of pieces.flat()) {
      const cached = this.cache?.get(piece.text);
      if (cached !== undefined) piece.result = cached;
    }
    // Largest first, so neither thread is left with one big piece at the end.
    const queue = pieces
      .flat()
      .filter((p) => p.result === undefined)
      .sort((a, b) => b.text.length - a.text.length);
    const fresh = [...queue];
    await Promise.all(this.workers.length > 0 ? this.workers.map((w) => this.drainOnWorker(w, queue)) : [this.drainOnMain(queue)]);
    for (const piece of fresh) this.cache?.set(piece.text, piece.result!);
    return files.map((f, i) => ({ path: f.path, text: pieces[i]!.map((p) => p.result!).join('\n') }));
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
