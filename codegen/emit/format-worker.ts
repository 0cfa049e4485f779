/** A thread that formats generated TypeScript for `FormatPool`, so two cores share the work. */
import { parentPort } from 'node:worker_threads';
import { formatTypeScript } from './format.js';

interface Task {
  id: number;
  text: string;
  file: string;
}

// Load prettier now, and warm it up on a sample shaped like the generated code, while the main
// thread is still parsing and emitting: the first real piece then formats at full speed.
const sample = `import type { QmpCaller, CallOptions } from './runtime.js';
/**
 * A sample.
 * @since 1.0
 */
export type Kind = 'a' | 'b' | 'c';
export interface Sample { name: string; 'node-name'?: string; kind: Kind; list: Array<Sample | string>; [key: string]: unknown }
export type Union = Sample & ({ kind: 'a' } & { x: number } | { kind: 'b' });
export type Commands = { 'query-x': { args: Record<string, never>; returns: Sample[] } };
export function queryX(client: QmpCaller, args?: Record<string, never>, options?: CallOptions): Promise<Sample[]> {
  return client.request('query-x', args, options) as Promise<Sample[]>;
}
export async function check(client: QmpCaller): Promise<void> { await queryX(client); { const _: Sample = {"name":"a","kind":"a","list":[]}; } }
`;
void formatTypeScript(sample, 'sample.ts').then(() => formatTypeScript(sample, 'sample.ts'));

parentPort!.on('message', (task: Task) => {
  formatTypeScript(task.text, task.file).then(
    (text) => parentPort!.postMessage({ id: task.id, text }),
    (error: unknown) => parentPort!.postMessage({ id: task.id, error: (error as Error).message }),
  );
});
