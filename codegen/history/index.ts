/**
 * Each definition's history across the releases of a corpus (`spec/`): which releases have a
 * command, event, type or member, and what changed when, computed from the documents; `Since:`
 * lines that disagree are findings. `qmp-codegen history NAME` prints it.
 *
 * ```ts
 * const history = releaseHistory(openCorpus('spec'));
 * history.of('query-cpus')?.present;   // ['0.13.0', …, '2.8.0']
 * history.of('migrate.blk')?.changes;  // [{ release: '0.13.0', kind: 'added', first: true }, { release: '10.0.2', after: '7.2.0', kind: 'removed' }]
 * ```
 */
export {
  openCorpus,
  discoverReleases,
  compareVersions,
  CorpusError,
  type Corpus,
  type CorpusRelease,
  type DocumentKind,
  type Family,
  type ReleaseModels,
} from './corpus.js';
export {
  releaseHistory,
  type ChangeKind,
  type History,
  type HistoryChange,
  type HistoryRelease,
  type ReleaseEntry,
  type ReleaseHistory,
  type SinceFinding,
  type Status,
} from './history.js';
export { subjectPath, type EntitySubject, type PartSubject, type Subject } from './views.js';
export { renderHistoryText, renderFindingsText, historyJson, findingsJson, presentRuns, releasesOf } from './render.js';
