/** Shared helpers for the QAPI front end's tests: the spec/ trees and the shared corpus. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchema } from '../../../codegen/frontends/qapi/index.js';
import type { Command, Diagnostic, Event, NamedType, QmpModel } from '../../../codegen/ir/types.js';

export const spec72 = 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json';
export const spec102 = 'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json';

/** Every schema entry file under a `<release>/qapi-schema/` folder of `root`. */
export function schemaEntries(root: string): string[] {
  const entries: string[] = [];
  for (const release of readdirSync(root).sort()) {
    const tree = join(root, release, 'qapi-schema');
    for (const entry of ['qapi-schema.json', 'qapi/qapi-schema.json', 'qga/qapi-schema.json', 'storage-daemon/qapi/qapi-schema.json']) {
      if (existsSync(join(tree, entry))) entries.push(join(tree, entry));
    }
  }
  return entries;
}

const cache = new Map<string, QmpModel>();

/** Parses a schema once per test file (the trees are read by many tests). */
export function schema(entry: string): QmpModel {
  let model = cache.get(entry);
  if (!model) {
    model = parseSchema(entry);
    cache.set(entry, model);
  }
  return model;
}

export function command(model: QmpModel, name: string): Command {
  const found = model.commands.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

export function event(model: QmpModel, name: string): Event {
  const found = model.events.find((e) => e.name === name);
  if (!found) throw new Error(`no event ${name}`);
  return found;
}

export function type<K extends NamedType['kind']>(model: QmpModel, name: string, kind: K): Extract<NamedType, { kind: K }> {
  const found = model.types.find((t) => t.name === name);
  if (!found || found.kind !== kind) throw new Error(`no ${kind} ${name}`);
  return found as Extract<NamedType, { kind: K }>;
}

export function errors(model: QmpModel): Diagnostic[] {
  return model.diagnostics.filter((d) => d.severity === 'error');
}

export function withCode(model: QmpModel, code: string): Diagnostic[] {
  return model.diagnostics.filter((d) => d.code === code);
}
