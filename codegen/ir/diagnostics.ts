import type { Diagnostic, Location, Severity } from './types.js';

/** Collects a front end's diagnostics; each one is located, so a reader can go to the line. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  report(severity: Severity, code: string, message: string, at: Location): void {
    this.list.push({ severity, code, message, file: at.file, line: at.line, column: at.column });
  }

  warn(code: string, message: string, at: Location): void {
    this.report('warning', code, message, at);
  }

  error(code: string, message: string, at: Location): void {
    this.report('error', code, message, at);
  }
}

/** `file:line:column: severity: message [code]`, the form compilers use, so editors link it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Orders diagnostics by file, then position, so output is the same whatever the parse order. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
}
