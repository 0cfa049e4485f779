/** A thread that formats generated TypeScript for `FormatPool`, so the cores share the work. */
import { parentPort } from 'node:worker_threads';
import { formatTypeScript } from './format.js';

interface Task {
  id: number;
  text: string;
  file: string;
}

// Load prettier now, while the main thread is still parsing and emitting. (Warming prettier up on
// a sample in that time was measured: no faster, since it takes the main thread's core.)
void import('prettier');

parentPort!.on('message', (task: Task) => {
  formatTypeScript(task.text, task.file).then(
    (text) => parentPort!.postMessage({ id: task.id, text }),
    (error: unknown) => parentPort!.postMessage({ id: task.id, error: (error as Error).message }),
  );
});
