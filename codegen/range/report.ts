/**
 * `RANGE.md` beside a range target's bindings: what the range is true for, what it leaves out and
 * why, and where the releases could not be merged faithfully. Read from the merged model alone
 * (its releases and its `range-*` diagnostics), so the file is as reproducible as the bindings.
 */
import type { Diagnostic, QmpModel } from '../ir/types.js';

const sections: { code: string; severity?: Diagnostic['severity']; title: string; intro: string }[] = [
  {
    code: 'range-conflict',
    title: 'Conflicts',
    intro:
      'Places where the releases cannot be merged faithfully: what a client sends that no one value suits, ' +
      'and what it receives that changed kind. Each is resolved as it says.',
  },
  { code: 'range-absent', title: 'Commands and events not in every release', intro: 'Left out of these bindings.' },
  {
    code: 'range-left-out',
    title: 'Left out of what a client sends, and examples',
    intro:
      'Arguments, enum values and alternatives that not every release accepts, so the bindings do not offer them; ' +
      "and the documents' examples that are not true for every release.",
  },
];

export function renderRangeReport(model: QmpModel): string {
  const releases = model.source.releases ?? [];
  const lines = [
    `# QMP bindings for QEMU ${releases[0] ?? ''} to ${releases.at(-1) ?? ''}`,
    '',
    `Bindings true for every release of QEMU ${releases.join(', ')}: a command or event is here if every release has it;`,
    'what a client sends accepts only what every release accepts; what it receives admits whatever any release may send',
    '(a member not sent by every release is optional, and its documentation names the releases that send it).',
    '',
    `${model.commands.length} commands, ${model.events.length} events, ${model.types.length} types.`,
  ];
  for (const section of sections) {
    const found = model.diagnostics.filter((d) => d.code === section.code);
    lines.push('', `## ${section.title} (${found.length})`, '', section.intro, '');
    if (found.length === 0) lines.push('None.');
    for (const d of found) lines.push(`- ${d.message} (\`${d.file}:${d.line}\`)`);
  }
  return `${lines.join('\n')}\n`;
}
