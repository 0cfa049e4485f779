/**
 * A history as text for people, and as JSON for tools (`historyJson`: the fields are those of
 * `History` and `HistoryRelease`, documented in `history.ts`).
 */
import type { QmpModel } from '../ir/types.js';
import type { History, HistoryChange, HistoryRelease, ReleaseEntry, ReleaseHistory, SinceFinding } from './history.js';

const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

/** What a part is called under its owner: a command's members are its arguments. */
function partNoun(history: Pick<History, 'subject'>, of: string, n: number): string {
  if (of === 'member') {
    if (history.subject.entity === 'command') return plural(n, 'argument');
    if (history.subject.entity === 'event') return plural(n, 'data member');
    return plural(n, 'member');
  }
  if (of === 'value') return plural(n, 'value');
  if (of === 'branch') return plural(n, 'branch', 'branches');
  return plural(n, 'alternative');
}

/** `0.13.0–2.8.0, 10.0.2`: releases of `entries` with `status`, consecutive ones as one run. */
function runs(entries: readonly ReleaseEntry[], keep: (e: ReleaseEntry) => boolean): string {
  const out: string[] = [];
  let start: number | undefined;
  entries.forEach((e, i) => {
    if (keep(e) && start === undefined) start = i;
    if (start !== undefined && (!keep(e) || i === entries.length - 1)) {
      const end = keep(e) ? i : i - 1;
      out.push(end === start ? entries[start]!.release : `${entries[start]!.release}–${entries[end]!.release}`);
      start = undefined;
    }
  });
  return out.join(', ');
}

/** The releases that have the subject, consecutive ones of the corpus as one run: `['0.13.0–2.8.0', '10.0.2']`. */
export function presentRuns(history: History): string[] {
  const text = runs(history.releases, (e) => e.status === 'present');
  return text === '' ? [] : text.split(', ');
}

/**
 * For the reference: each command's, event's and type's releases in the corpus, by name (those
 * no release has are left out). A type's are those whose documents name it so: its data may be
 * older than its name. Types the front end named after their use (`hoisted`) have none.
 */
export function releasesOf(model: QmpModel, history: ReleaseHistory): Map<string, string[]> {
  const releases = new Map<string, string[]>();
  for (const { name } of [...model.commands, ...model.events, ...model.types.filter((t) => !t.hoisted)]) {
    const found = history.of(name);
    if (found && (found.kind === 'command' || found.kind === 'event' || found.kind === 'type')) releases.set(name, presentRuns(found));
  }
  return releases;
}

function describe(history: History): string {
  const { subject } = history;
  if (subject.part === undefined) return history.typeKind ? `${history.typeKind} type` : history.kind;
  const owner = `${subject.entity} ${subject.name}`;
  if (history.kind === 'member') return `${partNoun(history, 'member', 1)} of ${owner}`;
  return `${partNoun(history, history.kind, 1)} of ${owner}`;
}

function changeText(history: History, change: HistoryChange, oldest: string): string {
  const names = change.names ?? [];
  if (change.of) {
    const verb = change.kind === 'undeprecated' ? 'no longer deprecated' : change.kind;
    return `${partNoun(history, change.of, names.length)} ${verb}: ${names.join(', ')}`;
  }
  switch (change.kind) {
    case 'added':
      if (change.first)
        return change.release === oldest
          ? 'present in the corpus’s oldest release (added then or before)'
          : 'present in the oldest release that can tell (added then or before)';
      return `${change.again ? 'added again' : 'added'} (not in ${change.after})`;
    case 'removed':
      return `removed (last in ${change.after})`;
    case 'deprecated':
      return 'deprecated';
    case 'undeprecated':
      return 'no longer deprecated';
    case 'made-optional':
      return 'made optional';
    case 'made-required':
      return 'made required';
  }
}

export function findingText(finding: SinceFinding): string {
  const newest = finding.places[finding.places.length - 1]!;
  const also =
    finding.places.length > 1 ? ` (the same in ${finding.places.length} releases' documents, ${finding.places[0]!.release} to ${newest.release})` : '';
  return `${newest.file}:${newest.line}: ${finding.path}: ${finding.message}${also}`;
}

export function renderHistoryText(history: History, releases: readonly HistoryRelease[]): string {
  const oldest = releases[0]?.release ?? '';
  const lines: string[] = [];
  lines.push(`${history.path}: ${describe(history)}`);
  lines.push(
    `  in ${history.present.length} of ${history.releases.length} releases of the corpus: ${runs(history.releases, (e) => e.status === 'present') || 'none'}`,
  );
  const absent = runs(history.releases, (e) => e.status === 'absent');
  if (absent) lines.push(`  not in: ${absent}`);
  const unknown = history.releases.filter((r) => r.status === 'unknown');
  if (unknown.length > 0) {
    const reasons = [...new Set(unknown.map((r) => r.reason ?? ''))];
    lines.push(`  cannot tell: ${runs(history.releases, (e) => e.status === 'unknown')}${reasons.length === 1 ? `: ${reasons[0]}` : ''}`);
    if (reasons.length > 1)
      for (const reason of reasons) lines.push(`    ${runs(history.releases, (e) => e.status === 'unknown' && (e.reason ?? '') === reason)}: ${reason}`);
  }
  const deprecated = runs(history.releases, (e) => e.deprecated === true);
  if (deprecated) lines.push(`  deprecated in: ${deprecated}`);
  lines.push('');
  const width = Math.max(...history.changes.map((c) => c.release.length), 6) + 2;
  for (const change of history.changes) lines.push(`  ${change.release.padEnd(width)}${changeText(history, change, oldest)}`);
  if (history.findings.length > 0) {
    lines.push('', `  Since: lines that disagree with the documents (${history.findings.length}):`);
    for (const f of history.findings) lines.push(`    ${findingText(f)}`);
  }
  lines.push('', `corpus: ${releases.length} releases, ${releases.map((r) => r.release).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export function renderFindingsText(findings: readonly SinceFinding[], releases: readonly HistoryRelease[]): string {
  const lines = findings.map(findingText);
  lines.push(
    `${findings.length} ${plural(findings.length, 'Since: line disagrees', 'Since: lines disagree')} with the history computed from ${releases.length} releases' documents`,
  );
  return `${lines.join('\n')}\n`;
}

/** `{ corpus, history }`: see `History` and `HistoryRelease`. */
export function historyJson(history: History, releases: readonly HistoryRelease[]): string {
  return `${JSON.stringify({ corpus: releases, history }, null, 2)}\n`;
}

/** `{ corpus, findings }`: see `SinceFinding`. */
export function findingsJson(findings: readonly SinceFinding[], releases: readonly HistoryRelease[]): string {
  return `${JSON.stringify({ corpus: releases, findings }, null, 2)}\n`;
}
