/** A thread that formats generated TypeScript with prettier for `FormatPool`, so the cores share the work. */
import { parentPort, workerData } from 'node:worker_threads';
import { formatTypeScript, loadPrettier } from './format.js';
import { enableCompileCache, writeCompileCache } from '../compile-cache.js';
import { trace } from '../trace.js';

interface Task {
  id: number;
  text: string;
  file: string;
}

const { compileCache } = workerData as { compileCache: string | undefined };
if (compileCache !== undefined) enableCompileCache(compileCache);
// Started only when some statement needs prettier itself (see `FormatPool`); it loads at once.
loadPrettier();
trace('prettier loaded');

let formatted = 0;
parentPort!.on('message', (task: Task) => {
  formatTypeScript(task.text, task.file).then(
    (text) => {
      parentPort!.postMessage({ id: task.id, text });
      // A worker is terminated, not exited: the compile cache is written after its first piece.
      if (formatted++ === 0) writeCompileCache();
    },
    (error: unknown) => parentPort!.postMessage({ id: task.id, error: (error as Error).message }),
  );
});
