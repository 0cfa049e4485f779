/**
 * The text-document front end, in process and warm:
 * - throughput over the whole corpus: commands and events of every release in
 *   `../shared/qmp-docs` (falling back to `spec/`, and saying so), against a baseline measured in
 *   the same run: one pass of regular expressions over the same lines (the least any reader of
 *   the format must do), and the grammar alone (what the IR building adds on top);
 * - the slowest single case over mutations of real documents (the fuzz test's kind: windows of
 *   up to 120 lines, truncated, lines deleted and duplicated, random bytes, sections swapped),
 *   and over mutations of whole documents; the brief's limit is 50 ms a case.
 * Timings are medians of several runs: the machines are shared, so compare ratios, not absolute
 * times. A case's time is the least of three runs of it (what the case costs, without the GC
 * pauses and preemptions a shared machine adds to one run); the slowest single run is printed too.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parseTextDocuments, type TextDocument } from '../codegen/frontends/textdoc/index.js';
import { parseDocument } from '../codegen/frontends/textdoc/grammar.js';
import { hasSharedDocs, releasesIn, sharedDocsDir, specDir } from '../test/frontends/textdoc/documents.js';
import { mutatedDocument, mutationSources } from '../test/frontends/textdoc/mutations.js';

const runs = Number(process.env.BENCH_RUNS ?? 9);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// No forced GC between runs: a forced full collection here makes the next runs several times
// slower (V8 drops the code it had warmed), which is not what a warm parser costs.
function timed(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

function medianOf(work: () => void): number {
  for (let i = 0; i < 3; i++) work(); // warm
  return median(Array.from({ length: runs }, () => timed(work)));
}

// ---------------------------------------------------------------------------------------------
// The corpus

const base = hasSharedDocs ? sharedDocsDir : specDir;
const releaseSets: TextDocument[][] = releasesIn(base).map((r) =>
  [r.commands, r.events]
    .filter((f): f is string => f !== undefined)
    .map((file) => ({ file, text: readFileSync(file, 'utf8'), kind: file.endsWith('qmp-events.txt') ? 'qmp-events' : 'qmp-commands' })),
);
const documents = releaseSets.flat();
const bytes = documents.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
const lines = documents.reduce((n, d) => n + d.text.split('\n').length, 0);
console.log(
  `corpus: ${releaseSets.length} releases, ${documents.length} documents, ${(bytes / 1e6).toFixed(2)} MB, ${lines} lines, from ${hasSharedDocs ? '../shared/qmp-docs' : 'spec/ (../shared/qmp-docs is absent)'}`,
);

// The baseline: split every document into lines and test each against the format's markers.
const markers = /^(?:-{3,}\s*$|(?:Arguments|Data|Examples?|Notes?):|\s*(?:->|<-)|\s*- "?[\w.-]+"?:)/;
let sink = 0;
const baseline = medianOf(() => {
  for (const doc of documents) for (const line of doc.text.split('\n')) if (markers.test(line)) sink++;
});
const ratio = (ms: number): string => `${(ms / baseline).toFixed(1)} ×baseline`;
console.log(`baseline, one regular-expression pass over every line: ${baseline.toFixed(1)} ms (1.0 ×baseline)`);

const grammarOnly = medianOf(() => {
  for (const doc of documents) sink += parseDocument(doc.text).tree.parts.length;
});
console.log(
  `document grammar alone, whole corpus: ${grammarOnly.toFixed(0)} ms, ${(bytes / 1e6 / (grammarOnly / 1000)).toFixed(2)} MB/s (${ratio(grammarOnly)})`,
);

const whole = medianOf(() => {
  for (const set of releaseSets) sink += parseTextDocuments(set).commands.length;
});
console.log(
  `parse to IR, whole corpus (${releaseSets.length} models): ${whole.toFixed(0)} ms, ${(bytes / 1e6 / (whole / 1000)).toFixed(2)} MB/s (${ratio(whole)}; target under 1000 ms)`,
);

// ---------------------------------------------------------------------------------------------
// The slowest case

const sources = mutationSources();

function slowest(label: string, cases: readonly TextDocument[]): void {
  for (const doc of cases.slice(0, 50)) parseTextDocuments([doc]); // warm
  const once = (doc: TextDocument): number => {
    const start = performance.now();
    parseTextDocuments([doc]);
    return performance.now() - start;
  };
  const single: number[] = [];
  const times = cases.map((doc) => {
    const runs = [once(doc), once(doc), once(doc)];
    single.push(runs[0]!);
    return Math.min(...runs);
  });
  const max = Math.max(...times);
  console.log(
    `${label} (n=${cases.length}): max ${max.toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, median ${median(times).toFixed(2)} ms, slowest single run ${Math.max(...single).toFixed(1)} ms (max ${ratio(max)}; limit 50 ms: ${max <= 50 ? 'within' : 'OVER'})`,
  );
}

slowest('mutated windows of real documents, per case', fc.sample(mutatedDocument(sources, 120), { numRuns: 3000, seed: 20161220 }));
slowest('mutated whole real documents, per case', fc.sample(mutatedDocument(sources, 100_000), { numRuns: 150, seed: 20161220 }));

if (sink < 0) console.log(sink); // keeps the work observable
