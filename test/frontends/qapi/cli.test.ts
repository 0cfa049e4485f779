import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../codegen/cli.js';
import { modelFromJson } from '../../../codegen/ir/json.js';

const scratch = mkdtempSync(join(tmpdir(), 'qapi-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `qmp-codegen ARGS` in process; returns its exit code and what it wrote to stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    return { code: await main(args), stderr: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('qmp-codegen parse with schemas and replies', () => {
  it('writes the IR of the 7.2 schema, configured by a preset', async () => {
    const out = join(scratch, 'schema.json');
    const result = await run(['parse', 'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json', '--if', 'linux-x86_64', '--out', out, '--quiet']);
    expect(result).toEqual({ code: 0, stderr: '' });
    const model = modelFromJson(readFileSync(out, 'utf8'), out);
    expect(model.source).toMatchObject({ frontend: 'qapi', release: '7.2.0' });
    expect(model.source.configuration).toContain('TARGET_I386');
    expect(model.commands).toHaveLength(216);
  });

  it('exits 1 for a mistyped --if preset, listing the presets, where it once dropped 24 commands without a word', async () => {
    const result = await run([
      'parse',
      'spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json',
      '--if',
      'linux-x86-64-7.2',
      '--out',
      join(scratch, 'mistyped.json'),
      '--quiet',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^qmp-codegen parse: --if linux-x86-64-7\.2: no preset of that name \(did you mean linux-x86_64-7\.2\?\)\. Presets: linux-x86_64 /,
    );
    // A query-qmp-schema reply has no conditions: a symbol has nothing to decide there.
    const reply = await run(['parse', 'spec/qemu-7.2.0/query-qmp-schema.json', '--if', 'CONFIG_SPICE', '--out', join(scratch, 'r.json')]);
    expect(reply.code).toBe(1);
    expect(reply.stderr).toContain('--if CONFIG_SPICE: a config symbol, but this model has no `if` conditions for it to decide');
  });

  it('exits 1 naming file:line:column for a reply or IR JSON that does not parse (not a crash)', async () => {
    const file = join(scratch, 'cut-reply.json');
    writeFileSync(file, '{"return": [\n  {"name": "query-status", "meta-type": "command" "arg-type": "0"}\n]}\n');
    const result = await run(['parse', file, '--out', join(scratch, 'cut.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(`qmp-codegen parse: ${file}:2:51: not JSON: unexpected "\\"" (a comma missing before it?)`);
  });

  it('writes the IR of a query-qmp-schema reply', async () => {
    const out = join(scratch, 'reply.json');
    expect(await run(['parse', 'spec/qemu-7.2.0/query-qmp-schema.json', '--out', out])).toEqual({ code: 0, stderr: '' });
    expect(modelFromJson(readFileSync(out, 'utf8'), out).source.frontend).toBe('introspection');
  });

  it('exits 1 naming file:line:column for a broken schema', async () => {
    const broken = await run(['parse', 'test/fixtures/qapi/broken/unclosed-at-end.json', '--out', join(scratch, 'x.json')]);
    expect(broken).toEqual({
      code: 1,
      stderr: "qmp-codegen parse: test/fixtures/qapi/broken/unclosed-at-end.json:39:1: '{' is never closed (the file ends first)",
    });
    const unknown = await run(['parse', 'test/fixtures/qapi/broken/unknown-key.json', '--out', join(scratch, 'y.json')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^test\/fixtures\/qapi\/broken\/unknown-key\.json:39:30: error: command 'query-status' has unknown key 'return'/m);
  });
});
