/**
 * QEMU's own QAPI schema tests (test/fixtures/qapi-schema-tests, QEMU 10.0.2) as our conformance
 * suite: each negative schema is flagged where QEMU's `.err` says, with a code of QEMU's
 * meaning; each positive one parses without an error; the severity follows meaning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithOut, readOut } from './qemu-schema-out.js';
import { flagged, meaningOf, runSchema, suiteDir, suiteSchemas } from './qemu-schema-tests.js';

const outcomes = suiteSchemas().map(runSchema);
const negatives = outcomes.filter((o) => o.expected);
const positives = outcomes.filter((o) => !o.expected);

describe("QEMU's own schema tests", () => {
  it('are all here: every schema meson.build lists, with its expected error', () => {
    expect(outcomes.length).toBe(206);
    expect([negatives.length, positives.length]).toEqual([198, 8]);
    expect(negatives.filter((o) => meaningOf(o.expected!.message) === undefined).map((o) => o.name)).toEqual([]);
  });

  it("flag every negative schema where QEMU does, with a code of QEMU's meaning", () => {
    const missed = negatives.filter((o) => !flagged(o)).map((o) => o.name);
    expect(missed).toEqual([]);
    console.log(`QEMU's negative schema tests flagged at QEMU's place with its meaning: ${negatives.length - missed.length}/${negatives.length}`);
  });

  it('parse every positive schema without an error', () => {
    expect(positives.map((o) => [o.name, o.errors.map((d) => `${d.line}: ${d.message}`)])).toEqual(positives.map((o) => [o.name, []]));
  });

  it('judge by meaning: what the IR cannot say is an error, what only C or style needs a warning', () => {
    const severity = (name: string) => {
      const o = outcomes.find((x) => x.name === name)!;
      return flagged(o)!.severity;
    };
    // cannot be read faithfully
    for (const name of [
      'alternate-conflict-dict',
      'alternate-conflict-lists',
      'alternate-any',
      'alternate-nested',
      'struct-base-clash',
      'union-clash-member',
      'union-int-branch',
      'union-optional-discriminator',
      'features-duplicate-name',
      'alternate-unknown',
      'string-code-point-31',
    ]) {
      expect(severity(name), name).toBe('error');
    }
    // distinguishable on the wire, or only QEMU's C generator and style care
    for (const name of [
      'alternate-conflict-bool-string',
      'alternate-conflict-num-string',
      'alternate-clash',
      'struct-member-name-clash',
      'enum-clash-member',
      'type-case',
      'event-case',
      'args-member-case',
      'reserved-member-has',
      'reserved-type-list',
      'args-if-unboxed',
      'oob-coroutine',
      'returns-alternate',
      'features-too-many',
      'bad-ident',
      'nested-struct-data-invalid-dict',
      // doc-comment rules of QEMU's reST documentation: the text is still read
      'doc-bad-indent',
      'doc-bad-section',
      'doc-empty-features',
      'doc-invalid-end',
      'doc-invalid-section',
    ]) {
      expect(severity(name), name).toBe('warning');
    }
  });
});

describe("QEMU's doc-comment rules, read on (warnings, the text kept)", () => {
  const outcome = (name: string) => outcomes.find((o) => o.name === name)!;

  it('keeps a de-indented line in the description it continues, and a heading in a definition doc as text', () => {
    const foo = outcome('doc-bad-indent').model!.commands.find((c) => c.name === 'foo')!;
    expect(foo.arguments[0]!.doc).toBe('line one\n  line two\nline three is wrongly indented');
    const values = outcome('doc-bad-section').model!.types.find((t) => t.name === 'Enum');
    if (values?.kind !== 'enum') throw new Error('Enum');
    expect(values.doc.description).toContain('== No good here');
  });

  it('locates a doc comment the file ends inside at its last line, as QEMU, and names where it opened', () => {
    const [warning] = outcome('doc-invalid-end').warnings;
    expect(warning).toMatchObject({ code: 'doc-unterminated', line: 5, column: 2 });
    expect(warning!.message).toContain('opened at line 3');
  });

  it("reports one '@name:' line of a free-form block, and a 'Features:' with none under it, at that line", () => {
    expect(outcome('doc-invalid-section').warnings.map((d) => [d.code, d.line])).toEqual([['doc-freeform-member', 5]]);
    expect(outcome('doc-empty-features').warnings.map((d) => [d.code, d.line])).toEqual([['doc-features-empty', 8]]);
  });
});

describe("QEMU's dumps of the positive schemas (.out)", () => {
  const dump = (name: string) => readOut(readFileSync(join(suiteDir, `${name}.out`), 'utf8'));

  it('agree with our IR: every entity, member, type, optional flag, condition, feature and variant', () => {
    for (const o of positives) expect(compareWithOut(dump(o.name), o.model!), o.name).toEqual([]);
    // qapi-schema-test is QEMU's big positive schema: the comparison covers all of it.
    expect([...dump('qapi-schema-test').keys()].filter((k) => !k.includes('q_obj_') && !k.startsWith('array')).length).toBeGreaterThan(100);
  });

  it('would see a difference: an optional flag, a condition or a feature changed in our model', () => {
    const model = structuredClone(positives.find((o) => o.name === 'qapi-schema-test')!.model!);
    const struct = model.types.find((t) => t.name === 'TestIfStruct');
    if (struct?.kind !== 'struct') throw new Error('TestIfStruct');
    struct.members[0]!.optional = true;
    delete struct.members[1]!.if;
    model.commands.find((c) => c.name === 'test-command-features1')!.features = [];
    expect(compareWithOut(dump('qapi-schema-test'), model)).toEqual([
      'object TestIfStruct.foo: optional=false in QEMU, true here',
      'object TestIfStruct.bar: if TEST_IF_STRUCT_MEMBER in QEMU, (none) here',
      'command test-command-features1: features [deprecated] in QEMU, [] here',
    ]);
  });
});
