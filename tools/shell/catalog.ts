/**
 * What the shell knows of the interface it talks to, from an IR model (the live QEMU's
 * `query-qmp-schema`, read by the introspection front end): command names and argument names for
 * completion, and a check of a command's arguments before anything is sent.
 */
import { ConformanceChecker, type Command, type Member, type QmpModel } from '../../codegen/model.js';
import type { ShellCommand } from './parse.js';

export class CommandCatalog {
  private readonly commands: Map<string, Command>;
  private readonly checker: ConformanceChecker;

  constructor(readonly model: QmpModel) {
    this.commands = new Map(model.commands.map((c) => [c.name, c]));
    this.checker = new ConformanceChecker(model);
  }

  commandNames(): string[] {
    return [...this.commands.keys()].sort();
  }

  has(name: string): boolean {
    return this.commands.has(name);
  }

  /** Top-level argument names; for a union, its common members and every variant's. */
  argumentNames(command: string): string[] {
    const c = this.commands.get(command);
    if (!c) return [];
    const names = new Set(c.arguments.map((m) => m.name));
    if (c.argumentsType) for (const m of this.typeMembers(c.argumentsType.name)) names.add(m.name);
    return [...names].sort();
  }

  private typeMembers(name: string): readonly Member[] {
    const t = this.model.types.find((x) => x.name === name);
    if (t?.kind === 'struct') return this.checker.structMembers(name);
    if (t?.kind === 'union') {
      const variants = t.variants.flatMap((v) =>
        v.type.kind === 'named' ? this.checker.structMembers(v.type.name) : v.type.kind === 'object' ? v.type.members : [],
      );
      return [...t.baseMembers, ...variants];
    }
    return [];
  }

  /** Problems that would make QEMU refuse the command, found before sending it. */
  validate(command: ShellCommand): string[] {
    const c = this.commands.get(command.name);
    if (!c) {
      const near = closest(command.name, this.commandNames());
      return [`unknown command "${command.name}"${near ? ` (did you mean "${near}"?)` : ''}`];
    }
    const issues = c.argumentsType
      ? this.checker.check(command.args, c.argumentsType, 'arguments')
      : this.checker.checkMembers(command.args, c.arguments, false, 'arguments');
    return issues.map((i) => {
      const unknown = /^unknown member "(.*)"$/.exec(i.message);
      const near = unknown ? closest(unknown[1]!, this.argumentNames(command.name)) : undefined;
      return `${command.name}: ${i.path}: ${i.message}${near ? ` (did you mean "${near}"?)` : ''}`;
    });
  }
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    // A candidate the word begins (a name typed only in part) wins a tie.
    const d = distance(word, c) - (c.startsWith(word) ? 0.5 : 0);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
