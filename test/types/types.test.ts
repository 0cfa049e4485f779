import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot, typecheck } from '../support/typecheck.js';

it('the type tests in test/types compile, and every @ts-expect-error in them is an error', () => {
  const dir = join(projectRoot, 'test/types');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
  expect(files.length).toBeGreaterThan(1);
  expect(typecheck(files)).toEqual([]);
}, 120_000);
