import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes } from '../../../codegen/frontends/qapi/codes.js';
import { parseSchema } from '../../../codegen/frontends/qapi/index.js';
import { projectRoot } from '../../support/typecheck.js';

const frontEnd = join(projectRoot, 'codegen/frontends/qapi');

describe("the QAPI front end's diagnostic codes", () => {
  it('are one registry, each code once', () => {
    const values = Object.values(codes);
    expect(new Set(values).size).toBe(values.length);
    for (const code of values) expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('are never written as a string where a diagnostic is reported', () => {
    const literal = /\b(?:error|warn|warnAt|info)\(\s*'[a-z0-9-]+'|\breport\(\s*'(?:info|warning|error)',\s*'/;
    const offenders = readdirSync(frontEnd)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'codes.ts')
      .filter((f) => literal.test(readFileSync(join(frontEnd, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('cover everything the committed schemas are reported for', () => {
    const known = new Set<string>(Object.values(codes));
    for (const entry of [
      'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json',
      'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json',
      'spec/qemu-2.8.0/qapi-schema/qapi-schema.json',
    ]) {
      const unknown = parseSchema(join(projectRoot, entry)).diagnostics.filter((d) => !known.has(d.code));
      expect(unknown, entry).toEqual([]);
    }
  });
});
