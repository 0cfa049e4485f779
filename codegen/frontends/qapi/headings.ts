/**
 * The headings of a schema's free-form documentation (`##` blocks that document no definition),
 * which QEMU's reference uses as its chapters and sections. Two spellings, as QEMU wrote them:
 * `= Title`, `== Title` up to QEMU 9.0 (the `=` count is the level), and reStructuredText from
 * 9.1 on (a title over-/underlined with `*`, `=`, …), whose levels are the styles in the order
 * the whole document first uses them, as docutils assigns them.
 */

/** A heading and the free-form text under it (up to the next heading of the same block). */
export interface FreeformHeading {
  level: number;
  title: string;
  text: string;
}

/** The rST adornment styles seen so far in one schema, in order: a style's index + 1 is its level. */
export class HeadingStyles {
  private readonly styles: string[] = [];

  levelOf(style: string): number {
    let index = this.styles.indexOf(style);
    if (index === -1) index = this.styles.push(style) - 1;
    return index + 1;
  }
}

const adornment = /^([!-/:-@[-`{-~])\1{2,}$/;

/**
 * The headings of a free-form block's text (its lines after `# `), each with the text under it;
 * text before the first heading is returned as `lead`.
 */
export function freeformHeadings(text: string, styles: HeadingStyles): { lead: string; headings: FreeformHeading[] } {
  const lines = text.split('\n');
  const headings: FreeformHeading[] = [];
  const lead: string[] = [];
  let body = lead;
  const start = (level: number, title: string): void => {
    const heading = { level, title: title.trim(), text: '' };
    headings.push(heading);
    body = [];
    bodies.set(heading, body);
  };
  const bodies = new Map<FreeformHeading, string[]>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const legacy = /^(=+)\s+(\S.*)$/.exec(line);
    if (legacy) {
      start(legacy[1]!.length, legacy[2]!);
      continue;
    }
    const next = lines[i + 1];
    // Overline, title, underline (the same character, the lines at least as long as the title).
    if (adornment.test(line) && next !== undefined && next.trim() !== '' && lines[i + 2] === line && line.length >= next.trim().length) {
      start(styles.levelOf(`over${line[0]}`), next);
      i += 2;
      continue;
    }
    // Title, underline.
    if (line.trim() !== '' && !adornment.test(line) && next !== undefined && adornment.test(next) && next.length >= line.trim().length) {
      start(styles.levelOf(`under${next[0]}`), line);
      i += 1;
      continue;
    }
    body.push(line);
  }
  for (const [heading, lines] of bodies) heading.text = trimBlank(lines);
  return { lead: trimBlank(lead), headings };
}

function trimBlank(lines: string[]): string {
  return lines.join('\n').trim();
}
