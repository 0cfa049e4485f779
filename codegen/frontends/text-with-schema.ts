/**
 * A release's text documents and its QAPI schema → one model. The schema is what QEMU compiles, so
 * names, types and optionality come from it; the text documents were written for people, so
 * descriptions, member docs and examples come from them where the schema has none. Every place
 * where the two disagree is a located diagnostic (at the text document's line): the old documents'
 * errors, turned into a report.
 */
import { Diagnostics } from '../ir/diagnostics.js';
import { factsOf, type ModelFacts } from '../ir/facts.js';
import type { Command, Event, Location, Member, QmpModel, TypeRef } from '../ir/types.js';

export function reconcileTextWithSchema(text: QmpModel, schema: QmpModel): QmpModel {
  const report = new Diagnostics();
  const textCommands = new Map(text.commands.map((c) => [c.name, c]));
  const textEvents = new Map(text.events.map((e) => [e.name, e]));
  const facts = factsOf(schema);

  const membersOf = (name: string): readonly Member[] => {
    const t = facts.type(name);
    if (t?.kind === 'struct') return facts.structMembers(name);
    if (t?.kind === 'union') return t.baseMembers;
    return [];
  };

  const mergeMembers = (owner: string, what: string, textMembers: Member[], schemaMembers: readonly Member[], at: Location): Member[] => {
    const bySchema = new Map(schemaMembers.map((m) => [m.name, m]));
    for (const t of textMembers) {
      const s = bySchema.get(t.name);
      if (!s) {
        report.warn('text-member-not-in-schema', `${owner}: the text documents ${what} "${t.name}", which the schema does not have`, t.loc);
        continue;
      }
      if (s.optional !== t.optional) {
        report.warn(
          'text-optional-disagrees',
          `${owner}: the text documents ${what} "${t.name}" as ${t.optional ? 'optional' : 'required'}; the schema makes it ${s.optional ? 'optional' : 'required'}`,
          t.loc,
        );
      }
      const a = shape(t.type);
      const b = shape(s.type, facts);
      if (a !== 'any' && b !== 'any' && a !== b) {
        report.warn('text-type-disagrees', `${owner}: the text documents ${what} "${t.name}" as ${a}; the schema has ${b}`, t.loc);
      }
    }
    const byText = new Map(textMembers.map((m) => [m.name, m]));
    for (const s of schemaMembers) {
      if (!byText.has(s.name) && textMembers.length > 0)
        report.report('info', 'text-member-undocumented', `${owner}: ${what} "${s.name}" of the schema is not in the text documents`, at);
    }
    return schemaMembers.map((s) => {
      const t = byText.get(s.name);
      return t && !s.doc && t.doc ? { ...s, doc: t.doc } : s;
    });
  };

  const commands: Command[] = schema.commands.map((s) => {
    const t = textCommands.get(s.name);
    if (!t) return s;
    const schemaArgs = s.arguments.length > 0 || !s.argumentsType ? s.arguments : membersOf(s.argumentsType.name);
    const args = mergeMembers(`command ${s.name}`, 'argument', t.arguments, schemaArgs, t.loc);
    return {
      ...s,
      doc: s.doc.description ? s.doc : { ...t.doc, ...(s.doc.returns ? { returns: s.doc.returns } : {}) },
      arguments: s.arguments.length > 0 ? args : s.arguments,
      examples: t.examples.length > 0 ? t.examples : s.examples,
      ...((s.since ?? t.since) ? { since: s.since ?? t.since } : {}),
    };
  });
  const events: Event[] = schema.events.map((s) => {
    const t = textEvents.get(s.name);
    if (!t) return s;
    const schemaData = s.data.length > 0 || !s.dataType ? s.data : membersOf(s.dataType.name);
    const data = mergeMembers(`event ${s.name}`, 'data member', t.data, schemaData, t.loc);
    return {
      ...s,
      doc: s.doc.description ? s.doc : t.doc,
      data: s.data.length > 0 ? data : s.data,
      examples: t.examples.length > 0 ? t.examples : s.examples,
    };
  });

  const schemaCommands = new Set(schema.commands.map((c) => c.name));
  for (const c of text.commands) {
    if (!schemaCommands.has(c.name))
      report.warn('text-command-not-in-schema', `command ${c.name} is in the text documents but not in the schema (left out)`, c.loc);
  }
  const schemaEvents = new Set(schema.events.map((e) => e.name));
  for (const e of text.events) {
    if (!schemaEvents.has(e.name)) report.warn('text-event-not-in-schema', `event ${e.name} is in the text documents but not in the schema (left out)`, e.loc);
  }

  return {
    irVersion: 1,
    source: {
      frontend: 'reconciled',
      files: [...text.source.files, ...schema.source.files],
      ...((schema.source.release ?? text.source.release) ? { release: schema.source.release ?? text.source.release } : {}),
      ...(schema.source.configuration ? { configuration: schema.source.configuration } : {}),
    },
    commands,
    events,
    types: schema.types,
    diagnostics: [...text.diagnostics, ...schema.diagnostics, ...report.list],
  };
}

/** A client's view of a type, for comparing prose types with schema types. */
function shape(type: TypeRef, facts?: ModelFacts): string {
  switch (type.kind) {
    case 'builtin':
      if (/^(u?int(8|16|32|64)?|size|number)$/.test(type.name)) return 'number';
      if (type.name === 'str' || type.name === 'QType') return 'string';
      if (type.name === 'bool') return 'boolean';
      return type.name;
    case 'enum':
      return 'string';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    case 'union':
      return 'any';
    case 'named': {
      const t = facts?.type(type.name);
      if (!t) return 'any';
      if (t.kind === 'enum') return 'string';
      if (t.kind === 'alternate') return 'any';
      return 'object';
    }
  }
}
