/**
 * Types found by where they are used, for documents that do not name them. An introspection
 * reply numbers its types; a history of `MigrationCapability` needs the type that stands where
 * the schema's `MigrationCapability` stands: `migrate-set-capabilities`' `capabilities`' elements'
 * `capability`. Both models' commands and events are followed together, member by member (by
 * name), branch by branch (by discriminator value), alternative by alternative (by JSON type),
 * and each schema type met is paired with what the other model has at the same place.
 */
import { factsOf, type JsonKind, type ModelFacts } from '../ir/facts.js';
import type { Command, Event, QmpModel, TypeRef } from '../ir/types.js';

const argumentsOf = (c: Command): TypeRef => c.argumentsType ?? { kind: 'object', members: c.arguments, open: false };
const dataOf = (e: Event): TypeRef => e.dataType ?? { kind: 'object', members: e.data, open: false };

/** For each named type of `named` reached from a command or event both models have: the type at its place in `other`. */
export function typesByPlace(named: QmpModel, other: QmpModel): Map<string, TypeRef> {
  const a = factsOf(named);
  const b = factsOf(other);
  const found = new Map<string, TypeRef>();
  const pair = (x: TypeRef, y: TypeRef): void => {
    if (x.kind === 'named' && a.type(x.name)) {
      if (found.has(x.name)) return;
      found.set(x.name, y);
    }
    const sx = a.wireShape(x);
    const sy = b.wireShape(y);
    if (sx.kind === 'array' && sy.kind === 'array') return pair(sx.of, sy.of);
    if (sx.kind === 'object' && sy.kind === 'object') {
      const members = new Map(sy.members.map((m) => [m.name, m]));
      for (const m of sx.members) {
        const at = members.get(m.name);
        if (at) pair(m.type, at.type);
      }
      const branches = new Map((sy.variants?.branches ?? []).map((v) => [v.value, v.type]));
      for (const v of sx.variants?.branches ?? []) {
        const at = branches.get(v.value);
        if (at) pair(v.type, at);
      }
      return;
    }
    if (sx.kind === 'alternate' && sy.kind === 'alternate') {
      const byKind = (facts: ModelFacts, refs: TypeRef[]): Map<JsonKind, TypeRef> => new Map(refs.map((r) => [facts.jsonKind(r), r]));
      const ys = byKind(b, b.wireBranches(y));
      for (const [kind, ref] of byKind(a, a.wireBranches(x))) {
        const at = ys.get(kind);
        if (at) pair(ref, at);
      }
    }
  };
  const commands = new Map(other.commands.map((c) => [c.name, c]));
  for (const c of named.commands) {
    const at = commands.get(c.name);
    if (!at) continue;
    pair(argumentsOf(c), argumentsOf(at));
    if (c.returns && at.returns) pair(c.returns, at.returns);
  }
  const events = new Map(other.events.map((e) => [e.name, e]));
  for (const e of named.events) {
    const at = events.get(e.name);
    if (at) pair(dataOf(e), dataOf(at));
  }
  return found;
}

/** The named types a command's arguments and return reach, through members, branches, alternatives and arrays. */
export function typesReached(model: QmpModel, command: Command): Set<string> {
  const facts = factsOf(model);
  const reached = new Set<string>();
  const visit = (ref: TypeRef): void => {
    if (ref.kind === 'named') {
      if (reached.has(ref.name) || !facts.type(ref.name)) return;
      reached.add(ref.name);
      const type = facts.type(ref.name)!;
      if (type.kind === 'struct' && type.base !== undefined) visit({ kind: 'named', name: type.base });
      if (type.kind === 'union' && type.base !== undefined) visit({ kind: 'named', name: type.base });
    }
    const shape = facts.wireShape(ref);
    if (shape.kind === 'array') visit(shape.of);
    else if (shape.kind === 'object') {
      shape.members.forEach((m) => visit(m.type));
      shape.variants?.branches.forEach((v) => visit(v.type));
    } else if (shape.kind === 'alternate') shape.of.forEach(visit);
  };
  visit(argumentsOf(command));
  if (command.returns) visit(command.returns);
  return reached;
}
