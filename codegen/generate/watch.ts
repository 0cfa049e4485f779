/**
 * `qmp-codegen generate --watch`: regenerates a target when one of its documents changes
 * (debounced, since editors write in several steps), prints what changed in the interface (the
 * IR diff against the last good model), and keeps running after a broken document: the error is
 * shown and the last good output stays on disk until the document is fixed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Job } from './job.js';
import { closeFormatPool, loadJob, sourceFiles, writeJob } from './build.js';
import { diffModels } from '../diff/compare.js';
import { sortChanges } from '../diff/render.js';
import type { QmpModel } from '../ir/types.js';

export interface WatchOptions {
  debounceMs?: number;
  /** Stops watching (tests; the CLI runs until interrupted). */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export async function watchJobs(jobs: Job[], options: WatchOptions = {}): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  const debounceMs = options.debounceMs ?? 150;
  const last = new Map<Job, QmpModel>();
  const watchers: FSWatcher[] = [];

  const files = (job: Job): string[] => {
    const model = last.get(job);
    return model ? sourceFiles(job, model) : job.inputs.map((f) => resolve(f));
  };

  const build = async (job: Job): Promise<void> => {
    const loaded = await loadJob(job);
    if ('error' in loaded) {
      log(`${job.name}: not regenerated, the last good output stays:\n${loaded.error}`);
      return;
    }
    const previous = last.get(job);
    const { stale } = await writeJob(job, loaded.model);
    last.set(job, loaded.model);
    if (!previous) {
      log(`${job.name}: generated (${stale.length} files written); watching ${files(job).length} documents`);
      return;
    }
    const diff = diffModels(previous, loaded.model);
    log(`${job.name}: regenerated, ${stale.length} files written; ${diff.changes.length} interface changes (${diff.breaking} breaking)`);
    for (const change of sortChanges(diff.changes).slice(0, 50)) log(`  ${change.breaking ? 'BREAKING  ' : 'compatible'} ${change.message}`);
    if (diff.changes.length > 50) log(`  … and ${diff.changes.length - 50} more`);
  };

  // Directories are watched, not files: editors often replace a file instead of writing to it.
  const rewatch = (): void => {
    for (const w of watchers.splice(0)) w.close();
    const byDir = new Map<string, Set<string>>();
    for (const job of jobs) for (const f of files(job)) byDir.set(dirname(f), (byDir.get(dirname(f)) ?? new Set()).add(basename(f)));
    for (const [dir, names] of byDir) {
      watchers.push(
        watch(dir, (_event, name) => {
          if (name === null || names.has(String(name))) schedule();
        }),
      );
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(async () => {
        for (const job of jobs) await build(job);
        rewatch(); // a schema's includes may have changed
      });
    }, debounceMs);
  };

  for (const job of jobs) await build(job);
  rewatch();
  log('watching for changes (Ctrl-C to stop)');
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      for (const w of watchers) w.close();
      void running.then(closeFormatPool).then(() => resolveStop());
    };
    if (options.signal) {
      if (options.signal.aborted) stop();
      else options.signal.addEventListener('abort', stop, { once: true });
    } else process.once('SIGINT', stop);
  });
  return 0;
}
