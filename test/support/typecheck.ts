/**
 * Type-checks files with the TypeScript compiler API and the project's strict options, and returns
 * the diagnostics as `file:line:column: message` lines (empty when the files compile).
 */
import ts from 'typescript';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let options: ts.CompilerOptions | undefined;

function projectOptions(): ts.CompilerOptions {
  if (options) return options;
  const configPath = join(projectRoot, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectRoot);
  options = { ...parsed.options, noEmit: true };
  return options;
}

export function typecheck(rootNames: string[]): string[] {
  const program = ts.createProgram({ rootNames, options: projectOptions() });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1}: ${text}`;
  });
}
