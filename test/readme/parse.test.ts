/**
 * The marker language the README test reads in code blocks (test/readme/blocks.ts): what a
 * block is, where its shell lines run, what they must exit with, what is a fragment.
 */
import { describe, expect, it } from 'vitest';
import { bareImports, extractBlocks, notCompiling, parseJsonc, shellSteps, uncomment, underTmp } from './blocks.js';

const markdown = [
  '# Title',
  '',
  '```sh',
  '# in a checkout of qmp-sdk:',
  'npm pack --pack-destination /tmp   # writes /tmp/x.tgz',
  '# in your project:',
  'npx qmp-codegen diff a b     # what breaks (exit 1)',
  'qemu-system-x86_64 -qmp unix:/tmp/vm1.qmp,server=on,wait=off &',
  'a && b',
  '```',
  '',
  '```ts',
  '// fragment: client is yours',
  "import { QmpClient } from 'qmp-sdk';",
  "import schema from 'qmp-sdk/qemu-7.2.0/schema.json' with { type: 'json' };",
  "import { Ajv } from 'ajv';",
  "import { x } from '@scope/pkg/sub';",
  "import { openSync } from 'node:fs';",
  "// await client.execute('eject', { devise: 'cd0' }); // does not compile: 'devise'",
  '```',
  '',
  '```jsonc',
  '// tsconfig.json',
  '{ "compilerOptions": { "strict": true } }',
  '```',
].join('\n');

describe('README code blocks', () => {
  const [sh, ts, jsonc] = extractBlocks('X.md', markdown);

  it('are found with their fence line, language and markers', () => {
    expect([sh!.line, sh!.lang, ts!.line, ts!.lang, jsonc!.line, jsonc!.lang]).toEqual([3, 'sh', 12, 'ts', 22, 'jsonc']);
    expect(ts!.fragment).toBe('client is yours');
    expect(jsonc!.name).toBe('tsconfig.json');
    expect(sh!.fragment).toBeUndefined();
  });

  it('an unclosed block is an error naming its line', () => {
    expect(() => extractBlocks('Y.md', 'text\n```sh\nls\n')).toThrow('Y.md:2: a code block that is never closed');
  });

  it("a shell block's lines: where each runs, its comment, its exit status, whether it stays in the background", () => {
    expect(shellSteps(sh!)).toEqual([
      { line: 5, where: 'checkout', command: 'npm pack --pack-destination /tmp', comment: 'writes /tmp/x.tgz', background: false, exit: 0 },
      { line: 7, where: 'project', command: 'npx qmp-codegen diff a b', comment: 'what breaks (exit 1)', background: false, exit: 1 },
      { line: 8, where: 'project', command: 'qemu-system-x86_64 -qmp unix:/tmp/vm1.qmp,server=on,wait=off', comment: '', background: true, exit: 0 },
      { line: 9, where: 'project', command: 'a && b', comment: '', background: false, exit: 0 },
    ]);
  });

  it("imports by package name; lines that say they do not compile; paths under /tmp moved; jsonc's comment lines", () => {
    expect(bareImports(ts!)).toEqual(['qmp-sdk', 'ajv', '@scope/pkg']);
    expect(notCompiling(ts!)).toEqual([6]);
    expect(uncomment(ts!.lines[6]!)).toBe("await client.execute('eject', { devise: 'cd0' }); // does not compile: 'devise'");
    expect(underTmp('unix:/tmp/vm1.qmp --pack-destination /tmp x/tmp/y /tmpfoo', '/w/t')).toBe('unix:/w/t/vm1.qmp --pack-destination /w/t x/tmp/y /tmpfoo');
    expect(parseJsonc(jsonc!.lines)).toEqual({ compilerOptions: { strict: true } });
  });
});
