import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInput } from '../../../codegen/frontends/detect.js';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

function schemaFiles(root: string): string[] {
  return readdirSync(root).flatMap((release) => {
    try {
      return jsonFiles(join(root, release, 'qapi-schema'));
    } catch {
      return [];
    }
  });
}

describe('input detection of QAPI schemas and introspection replies', () => {
  it('tells every schema file of spec/ (entry or included) and the fixtures as a QAPI schema', () => {
    const files = [...schemaFiles('spec'), ...jsonFiles('test/fixtures/qapi')];
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => detectInput(readFileSync(f, 'utf8')).kind !== 'qapi-schema')).toEqual([]);
  });

  it("tells a schema made only of QEMU 1.x 'type' definitions (1.0's NameInfo) as a QAPI schema", () => {
    const text = readFileSync('spec/qemu-1.0/qapi-schema/qapi-schema.json', 'utf8');
    const nameInfo = text.slice(0, text.indexOf("{ 'command': 'query-name'"));
    expect(nameInfo).toContain("{ 'type': 'NameInfo'");
    expect(detectInput(nameInfo).kind).toBe('qapi-schema');
  });

  it('tells a query-qmp-schema reply as introspection, bare or wrapped in {"return": ...}', () => {
    const text = readFileSync('spec/qemu-7.2.0/query-qmp-schema.json', 'utf8');
    expect(detectInput(text).kind).toBe('introspection');
    expect(detectInput(`{"return": ${text}}`).kind).toBe('introspection');
  });
});
