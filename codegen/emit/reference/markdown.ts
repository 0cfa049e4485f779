/** The reference as one Markdown file, for reading in a repository: the same modules and entries as the HTML pages. */
import type { Member, NamedType, TypeRef } from '../../ir/types.js';
import { firstSentence } from './prose.js';
import { exampleLines, memberAnchor, nestedMembers, returnsText, typeLabel, type Entry, type Reference } from './view.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function renderMarkdown(ref: Reference): string {
  const anchors = new Map(ref.entries.map((e) => [e.name, e.anchor]));
  const link = (name: string): string => (anchors.has(name) ? `[${name}](#${anchors.get(name)})` : name);
  const type = (t: TypeRef): string => typeLabel(t, link, (x) => x);
  const text = (words: string): string =>
    words.replace(
      /(^|[\s([{"'/])@([A-Za-z_][\w.+-]*[\w+])/g,
      (_, lead: string, name: string) => `${lead}${anchors.has(name) ? `[\`${name}\`](#${anchors.get(name)})` : `\`${name}\``}`,
    );
  const typeDocs = new Map(ref.entries.filter((e) => e.kind === 'type' && e.doc.description).map((e) => [e.name, e.doc.description]));
  const undocumented = (m: Member): string => {
    const typeDoc = m.type.kind === 'named' ? typeDocs.get(m.type.name) : undefined;
    return `_Not documented in this schema._${typeDoc && m.type.kind === 'named' ? ` Its type, ${link(m.type.name)}: ${text(firstSentence(typeDoc))}` : ''}`;
  };
  const out: string[] = [`# ${ref.title}`, ''];
  out.push('## Modules', '');
  for (const m of ref.modules)
    out.push(`${'  '.repeat(Math.max(0, Math.min(m.level, 3) - 1))}- [${m.title}](#module-${m.page.replace(/\.html$/, '')}) (\`${m.name}\`)`);
  out.push('');
  for (const m of ref.modules) {
    out.push(`<a id="module-${m.page.replace(/\.html$/, '')}"></a>`, '', `## ${m.title}`, '');
    if (m.path.length > 0) out.push(`_${m.path.join(' › ')}_ · module \`${m.name}\``, '');
    else out.push(`_module \`${m.name}\`_`, '');
    if (m.text) out.push(text(m.text), '');
    for (const p of m.parts) {
      if (p.kind === 'entry') out.push(...entry(p.entry, type, text, undocumented));
      else {
        if (p.heading !== m.headings[0]) out.push(`### ${p.heading.title}`, '');
        if (p.heading.text) out.push(text(p.heading.text), '');
      }
    }
  }
  return `${out.join('\n')}\n`;
}

function entry(e: Entry, type: (ref: TypeRef) => string, text: (words: string) => string, undocumented: (m: Member) => string): string[] {
  const out = [`<a id="${e.anchor}"></a>`, '', `#### ${e.kind} \`${e.name}\``, ''];
  const badges = [e.since ? `since ${e.since}` : '', e.deprecated !== undefined ? '**deprecated**' : '', e.condition ? `if ${e.condition}` : ''].filter(
    Boolean,
  );
  if (e.releases) badges.push(`in ${e.releases.join(', ')}`);
  if (badges.length > 0) out.push(`_${badges.join(' · ')}_`, '');
  if (e.signature) out.push('```ts', e.signature, '```', '');
  if (e.doc.description) out.push(text(e.doc.description), '');
  if (e.type) out.push(...typeParts(e.type, type, text));
  if (e.membersType) out.push(`**${e.membersTitle}:** the members of ${type(e.membersType)}.`, '');
  else if (e.members.length > 0) out.push(`**${e.membersTitle}:**`, '', ...table(e, e.members, '', type, text, undocumented), '');
  if (e.kind === 'command') {
    const returns = returnsText(e.doc.returns, e.returns);
    if (e.noReply) out.push('**Returns:** no reply: the command does not answer when it succeeds.', '');
    else if (!e.returns) out.push('**Returns:** an empty object, `{}`.', '');
    else if (!(returns.text && returns.mentionsType)) out.push(`**Returns:** ${type(e.returns)}.`, '');
    else out.push('**Returns:**', '');
    if (returns.text) out.push(text(returns.text), '');
    const nested = e.returns ? nestedMembers(e.returns) : [];
    if (nested.length > 0) out.push(...table(e, nested, 'returns.', type, text, undocumented), '');
  }
  for (const error of e.doc.errors ?? []) out.push(`**Error:** ${text(error)}`, '');
  for (const note of e.doc.notes) out.push(`> **Note:** ${text(note).replace(/\n/g, '\n> ')}`, '');
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

function table(
  e: Entry,
  members: Member[],
  prefix: string,
  type: (ref: TypeRef) => string,
  text: (words: string) => string,
  undocumented: (m: Member) => string,
): string[] {
  const rows = ['| Name | Type | Required | Since | Description |', '| --- | --- | --- | --- | --- |'];
  const add = (list: Member[], path: string, depth: number): void => {
    for (const m of list) {
      const name = `${path}${m.name}`;
      const words = [
        m.doc && m.doc.trim() !== '' ? text(m.doc) : undocumented(m),
        m.default !== undefined ? `Default: \`${m.default}\`.` : '',
        ...(m.notes ?? []),
      ].filter(Boolean);
      const flags = m.deprecated !== undefined ? ' (deprecated)' : '';
      rows.push(
        `| <a id="${memberAnchor(e, `${prefix}${name}`)}"></a>\`${cell(name)}\`${flags} | ${cell(type(m.type))} | ${m.optional ? 'optional' : 'required'} | ${m.since ?? ''} | ${cell(words.join(' '))} |`,
      );
      if (depth < 8) add(nestedMembers(m.type), `${name}${m.type.kind === 'array' ? '[].' : '.'}`, depth + 1);
    }
  };
  add(members, '', 0);
  return rows;
}

function typeParts(t: NamedType, type: (ref: TypeRef) => string, text: (words: string) => string): string[] {
  switch (t.kind) {
    case 'struct':
      return t.base ? [`Extends ${type({ kind: 'named', name: t.base })}: its members come first.`, ''] : [];
    case 'enum':
      return [
        '| Value | Description |',
        '| --- | --- |',
        ...t.values.map((v) => `| \`${JSON.stringify(v.name)}\`${v.deprecated !== undefined ? ' (deprecated)' : ''} | ${cell(v.doc ? text(v.doc) : '')} |`),
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
