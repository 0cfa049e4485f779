/**
 * Every QAPI schema tree in ../shared/qmp-docs (1.0 to 10.2: QEMU, guest agent, storage daemon) and
 * the 7.2 `query-qmp-schema` reply generate bindings that prettier leaves as they are: most of
 * their code is printed without prettier (`prettier-form.ts`), and this holds that printing to
 * prettier on everything QEMU has published. Skipped in a clone without ../shared.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { prettierOptions } from '../../codegen/emit/format.js';
import { readModel } from '../../codegen/frontends/index.js';
import { generateFiles } from '../../codegen/generate/pipeline.js';
import { projectRoot } from '../support/typecheck.js';

const corpus = join(projectRoot, '..', 'shared', 'qmp-docs');
const entries = existsSync(corpus)
  ? readdirSync(corpus, { recursive: true, encoding: 'utf8' })
      .filter((f) => /(^|\/)(qapi-schema|query-qmp-schema)\.json$/.test(f))
      .sort()
  : [];

describe.skipIf(entries.length === 0)('bindings for every schema in ../shared/qmp-docs', () => {
  it(`are prettier-stable (${entries.length} schemas)`, async () => {
    const unstable: string[] = [];
    for (const entry of entries) {
      const model = readModel([join(corpus, entry)]);
      const { files } = await generateFiles(model, { runtimeImport: 'qmp-sdk/runtime', sourceDescription: entry });
      for (const f of files) if (f.path.endsWith('.ts') && !(await prettier.check(f.text, { ...prettierOptions, filepath: f.path }))) unstable.push(`${entry}: ${f.path}`);
    }
    expect(unstable).toEqual([]);
  }, 600_000);
});
