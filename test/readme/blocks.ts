/**
 * The code blocks of a Markdown file, and the markers the README tests read in them:
 *   `// fragment: …` / `# fragment: …` (first line): not a whole program; the text says what it assumes
 *   `// main.ts` / `// tsconfig.json[: …]` (first line): the file the reader saves the block as
 *   `# in a checkout of qmp-sdk…` / `# in your project…` (a shell comment line): where the lines after it run
 *   a shell line's comment `(exit N)`: the status it ends with
 *   a commented-out TypeScript line whose comment starts `does not compile`: it must not
 */

export interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string (`sh`, `ts`, `jsonc`, `text`, …); '' when none. */
  lang: string;
  /** The lines between the fences. */
  lines: string[];
  /** The text after `fragment:`, when the block is marked as one. */
  fragment?: string;
  /** The file name of a `// main.ts` marker. */
  name?: string;
}

export function extractBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`${file}:${start + 1}: a code block that is never closed`);
    const first = body[0] ?? '';
    const block: Block = { file, line: start + 1, lang: open[1]!, lines: body };
    const fragment = /^(?:\/\/|#) fragment: (.+)$/.exec(first);
    if (fragment !== null) block.fragment = fragment[1]!;
    const name = /^\/\/ ([\w.-]+\.(?:[cm]?ts|json))(?::.*)?$/.exec(first);
    if (name !== null) block.name = name[1]!;
    blocks.push(block);
  }
  return blocks;
}

export type Where = 'checkout' | 'project';

export interface ShellStep {
  /** 1-based line in the Markdown file. */
  line: number;
  where: Where;
  /** The command without its comment (and without a trailing `&`). */
  command: string;
  comment: string;
  /** Ends with `&`: runs in the background for the rest of the file's blocks. */
  background: boolean;
  /** The status the comment says it ends with (`(exit 1)`), else 0. */
  exit: number;
}

/** A shell block's commands, each with where it runs (`where` until a marker says otherwise). */
export function shellSteps(block: Block, where: Where = 'project'): ShellStep[] {
  const steps: ShellStep[] = [];
  block.lines.forEach((text, index) => {
    const line = block.line + 1 + index;
    const trimmed = text.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('#')) {
      if (/^# in a checkout of qmp-sdk\b/.test(trimmed)) where = 'checkout';
      else if (/^# in your project\b/.test(trimmed)) where = 'project';
      return;
    }
    const hash = /\s#\s/.exec(text);
    let command = (hash === null ? text : text.slice(0, hash.index)).trim();
    const comment = hash === null ? '' : text.slice(hash.index).replace(/^\s*#\s*/, '');
    const background = /(?<!&)&$/.test(command);
    if (background) command = command.slice(0, -1).trim();
    const exit = /\(exit (\d+)\)/.exec(comment);
    steps.push({ line, where, command, comment, background, exit: exit === null ? 0 : Number(exit[1]) });
  });
  return steps;
}

/** Commented-out lines that the block says do not compile: their 0-based indexes in `lines`. */
export function notCompiling(block: Block): number[] {
  return block.lines.flatMap((text, index) => (/^\s*\/\/ .*\/\/ does not compile\b/.test(text) ? [index] : []));
}

/** A `// does not compile` line made live again. */
export function uncomment(text: string): string {
  return text.replace(/^(\s*)\/\/ /, '$1');
}

/** Packages a TypeScript block imports by bare name (not `node:`), without subpaths. */
export function bareImports(block: Block): string[] {
  const names = new Set<string>();
  for (const text of block.lines) {
    const from = /^import\b.*\bfrom '([^']+)'/.exec(text);
    if (from === null || from[1]!.startsWith('node:') || from[1]!.startsWith('.')) continue;
    const parts = from[1]!.split('/');
    names.add(from[1]!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names];
}

/**
 * The block with the socket and file paths it names under /tmp moved into `dir` (so that runs
 * cannot meet each other's sockets); nothing else changes.
 */
export function underTmp(text: string, dir: string): string {
  return text.replace(/(?<![\w.~/-])\/tmp(?![\w.-])/g, dir);
}

/** JSON with `//` comment lines (jsonc, as tsconfig.json is read). */
export function parseJsonc(lines: readonly string[]): unknown {
  return JSON.parse(lines.filter((text) => !/^\s*\/\//.test(text)).join('\n'));
}
