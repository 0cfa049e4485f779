/**
 * An independent, line-by-line reading of a `qmp-commands.txt`, for use as an oracle only: which
 * commands a document documents (by heading or by example) and which arguments each `Arguments:`
 * section lists, with the optional flag the document gives (`optional`, or a default in
 * parentheses, `(json-int, default 10M)`, anywhere in the member's own lines). Written with regular expressions, sharing no code with the front end, so
 * that the two readings check each other.
 */

export interface ScannedDefinition {
  /** The heading's name; null for prose headings (`Show rocker switch`). */
  heading: string | null;
  line: number;
  /** Commands the definition's examples execute, in order. */
  executes: string[];
  /** Null when the definition has no `Arguments:` section. */
  args: { name: string; optional: boolean; line: number }[] | null;
}

const underline = /^-{3,}\s*$/;
const nameLine = /^@?([A-Za-z_][\w.-]*)\s*$/;
const bareHeading = /^([a-z_][a-z0-9_.-]*[a-z0-9_-])\s*$/;
const chapter = /^\d+\.\s/;
const sectionHeader = /^(Arguments|Data|Examples?|Notes?|NOTE|Returns?|Since|Warning)\b[^:]*:/;
const topMember = /^-\s+(?:"([^"]+)"|([A-Za-z_][\w.-]*)\s*:)/;
const arrayMember = /^([A-Za-z_][\w.-]*) array:/;
const nestedMember = /^\s+-\s/;

export function scanCommands(text: string): ScannedDefinition[] {
  const lines = text.split('\n');
  const starts: { index: number; heading: string | null; skip: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? '';
    if (/^=+\s*$/.test(next) && chapter.test(line)) starts.push({ index: i, heading: null, skip: 2 });
    else if (underline.test(next) && /^\S/.test(line)) starts.push({ index: i, heading: nameLine.exec(line)?.[1] ?? null, skip: 2 });
    else if (bareHeading.test(line) && (lines[i - 1] ?? '').trim() === '' && next.trim() === '') {
      starts.push({ index: i, heading: bareHeading.exec(line)![1]!, skip: 1 });
    }
  }
  return starts.map((start, n) => {
    const end = starts[n + 1]?.index ?? lines.length;
    const body = lines.slice(start.index + start.skip, end);
    const first = start.index + start.skip + 1;
    return {
      heading: start.heading,
      line: start.index + 1,
      executes: [...body.join('\n').matchAll(/"execute"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!),
      args: scanArguments(body, first),
    };
  });
}

function scanArguments(body: string[], firstLine: number): ScannedDefinition['args'] {
  const at = body.findIndex((l) => /^Arguments:/.test(l));
  if (at === -1) return null;
  const args: NonNullable<ScannedDefinition['args']> = [];
  if (/^Arguments:\s*None/.test(body[at]!)) return args;
  let current: { name: string; optional: boolean; line: number; own: boolean } | null = null;
  let blank = false;
  for (let i = at + 1; i < body.length; i++) {
    const line = body[i]!;
    if (line.trim() === '') {
      blank = true;
      continue;
    }
    if (sectionHeader.test(line) || /^\s*(->|<-)/.test(line)) break;
    const member = topMember.exec(line) ?? arrayMember.exec(line);
    if (member) {
      const name = member[1] ?? member[2]!;
      current = { name, optional: false, line: firstLine + i, own: true };
      args.push(current);
    } else if (current === null || (blank && /^\S/.test(line))) {
      // prose after the list ends it; a dash item with no name is not an argument
      if (current !== null || !/^-\s/.test(line)) break;
      continue;
    } else if (nestedMember.test(line)) current.own = false;
    if (current?.own && (/\boptional\b/i.test(line) || /\([^()]*\bdefault\s+[^\s()][^()]*\)/i.test(line))) current.optional = true;
    blank = false;
  }
  return args.map(({ name, optional, line }) => ({ name, optional, line }));
}

/** Whether the document documents a command: under a heading of its name, or in an example. */
export function documents(text: string, command: string): boolean {
  const name = command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^@?${name}[ \\t]*\\n(-{3,}|[ \\t]*\\n)`, 'm').test(text) || new RegExp(`"execute"\\s*:\\s*"${name}"`).test(text);
}
