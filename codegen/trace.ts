/**
 * Phase timings on stderr when `QMP_CODEGEN_TRACE` is set (`QMP_CODEGEN_TRACE=1 qmp-codegen
 * generate ...`): milliseconds since the process (or worker thread) started, for performance work.
 */
import { isMainThread, threadId } from 'node:worker_threads';

const enabled = process.env.QMP_CODEGEN_TRACE !== undefined && process.env.QMP_CODEGEN_TRACE !== '';
// A worker's clock starts with the worker; shift it to the process's.
const offset = isMainThread ? 0 : performance.timeOrigin - Number(process.env.QMP_CODEGEN_TRACE_ORIGIN ?? performance.timeOrigin);
if (enabled && isMainThread) process.env.QMP_CODEGEN_TRACE_ORIGIN = String(performance.timeOrigin);

export function trace(label: string): void {
  if (enabled) process.stderr.write(`[trace ${(performance.now() + offset).toFixed(0).padStart(5)} ms${isMainThread ? '' : ` worker ${threadId}`}] ${label}\n`);
}
