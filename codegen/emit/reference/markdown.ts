/** The reference as Markdown: the same entries as the HTML page, for reading in a repository. */
import type { Member, NamedType, TypeRef } from '../../ir/types.js';
import { anchorOf, exampleLines, nestedMembers, typeLabel, type Entry } from './view.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function renderMarkdown(title: string, all: Entry[], typeNames: Set<string>): string {
  const link = (name: string): string => (typeNames.has(name) ? `[${name}](#${anchorOf('type', name)})` : name);
  const type = (ref: TypeRef): string => typeLabel(ref, link, (t) => t);
  const out: string[] = [`# ${title}`, ''];
  for (const [heading, kind] of [
    ['Commands', 'command'],
    ['Events', 'event'],
    ['Types', 'type'],
  ] as const) {
    const list = all.filter((e) => e.kind === kind);
    out.push(`## ${heading} (${list.length})`, '');
    for (const e of list) out.push(...entry(e, type));
  }
  return `${out.join('\n')}\n`;
}

function entry(e: Entry, type: (ref: TypeRef) => string): string[] {
  const out = [`<a id="${e.anchor}"></a>`, `### ${e.kind} \`${e.name}\``, ''];
  const badges = [e.since ? `since ${e.since}` : '', e.deprecated !== undefined ? '**deprecated**' : '', e.condition ? `if ${e.condition}` : ''].filter(
    Boolean,
  );
  if (badges.length > 0) out.push(`_${badges.join(' · ')}_`, '');
  if (e.signature) out.push('```ts', e.signature, '```', '');
  if (e.doc.description) out.push(e.doc.description, '');
  if (e.type) out.push(...typeParts(e.type, type));
  if (e.membersType) out.push(`**${e.membersTitle}:** the members of ${type(e.membersType)}.`, '');
  else if (e.members.length > 0) out.push(`**${e.membersTitle}:**`, '', ...table(e.members, type), '');
  if (e.kind === 'command') {
    out.push(`**Returns:** ${e.returns ? type(e.returns) : 'an empty object, `{}`'}.`, '');
    const nested = e.returns ? nestedMembers(e.returns) : [];
    if (nested.length > 0) out.push(...table(nested, type), '');
    if (e.doc.returns) out.push(e.doc.returns, '');
  }
  for (const error of e.doc.errors ?? []) out.push(`**Error:** ${error}`, '');
  for (const note of e.doc.notes) out.push(`> **Note:** ${note.replace(/\n/g, '\n> ')}`, '');
  e.examples.forEach((example, i) => {
    out.push(
      `**Example${e.examples.length > 1 ? ` ${i + 1}` : ''}${example.title ? `: ${example.title}` : ''}**`,
      '',
      '```',
      ...exampleLines(example),
      '```',
      '',
    );
  });
  return out;
}

function table(members: Member[], type: (ref: TypeRef) => string): string[] {
  const rows = ['| Name | Type | | Description |', '| --- | --- | --- | --- |'];
  const add = (list: Member[], prefix: string, depth: number): void => {
    for (const m of list) {
      const name = `${prefix}${m.name}`;
      const flags = [m.optional ? 'optional' : 'required', m.deprecated !== undefined ? 'deprecated' : '', m.since ? `since ${m.since}` : ''].filter(Boolean);
      rows.push(`| \`${cell(name)}\` | ${cell(type(m.type))} | ${flags.join(', ')} | ${cell(m.doc ?? '')} |`);
      if (depth < 8) add(nestedMembers(m.type), `${name}${m.type.kind === 'array' ? '[].' : '.'}`, depth + 1);
    }
  };
  add(members, '', 0);
  return rows;
}

function typeParts(t: NamedType, type: (ref: TypeRef) => string): string[] {
  switch (t.kind) {
    case 'struct':
      return t.base ? [`Extends ${type({ kind: 'named', name: t.base })}.`, ''] : [];
    case 'enum':
      return [
        '**Values:**',
        '',
        ...t.values.map(
          (v) => `- \`${JSON.stringify(v.name)}\`${v.deprecated !== undefined ? ' (deprecated)' : ''}${v.doc ? `: ${v.doc.replace(/\n/g, ' ')}` : ''}`,
        ),
        '',
      ];
    case 'union':
      return [
        ...(t.base ? [`Base: ${type({ kind: 'named', name: t.base })}.`, ''] : []),
        `**Variants**, selected by \`${t.discriminator}\`:`,
        '',
        ...t.variants.map((v) => `- \`${JSON.stringify(v.value)}\`: ${type(v.type)}`),
        '',
      ];
    case 'alternate':
      return ['**One of:**', '', ...t.alternatives.map((a) => `- ${type(a.type)}`), ''];
  }
}
