/**
 * `.hx` input: what QEMU's `scripts/hxtool -q` makes of `qmp-commands.hx` (or `qemu-monitor.hx`):
 * the lines between a line starting `SQMP` and the next line starting `EQMP`, without lines
 * starting `HXCOMM`, without the markers. Kept exactly as hxtool does it, down to its `read`
 * loop dropping a last line that has no newline, so that the result is byte for byte QEMU's own
 * `qmp-commands.txt`. Where hxtool would stop with a syntax error (a marker out of order) we
 * report a located error and carry on with the obvious reading.
 */
import type { Diagnostic } from '../../ir/types.js';
import { codes } from './codes.js';

export interface HxExtraction {
  /** The QMP documentation text, as `hxtool -q` prints it. */
  text: string;
  /** `sourceLine[i]` is the `.hx` line (1-based) that output line `i + 1` came from. */
  sourceLine: number[];
  diagnostics: Diagnostic[];
}

export function extractQmpFromHx(hx: string, file: string): HxExtraction {
  const lines = hx.split('\n');
  // hxtool's `while read -r str` never sees a last line without its newline.
  const unterminated = lines.pop() ?? '';
  const out: string[] = [];
  const sourceLine: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (line: number, code: string, message: string, severity: Diagnostic['severity'] = 'error'): void => {
    diagnostics.push({ severity, code, message, file, line, column: 1 });
  };
  let inside = false;
  let openedAt = 0;
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.startsWith('HXCOMM')) return;
    if (line.startsWith('SQMP')) {
      if (inside) report(lineNo, codes.hxMarker, `SQMP inside the SQMP block opened on line ${openedAt} (hxtool -q stops here: expected EQMP)`);
      inside = true;
      openedAt = lineNo;
    } else if (line.startsWith('EQMP')) {
      if (!inside) report(lineNo, codes.hxMarker, 'EQMP without an open SQMP block (hxtool -q stops here: expected SQMP)');
      inside = false;
    } else if (line.startsWith('STEXI') || line.startsWith('ETEXI')) {
      if (inside) {
        report(
          lineNo,
          codes.hxMarker,
          `${line.slice(0, 5)} inside the SQMP block opened on line ${openedAt} (hxtool -q stops here: expected EQMP); block closed here`,
        );
        inside = false;
      }
    } else if (inside) {
      out.push(line);
      sourceLine.push(lineNo);
    }
  });
  // A last block left open is normal: QEMU's own qmp-commands.hx ends inside one.
  if (unterminated !== '' && inside && !/^(HXCOMM|SQMP|EQMP|STEXI|ETEXI)/.test(unterminated)) {
    report(lines.length + 1, codes.hxLastLine, 'last line has no newline: hxtool -q drops it, and so do we', 'warning');
  }
  return { text: out.map((l) => `${l}\n`).join(''), sourceLine, diagnostics };
}

/** Maps a line of the extracted text back to its `.hx` line (past the end: after the last one). */
export function hxSourceLine(extraction: HxExtraction, line: number): number {
  const direct = extraction.sourceLine[line - 1];
  if (direct !== undefined) return direct;
  const last = extraction.sourceLine[extraction.sourceLine.length - 1];
  return last === undefined ? 1 : last + (line - extraction.sourceLine.length);
}
