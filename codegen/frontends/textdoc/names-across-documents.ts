/**
 * Entries into the IR's commands and events, settling names across all the documents read:
 * - a prose heading (2.8's `Show rocker switch`) is named by the command its examples execute
 *   that no heading documents (`query-rocker`);
 * - a heading whose examples never execute it but execute a command no heading documents, whose
 *   name contains the heading's, is renamed to that command (2.x's `dump`, whose example runs
 *   `dump-guest-memory`); when it is the other way round (0.15's `blockdev-snapshot-sync`, whose
 *   example runs `blockdev-snapshot`; RHEL 6's `__com.redhat_drive_del`, whose example runs
 *   `drive_del`) the example has the name wrong, and is not taken for a command of its own;
 * - a name documented twice keeps its first definition;
 * - a command that only appears in examples (`"execute": "x"` with no heading for `x`) is still a
 *   command. Its arguments are the keys its examples pass, each optional (one example proves a
 *   key may be passed, not that it must be), typed from the example's values (strings `str`,
 *   integers `int`, other numbers `number`, objects open objects of optional members).
 * Every such reading is a located warning.
 */
import type { Command, Event, Example, Location, Member, TypeRef } from '../../ir/types.js';
import type { Diagnostics } from '../../ir/diagnostics.js';
import { codes } from './codes.js';
import type { Entry } from './definitions.js';
import { eventName, executedName } from './examples.js';

export interface ReadDocument {
  entries: Entry[];
  /** Examples met outside any definition (preamble, chapter text). */
  strayExamples: Example[];
}

export function settleNames(documents: readonly ReadDocument[], diagnostics: Diagnostics): { commands: Command[]; events: Event[] } {
  const entries = documents.flatMap((d) => d.entries);
  const commandEntries = entries.filter((e) => e.kind === 'command');
  const eventEntries = entries.filter((e) => e.kind === 'event');
  const misnamed = new Map<Example, Set<string>>();
  const commands = settleCommandNames(commandEntries, misnamed, diagnostics);
  checkExampleArguments(commands, commandEntries, diagnostics);
  const examples = [...commandEntries.flatMap((e) => e.examples), ...documents.flatMap((d) => d.strayExamples)];
  addCommandsFromExamples(commands, examples, misnamed, diagnostics);
  return { commands, events: settleEventNames(eventEntries, diagnostics) };
}

/** `misnamed` collects, per example, the names it executes that stand for its heading's command. */
function settleCommandNames(entries: readonly Entry[], misnamed: Map<Example, Set<string>>, diagnostics: Diagnostics): Command[] {
  const headed = new Set(entries.flatMap((e) => e.names.map((n) => n.name)));
  const commands = new Map<string, Command>();
  for (const entry of entries) {
    const executes = distinct(entry.examples.flatMap((x) => x.messages.map(executedName)));
    const undocumented = executes.filter((name) => !headed.has(name));
    const names: string[] = [];
    if (entry.prose !== undefined) {
      const [name] = undocumented;
      if (name === undefined) {
        diagnostics.warn(
          codes.headingUnnamed,
          `heading "${entry.prose}" names no command and its examples execute none that is not documented elsewhere: not read as a command`,
          entry.loc,
        );
        continue;
      }
      diagnostics.warn(codes.headingProse, `heading "${entry.prose}" is prose: read as ${name}, the command its example executes`, entry.loc);
      names.push(name);
    } else {
      for (const { name, loc } of entry.names) {
        const longer = undocumented.find((x) => x.includes(name));
        const shorter = undocumented.find((x) => name.includes(x));
        if (executes.length === 0 || executes.includes(name)) names.push(name);
        else if (longer !== undefined && entry.names.length === 1) {
          diagnostics.warn(
            codes.headingNameMismatch,
            `heading says ${name} but its examples execute ${longer}, which no heading documents: read as ${longer}`,
            loc,
          );
          names.push(longer);
        } else if (shorter !== undefined) {
          diagnostics.warn(
            codes.headingNameMismatch,
            `heading says ${name} but its examples execute ${shorter}: read as ${name}, the example's name taken for a slip`,
            loc,
          );
          for (const example of entry.examples) {
            const set = misnamed.get(example) ?? new Set<string>();
            misnamed.set(example, set.add(shorter));
          }
          names.push(name);
        } else {
          diagnostics.warn(codes.exampleOtherCommand, `no example of ${name} executes it (they execute ${executes.join(', ')})`, loc);
          names.push(name);
        }
      }
    }
    names.forEach((name, i) => {
      const previous = commands.get(name);
      if (previous) {
        diagnostics.warn(
          codes.duplicateDefinition,
          `${name} is documented again (first on line ${previous.loc.line}): the first definition is kept`,
          entry.loc,
        );
        return;
      }
      commands.set(name, toCommand(name, i === 0 ? entry : structuredClone(entry)));
    });
  }
  return [...commands.values()];
}

function toCommand(name: string, entry: Entry): Command {
  return {
    name,
    doc: entry.doc,
    arguments: entry.members,
    ...(entry.returns !== undefined ? { returns: entry.returns } : {}),
    examples: entry.examples,
    ...(entry.since !== undefined ? { since: entry.since } : {}),
    loc: entry.loc,
  };
}

/** Keys an example passes that the command's own list does not name (`device_add`'s properties). */
function checkExampleArguments(commands: readonly Command[], entries: readonly Entry[], diagnostics: Diagnostics): void {
  const documented = new Set(entries.filter((e) => e.membersDocumented).map((e) => e.doc));
  for (const command of commands) {
    if (!documented.has(command.doc)) continue;
    const known = new Set(command.arguments.map((a) => a.name));
    const reported = new Set<string>();
    for (const { message, args } of executions(command.examples, command.name)) {
      for (const key of Object.keys(args)) {
        if (known.has(key) || reported.has(key)) continue;
        reported.add(key);
        diagnostics.warn(codes.exampleArgumentUndocumented, `example of ${command.name} passes "${key}", which its documentation does not list`, message.loc);
      }
    }
  }
}

function addCommandsFromExamples(
  commands: Command[],
  examples: readonly Example[],
  misnamed: ReadonlyMap<Example, Set<string>>,
  diagnostics: Diagnostics,
): void {
  const known = new Set(commands.map((c) => c.name));
  const found = new Map<string, { examples: Example[]; args: Record<string, unknown>[]; loc: Location }>();
  for (const example of examples) {
    for (const message of example.messages) {
      const name = executedName(message);
      if (name === null || known.has(name) || misnamed.get(example)?.has(name)) continue;
      let entry = found.get(name);
      if (!entry) found.set(name, (entry = { examples: [], args: [], loc: message.loc }));
      if (!entry.examples.includes(example)) entry.examples.push(example);
    }
  }
  for (const [name, entry] of found) {
    for (const example of entry.examples) for (const { args } of executions([example], name)) entry.args.push(args);
    diagnostics.warn(
      codes.commandFromExample,
      `${name} has no definition of its own, only examples: read as a command whose arguments are the ones its examples pass, each optional`,
      entry.loc,
    );
    commands.push({
      name,
      doc: { description: '', notes: [] },
      arguments: inferMembers(entry.args, entry.loc),
      examples: entry.examples,
      loc: entry.loc,
    });
  }
}

function settleEventNames(entries: readonly Entry[], diagnostics: Diagnostics): Event[] {
  const events = new Map<string, Event>();
  for (const entry of entries) {
    const shown = distinct(entry.examples.flatMap((x) => x.messages.map(eventName)));
    let names = entry.names.map((n) => n.name);
    if (entry.prose !== undefined) {
      const documented = new Set(entries.flatMap((e) => e.names.map((n) => n.name)));
      const name = shown.find((n) => !documented.has(n));
      if (name === undefined) {
        diagnostics.warn(
          codes.headingUnnamed,
          `heading "${entry.prose}" names no event and its examples show none that is not documented elsewhere: not read as an event`,
          entry.loc,
        );
        continue;
      }
      diagnostics.warn(codes.headingProse, `heading "${entry.prose}" is prose: read as ${name}, the event its example shows`, entry.loc);
      names = [name];
    } else if (shown.length > 0 && !names.some((n) => shown.includes(n))) {
      diagnostics.warn(codes.exampleOtherEvent, `the example of ${names.join(', ')} shows ${shown.join(', ')}`, entry.loc);
    }
    names.forEach((name, i) => {
      const previous = events.get(name);
      if (previous) {
        diagnostics.warn(
          codes.duplicateDefinition,
          `${name} is documented again (first on line ${previous.loc.line}): the first definition is kept`,
          entry.loc,
        );
        return;
      }
      const source = i === 0 ? entry : structuredClone(entry);
      events.set(name, {
        name,
        doc: source.doc,
        data: source.members,
        examples: source.examples,
        ...(source.since !== undefined ? { since: source.since } : {}),
        loc: source.loc,
      });
    });
  }
  return [...events.values()];
}

// ---------------------------------------------------------------------------------------------

function* executions(examples: readonly Example[], name: string): Generator<{ message: Example['messages'][number]; args: Record<string, unknown> }> {
  for (const example of examples) {
    for (const message of example.messages) {
      if (executedName(message) !== name) continue;
      const json = message.json as { arguments?: unknown } | undefined;
      const args = json?.arguments;
      yield { message, args: typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {} };
    }
  }
}

/** Members from example values: every key optional, typed from its first value. */
function inferMembers(objects: readonly Record<string, unknown>[], loc: Location, depth = 0): Member[] {
  const members = new Map<string, Member>();
  for (const object of objects) {
    for (const [name, value] of Object.entries(object)) {
      if (!members.has(name)) members.set(name, { name, type: inferType(value, loc, depth + 1), optional: true, loc });
    }
  }
  return [...members.values()];
}

/** Values nested deeper than this are `any`: an example proves little about them anyway. */
const maxInferDepth = 16;

function inferType(value: unknown, loc: Location, depth: number): TypeRef {
  if (typeof value === 'string') return { kind: 'builtin', name: 'str' };
  if (typeof value === 'boolean') return { kind: 'builtin', name: 'bool' };
  if (typeof value === 'number') return { kind: 'builtin', name: Number.isInteger(value) ? 'int' : 'number' };
  if (value === null) return { kind: 'builtin', name: 'null' };
  if (depth > maxInferDepth) return { kind: 'builtin', name: 'any' };
  if (Array.isArray(value)) return { kind: 'array', of: value.length > 0 ? inferType(value[0], loc, depth + 1) : { kind: 'builtin', name: 'any' } };
  if (typeof value === 'object') return { kind: 'object', members: inferMembers([value as Record<string, unknown>], loc, depth), open: true };
  return { kind: 'builtin', name: 'any' };
}

function distinct(names: readonly (string | null)[]): string[] {
  return [...new Set(names.filter((n): n is string => n !== null))];
}
