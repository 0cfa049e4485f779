/**
 * QEMU's own schema tests (test/fixtures/qapi-schema-tests, from QEMU 10.0.2) read by our QAPI
 * front end: for each schema, what QEMU expects (its `.err`: the first located line) beside what
 * we report. Shared by the test and by whoever wants the figures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchema, SchemaError } from '../../../codegen/frontends/qapi/index.js';
import type { Diagnostic, QmpModel } from '../../../codegen/ir/types.js';
import { projectRoot } from '../../support/typecheck.js';

export const suiteDir = join(projectRoot, 'test/fixtures/qapi-schema-tests');

/** The schemas QEMU's meson.build runs, in its order. */
export function suiteSchemas(): string[] {
  const meson = readFileSync(join(suiteDir, 'meson.build'), 'utf8');
  const list = meson.slice(meson.indexOf('schemas = ['), meson.indexOf(']', meson.indexOf('schemas = [')));
  return [...list.matchAll(/'([\w-]+)\.json'/g)].map((m) => m[1]!);
}

export interface Expected {
  file: string;
  line: number;
  message: string;
}

/** QEMU's expected error: the first `FILE:LINE[:COL]: message` of the `.err`, or none. */
export function expectedError(name: string): Expected | undefined {
  const text = readFileSync(join(suiteDir, `${name}.err`), 'utf8');
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):(\d+)(?::\d+)?: (.*)$/.exec(line);
    if (m) return { file: m[1]!, line: Number(m[2]), message: m[3]! };
  }
  return undefined;
}

export interface Outcome {
  name: string;
  expected: Expected | undefined;
  /** Our errors (severity error, or the SchemaError that stopped the read). */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  model?: QmpModel;
}

export function runSchema(name: string): Outcome {
  const expected = expectedError(name);
  try {
    const model = parseSchema(join(suiteDir, `${name}.json`));
    return {
      name,
      expected,
      errors: model.diagnostics.filter((d) => d.severity === 'error'),
      warnings: model.diagnostics.filter((d) => d.severity !== 'error'),
      model,
    };
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    return {
      name,
      expected,
      errors: [{ severity: 'error', code: 'syntax', message: error.reason, file: error.at.file, line: error.at.line, column: error.at.column }],
      warnings: [],
    };
  }
}

/** Whether we flag a negative test at QEMU's line (any error or warning there, in QEMU's file). */
export function flaggedAtLine(outcome: Outcome, severities: 'errors' | 'any' = 'any'): boolean {
  const e = outcome.expected;
  if (!e) return false;
  const reported = severities === 'errors' ? outcome.errors : [...outcome.errors, ...outcome.warnings];
  return reported.some((d) => d.file.endsWith(`/${e.file}`) && d.line === e.line);
}

/**
 * QEMU's message → the codes of ours that say the same. A negative test passes when one of them
 * is reported at QEMU's place (see `samePlace`).
 */
const meanings: [RegExp, string[]][] = [
  // the specific first: the first pattern that matches decides
  [/conditional command arguments/, ['args-if-unboxed']],
  [/unexpected de-indent/, ['doc-bad-indent']],
  [/unexpected '=' markup/, ['doc-heading-in-definition']],
  [/feature descriptions expected/, ['doc-features-empty']],
  [/not allowed in free-form documentation/, ['doc-freeform-member']],
  [/must not be empty|'prefix' must be a string/, ['bad-value']],
  [/can take union type .* only with 'boxed'/, ['bad-data']],
  [/is not a value of enum type/, ['bad-variant']],
  [/unknown escape/, ['unknown-escape']],
  [/'if' condition|condition of|'(all|any|not)' condition/, ['bad-condition', 'condition-list']],
  [/can't be distinguished from/, ['alternate-ambiguous', 'alternate-keyval']],
  [/cannot use (built-in|alternate) type/, ['alternate-branch-type', 'union-branch-type']],
  [/feature '.*' collides/, ['duplicate-feature']],
  [/collides with (base )?member|collides with value|collides with branch/, ['member-clash', 'name-clash']],
  [/misses key 'type'/, ['missing-key', 'member-nested-struct']],
  [/top-level expression must be an object|exactly one key/, ['definition-kind', 'syntax']],
  [/value of 'include'|include/, ['include-invalid', 'include-missing', 'include-loop']],
  [/value of 'pragma'|pragma/, ['pragma-invalid', 'pragma-unknown']],
  [/'discriminator' requires a string name/, ['bad-value', 'unknown-key', 'bad-discriminator']],
  [/misses key|union misses key 'discriminator'/, ['missing-key', 'bad-discriminator']],
  [/has unknown keys?|Valid keys/, ['unknown-key']],
  [/has an invalid name|requires a string name|invalid name/, ['name-invalid', 'name-reserved', 'bad-name', 'bad-value']],
  [/must not use (uppercase|lowercase)|must use CamelCase/, ['name-case', 'name-clash']],
  [/uses reserved name|should not end in 'List'/, ['name-reserved']],
  [/is already defined|previous definition/, ['duplicate-definition']],
  [/uses unknown type|cannot take|requires a struct type/, ['unknown-type', 'bad-base', 'bad-data', 'returns-not-object']],
  [/discriminator/, ['bad-discriminator', 'discriminator-not-enum']],
  [
    /should be a type name|array type must contain|should be an object or type name|must be an (object|array)|value of '.*' must be/,
    ['bad-type', 'bad-value', 'member-nested-struct', 'union-branch-type'],
  ],
  [/flag '.*' may only use|'boxed': true requires/, ['bad-flag']],
  [/flags '.*' and '.*' are incompatible/, ['flags-incompatible']],
  [/Maximum of 64/, ['features-too-many']],
  [/not supported for types/, ['feature-deprecated-type']],
  [/union has no branches/, ['union-empty']],
  [/contains itself/, ['base-loop', 'member-clash']],
  [/duplicate key/, ['duplicate-key']],
  [/expected|stray|missing terminating|funny character|unknown escape/, ['syntax', 'missing-comma', 'trailing-comma', 'bad-string']],
  [/^documentation for .* is not followed/, ['doc-not-followed']],
  [/documented members? .* do(es)? not exist/, ['doc-unknown-member']],
  [/documented feature/, ['doc-unknown-feature']],
  [/lacks documentation/, ['doc-feature-missing']],
  [/documentation comment is for/, ['doc-symbol-mismatch']],
  [/documentation comment required|definition documentation required/, ['doc-missing', 'doc-symbol-form']],
  [/missing space after #/, ['doc-missing-space']],
  [/junk after '##' at start/, ['doc-open-junk']],
  [/junk after '##' at end|must end with '##'/, ['doc-unterminated', 'doc-close-junk', 'doc-open-junk']],
  [/name required after '@'/, ['doc-symbol-empty']],
  [/invalid parameter name/, ['doc-name-empty']],
  [/parameter name duplicated|duplicated '.*' (section|line)/, ['doc-duplicate']],
  [/text required after/, ['doc-section-empty']],
  [/follows a section/, ['doc-member-after-section']],
  [/'Returns' section/, ['doc-returns']],
  [/line should end with ':'/, ['doc-symbol-form']],
];

/** Our codes that mean what QEMU's message says; undefined when the table has no entry. */
export function meaningOf(message: string): string[] | undefined {
  return meanings.find(([pattern]) => pattern.test(message))?.[1];
}

/**
 * Where QEMU reports: at the line it names or, as QEMU locates most checks at the start of the
 * definition (its QAPISourceInfo is per expression), anywhere in the top-level expression that
 * holds that line. Ours are located at the member or value itself.
 */
export function samePlace(name: string, expected: Expected, d: Diagnostic): boolean {
  if (!d.file.endsWith(`/${expected.file}`)) return false;
  if (d.line === expected.line) return true;
  const lines = readFileSync(join(suiteDir, expected.file), 'utf8').split('\n');
  // An expression starts at its '{' line, or at the comment lines right above it (its doc).
  const starts = lines.flatMap((l, i) => {
    if (!l.startsWith('{')) return [];
    let start = i;
    while (start > 0 && lines[start - 1]!.startsWith('#')) start--;
    return [start + 1];
  });
  const expression = (line: number) => starts.filter((s) => s <= line).at(-1);
  return expression(d.line) !== undefined && expression(d.line) === expression(expected.line);
}

/** Whether a negative test is flagged: a diagnostic of QEMU's meaning at QEMU's place. */
export function flagged(outcome: Outcome): Diagnostic | undefined {
  const e = outcome.expected;
  if (!e) return undefined;
  const wanted = meaningOf(e.message);
  return [...outcome.errors, ...outcome.warnings].find((d) => (wanted === undefined || wanted.includes(d.code)) && samePlace(outcome.name, e, d));
}
