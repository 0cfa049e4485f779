/**
 * Tab completion for the shell: the command name first, then `key=` for the arguments not given
 * yet. Returns what node:readline's completer expects: the candidates and the text they replace.
 */
import type { CommandCatalog } from './catalog.js';

export function complete(catalog: CommandCatalog, line: string): [string[], string] {
  const words = line.trimStart().split(/\s+/);
  if (words.length <= 1) {
    const prefix = words[0] ?? '';
    return [catalog.commandNames().filter((n) => n.startsWith(prefix)), prefix];
  }
  const current = words[words.length - 1]!;
  if (current.includes('=')) return [[], current];
  const given = new Set(words.slice(1, -1).map((w) => w.split('=')[0]!.split('.')[0]));
  const candidates = catalog
    .argumentNames(words[0]!)
    .filter((n) => !given.has(n) && n.startsWith(current))
    .map((n) => `${n}=`);
  return [candidates, current];
}
