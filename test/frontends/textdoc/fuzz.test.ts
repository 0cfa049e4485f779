/**
 * Fuzzing with mutations of real documents: the front end returns a model with located
 * diagnostics for whatever it is given, and never throws. (Per-case timings are measured in
 * `bench/textdoc.bench.ts`, not here.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTextDocuments } from '../../../codegen/frontends/textdoc/index.js';
import { modelToJson } from '../../../codegen/ir/json.js';
import { mutatedDocument, mutationSources } from './mutations.js';

const sources = mutationSources();

describe('mutated real documents', () => {
  it('10 000 cases: a model with located diagnostics, never an exception', () => {
    fc.assert(
      fc.property(mutatedDocument(sources, 120), (doc) => {
        const model = parseTextDocuments([doc]);
        const lineCount = doc.text.split('\n').length;
        for (const d of model.diagnostics) {
          expect(d.file).toBe(doc.file);
          expect(d.code).toMatch(/^[a-z-]+$/);
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          // .hx lines map back into the .hx file; text documents into themselves
          expect(d.line).toBeLessThanOrEqual(lineCount + 1);
        }
        // the safety nets are for bugs, and the fuzzing must not find any
        expect(model.diagnostics.filter((d) => d.code === 'internal-error' || d.code === 'grammar-failure')).toEqual([]);
        expect(new Set(model.commands.map((c) => c.name)).size).toBe(model.commands.length);
        expect(JSON.parse(modelToJson(model))).toEqual(JSON.parse(JSON.stringify(model)));
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);

  it('brackets nested a hundred thousand deep are read, with a warning, not a stack overflow', () => {
    const text = `quit\n----\n\nExample:\n\n-> ${'['.repeat(100_000)}\n\nNote: ${'('.repeat(100_000)}\n\nArguments:\n\n- "x": ${'('.repeat(100_000)}\n`;
    const model = parseTextDocuments([{ file: 'deep.txt', text, kind: 'qmp-commands' }]);
    expect(model.commands.map((c) => c.name)).toEqual(['quit']);
    expect(model.diagnostics.map((d) => d.code)).toContain('nesting-too-deep');
  });

  it('members indented a thousand levels deep are read at the last level, with a warning', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}- "m${i}": level ${i} (json-int)`);
    const text = `quit\n----\n\nArguments:\n\n${lines.join('\n')}\n`;
    const model = parseTextDocuments([{ file: 'deep.txt', text, kind: 'qmp-commands' }]);
    expect(model.commands[0]!.arguments.map((a) => a.name)).toEqual(['m0']);
    expect(model.diagnostics.map((d) => d.code)).toContain('member-nesting-too-deep');
  });
});
