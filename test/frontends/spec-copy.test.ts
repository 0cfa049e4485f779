/**
 * spec/ holds a copy of every release of ../shared/qmp-docs, byte for byte, so that the tests
 * over the whole corpus (the QAPI and text front ends', test/generated/all-*.test.ts) run on a
 * clean clone, where ../shared is absent, and read what they would read beside it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

const shared = join(projectRoot, '..', 'shared', 'qmp-docs');
const spec = join(projectRoot, 'spec');

describe.skipIf(!existsSync(shared))('spec/ as the copy of ../shared/qmp-docs', () => {
  it('has every file of every release, the same bytes', () => {
    const files = readdirSync(shared, { recursive: true, encoding: 'utf8' }).filter((f) => /^qemu-[^/]+\/./.test(f) && statSync(join(shared, f)).isFile());
    expect(files.length).toBeGreaterThan(100);
    const differing = files.filter((f) => !existsSync(join(spec, f)) || !readFileSync(join(spec, f)).equals(readFileSync(join(shared, f))));
    expect(differing).toEqual([]);
  });
});
