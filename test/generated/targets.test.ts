/**
 * The committed targets: fresh against spec/ (what `generate --check` proves in CI, here through
 * the library), strict-clean, their documents' examples compiling as calls and values, and
 * prettier-stable (formatting them again changes nothing, with either of prettier's TypeScript parsers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../codegen/generate/pipeline.js';
import { prettierOptions, printWithoutPrettier, splitStatements } from '../../codegen/emit/format.js';
import { emitTarget } from '../../codegen/emit/typescript/target.js';
import { targets } from '../../codegen/targets.js';
import { readTarget } from '../../codegen/generate/read-target.js';
import { configuredRegenerate, targetNamesFrom } from '../../codegen/generate/names-from.js';
import { describeModel } from '../../codegen/generate/introspected.js';
import { projectRoot, typecheck } from '../support/typecheck.js';

describe('committed targets', () => {
  it("carry prettier's options for them (generated/.prettierrc.json), so `prettier --check 'generated/**/*.ts'` agrees", () => {
    const { overrides, ...options } = JSON.parse(readFileSync(join(projectRoot, 'generated', '.prettierrc.json'), 'utf8')) as {
      overrides: { files: string; options: object }[];
    };
    expect({ ...options, ...overrides.find((o) => o.files === '*.ts')?.options }).toEqual(prettierOptions);
  });

  it('type-check in strict mode, examples included', () => {
    const roots = targets.flatMap((t) => ['index.ts', 'examples.check.ts'].map((f) => join(projectRoot, 'generated', t.name, f)));
    expect(typecheck(roots)).toEqual([]);
  }, 120_000);

  for (const target of targets) {
    it(`${target.name} is what the documents give, byte for byte, and prettier-stable`, async () => {
      const model = readTarget(target, projectRoot);
      // A target made from a reply or a guest-info says so, and how to regenerate it, on its first line.
      const namesFrom = target.namesFrom ? targetNamesFrom(target.namesFrom) : undefined;
      const regenerate = configuredRegenerate(target);
      const options = {
        runtimeImport: '../../runtime/index.js',
        sourceDescription: describeModel(model, target.inputs.join(', '), namesFrom, target.agentInfo),
        schemaId: `qmp-sdk/${target.name}/schema.json`,
        ...(regenerate !== undefined ? { regenerate } : {}),
      };
      // Every statement is in the small language printed without prettier (a generation that
      // must start prettier costs ~0.1 s): a new shape in the emitter shows here first.
      const unprinted = emitTarget(model, options).files.flatMap((f) => splitStatements(f.text).filter((s) => printWithoutPrettier(s) === undefined).map((s) => `${f.path}: ${s.slice(0, 120)}`));
      expect(unprinted).toEqual([]);
      const { files } = await generateFiles(model, options);
      const dir = join(projectRoot, 'generated', target.name);
      expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.path).sort());
      for (const file of files) {
        expect(readFileSync(join(dir, file.path), 'utf8'), file.path).toBe(file.text);
        if (!file.path.endsWith('.ts')) continue; // schema.json is JSON.stringify's, not prettier's
        expect(await prettier.check(file.text, { ...prettierOptions, filepath: file.path }), `${file.path} is prettier-stable`).toBe(true);
        // The emitter formats with the faster babel-ts parser; prettier's typescript parser agrees.
        expect(await prettier.check(file.text, { ...prettierOptions, parser: 'typescript', filepath: file.path }), `${file.path}, typescript parser`).toBe(true);
      }
    }, 60_000);
  }
});
