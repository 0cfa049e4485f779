/**
 * Finds the line a `Since:` claim stands on. The front ends keep a claim's text but not its line,
 * so the line is looked for in the span of documentation the claim came from (`views.ts`): the
 * first line there that names the release after the word "since", within the member's own
 * paragraph when the claim is a member's (`# @blk: … (since 2.0)`).
 */
import { readFileSync } from 'node:fs';
import type { SinceClaim } from './views.js';

export class LineFinder {
  private readonly files = new Map<string, string[]>();

  private lines(file: string): string[] {
    let lines = this.files.get(file);
    if (!lines) {
      try {
        lines = readFileSync(file, 'utf8').split('\n');
      } catch {
        lines = [];
      }
      this.files.set(file, lines);
    }
    return lines;
  }

  /** The claim's line (1-based); the start of its span when no line there says it. */
  line(claim: SinceClaim): number {
    const lines = this.lines(claim.file);
    const version = claim.since.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const says = new RegExp(`since\\b[^0-9\\n]{0,12}v?${version}(?![0-9])`, 'i');
    let from = claim.from;
    let to = Math.min(claim.to, lines.length);
    if (claim.anchor !== undefined) {
      const anchor = new RegExp(`^\\s*#?\\s*@${claim.anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`);
      const at = findLine(lines, from, to, (l) => anchor.test(l));
      if (at !== undefined) {
        from = at;
        // The member's paragraph ends where the next member's (or a section) begins.
        const end = findLine(lines, at + 1, to, (l) => /^\s*#\s*@[\w.-]+:|^\s*#\s*[A-Z][a-z]+:|^##/.test(l));
        if (end !== undefined) to = end - 1;
      }
    }
    return findLine(lines, from, to, (l) => says.test(l)) ?? claim.from;
  }
}

function findLine(lines: string[], from: number, to: number, test: (line: string) => boolean): number | undefined {
  for (let n = Math.max(1, from); n <= to; n++) if (test(lines[n - 1] ?? '')) return n;
  return undefined;
}
