/**
 * A guest agent's `guest-info` reply as a restriction of a documented agent schema: the agent has
 * no `query-qmp-schema`, and `guest-info` names its commands (`supported_commands`, each with its
 * `success-response`) but not their types. So an agent known only by its binary (qemu-ga 11.1.3)
 * is typed by the newest documented agent schema, kept to the commands its `guest-info` lists.
 *
 * Findings are the model's diagnostics, located at the reply: a command the agent lists that the
 * schema does not document (`agent-command-undocumented`, a warning: it cannot be typed, and is
 * left out), a documented command the agent does not list (`agent-command-absent`, a note: left
 * out), and a `success-response` that disagrees with the schema's (`agent-success-response`).
 * Types no command reaches any more are dropped.
 */
import type { Diagnostic, Location, Member, NamedType, QmpModel, TypeRef } from '../ir/types.js';
import { SchemaError } from './qapi/errors.js';

export interface SupportedCommand {
  name: string;
  enabled: boolean;
  'success-response': boolean;
}

/** The `return` of `guest-info` (or the whole `{"return": …}` reply), checked. */
export function readAgentInfo(reply: unknown, loc: Location): { version: string; commands: SupportedCommand[] } {
  const value = isRecord(reply) && isRecord(reply.return) ? reply.return : reply;
  if (!isRecord(value) || typeof value.version !== 'string' || !Array.isArray(value.supported_commands))
    throw new SchemaError(loc, "not a guest-info reply: expected { version, supported_commands: [{ name, enabled, 'success-response' }] }");
  const commands = value.supported_commands.map((entry: unknown, index) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry['success-response'] !== 'boolean')
      throw new SchemaError(loc, `guest-info supported_commands[${index}] is not { name, enabled, 'success-response' }`);
    return { name: entry.name, enabled: entry.enabled === true, 'success-response': entry['success-response'] };
  });
  return { version: value.version, commands };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `model` (an agent schema's) kept to what the agent of `reply` (its guest-info, read from `file`) lists. */
export function restrictToAgentInfo(model: QmpModel, reply: unknown, file: string): QmpModel {
  const loc: Location = { file, line: 1, column: 1 };
  const info = readAgentInfo(reply, loc);
  const listed = new Map(info.commands.map((c) => [c.name, c]));
  const documented = new Set(model.commands.map((c) => c.name));
  const diagnostics: Diagnostic[] = [...model.diagnostics];
  const note = (severity: Diagnostic['severity'], code: string, message: string) => diagnostics.push({ severity, code, message, ...loc });
  for (const command of info.commands) {
    if (!documented.has(command.name))
      note('warning', 'agent-command-undocumented', `qemu-ga ${info.version} lists '${command.name}', which the agent schema does not document: left out`);
  }
  const commands = model.commands.filter((command) => {
    const supported = listed.get(command.name);
    if (supported === undefined) {
      note('info', 'agent-command-absent', `'${command.name}' is documented, but qemu-ga ${info.version} does not list it: left out`);
      return false;
    }
    const documentedResponse = command.flags?.successResponse !== false;
    if (documentedResponse !== supported['success-response'])
      note(
        'warning',
        'agent-success-response',
        `'${command.name}': qemu-ga ${info.version} says success-response ${supported['success-response']}, the schema ${documentedResponse}`,
      );
    return true;
  });
  const types = reachableTypes(model.types, [
    ...commands.flatMap((c) => [...c.arguments.map((m) => m.type), ...(c.argumentsType ? [c.argumentsType] : []), ...(c.returns ? [c.returns] : [])]),
    ...model.events.flatMap((e) => [...e.data.map((m) => m.type), ...(e.dataType ? [e.dataType] : [])]),
  ]);
  return {
    ...model,
    source: { ...model.source, files: [...model.source.files, file], release: info.version },
    commands,
    types,
    diagnostics,
  };
}

/** The types `roots` reach (bases, members, branches, alternatives, followed), in model order. */
function reachableTypes(types: readonly NamedType[], roots: readonly TypeRef[]): NamedType[] {
  const byName = new Map(types.map((t) => [t.name, t]));
  const reached = new Set<string>();
  const visitMembers = (members: readonly Member[]) => members.forEach((m) => visit(m.type));
  const visitName = (name: string | undefined): void => {
    if (name === undefined || reached.has(name)) return;
    const type = byName.get(name);
    if (type === undefined) return;
    reached.add(name);
    switch (type.kind) {
      case 'struct':
        visitName(type.base);
        visitMembers(type.members);
        break;
      case 'union':
        visitName(type.base);
        visitMembers(type.baseMembers);
        type.variants.forEach((v) => visit(v.type));
        break;
      case 'alternate':
        type.alternatives.forEach((a) => visit(a.type));
        break;
      case 'enum':
        break;
    }
  };
  const visit = (ref: TypeRef): void => {
    if (ref.kind === 'named') visitName(ref.name);
    else if (ref.kind === 'array') visit(ref.of);
    else if (ref.kind === 'object') visitMembers(ref.members);
    else if (ref.kind === 'union') ref.of.forEach(visit);
  };
  roots.forEach(visit);
  return types.filter((t) => reached.has(t.name));
}
