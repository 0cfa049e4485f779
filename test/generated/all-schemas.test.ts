/**
 * Every QAPI schema tree in spec/ (1.0 to 10.2: QEMU, guest agent, storage daemon) and the
 * `query-qmp-schema` replies (7.2, 11.1.3) generate bindings that prettier leaves as they are:
 * most of their code is printed without prettier (`prettier-form.ts`), and this holds that
 * printing to prettier on everything QEMU has published.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { prettierOptions } from '../../codegen/emit/format.js';
import { readModel } from '../../codegen/frontends/index.js';
import { generateFiles } from '../../codegen/generate/pipeline.js';
import { projectRoot } from '../support/typecheck.js';

// spec/ holds every release of ../shared/qmp-docs byte for byte (test/frontends/spec-copy.test.ts), and 10.0.2 and 11.1.3.
const corpus = join(projectRoot, 'spec');
const entries = readdirSync(corpus, { recursive: true, encoding: 'utf8' })
  .filter((f) => /(^|\/)(qapi-schema|query-qmp-schema)\.json$/.test(f))
  .sort();

describe('bindings for every schema in spec/', () => {
  it(`are prettier-stable (${entries.length} schemas)`, async () => {
    expect(entries.length).toBe(38);
    const unstable: string[] = [];
    for (const entry of entries) {
      const model = readModel([join(corpus, entry)]);
      const { files } = await generateFiles(model, { runtimeImport: 'qmp-sdk/runtime', sourceDescription: entry });
      for (const f of files) if (f.path.endsWith('.ts') && !(await prettier.check(f.text, { ...prettierOptions, filepath: f.path }))) unstable.push(`${entry}: ${f.path}`);
    }
    expect(unstable).toEqual([]);
  }, 600_000);
});
