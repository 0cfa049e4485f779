/** Runs a tool from its TypeScript source in a child process, as a user runs its bin. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './typecheck.js';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runTool(tool: string, args: string[], options: { env?: Record<string, string>; input?: string; timeout?: number } = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'test/support/run-main.ts'), join(projectRoot, tool), ...args],
      { cwd: projectRoot, env: { ...process.env, ...options.env }, timeout: options.timeout ?? 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}
