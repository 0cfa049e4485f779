import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractQmpFromHx } from '../../../codegen/frontends/textdoc/hx.js';
import { parseTextDocuments } from '../../../codegen/frontends/textdoc/index.js';
import { fixturesDir, parseFiles } from './documents.js';

const fixture = (name: string): string => readFileSync(join(fixturesDir, name), 'utf8');

describe('.hx input gives what hxtool -q gives', () => {
  it.each([
    ['rhel7-qmp-commands.hx', 'rhel7-qmp-commands.hxtool-q.txt'],
    ['rhel6-qemu-monitor.hx', 'rhel6-qemu-monitor.hxtool-q.txt'],
  ])('%s', (hx, expected) => {
    const extraction = extractQmpFromHx(fixture(hx), hx);
    expect(extraction.text).toBe(fixture(expected));
    expect(extraction.diagnostics).toEqual([]);
  });

  it('drops HXCOMM lines inside a block, and the markers, and everything outside blocks', () => {
    const hx = 'HXCOMM head\nSQMP\nkept 1\nHXCOMM inside\nkept 2\nEQMP\n    { .name = "quit" },\nSQMP\nkept 3\nEQMP\n';
    const extraction = extractQmpFromHx(hx, 'a.hx');
    expect(extraction.text).toBe('kept 1\nkept 2\nkept 3\n');
    expect(extraction.sourceLine).toEqual([3, 5, 9]);
  });

  it("drops a last line with no newline, as hxtool's read loop does, and says so", () => {
    const extraction = extractQmpFromHx('SQMP\nkept\nlost', 'a.hx');
    expect(extraction.text).toBe('kept\n');
    expect(extraction.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'hx-last-line', line: 3 })]);
  });

  it('reports markers out of order where hxtool -q would stop, as errors at their line', () => {
    const lines = fixture('rhel7-qmp-commands.hx').split('\n');
    // the real file with its first EQMP (line 61) gone: the next SQMP (line 69) comes inside a block
    const broken = [...lines.slice(0, 60), ...lines.slice(61)].join('\n');
    const extraction = extractQmpFromHx(broken, 'broken.hx');
    expect(extraction.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'hx-marker', line: 68 })]);
    const stray = extractQmpFromHx('EQMP\nSQMP\nx\nSTEXI\n', 'stray.hx');
    expect(stray.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['hx-marker', 1],
      ['hx-marker', 4],
    ]);
  });
});

describe('.hx documents parse as commands, located in the .hx file itself', () => {
  it('RHEL 7 qmp-commands.hx: vendor commands, every location a line of the .hx', () => {
    const file = join(fixturesDir, 'rhel7-qmp-commands.hx');
    const model = parseFiles(file);
    expect(model.commands.map((c) => c.name)).toEqual(['quit', 'eject', '__com.redhat_drive_add', '__com.redhat_drive_del']);
    const lines = readFileSync(file, 'utf8').split('\n');
    const add = model.commands.find((c) => c.name === '__com.redhat_drive_add')!;
    expect(add.loc.line).toBe(119);
    expect(lines[add.loc.line - 1]).toBe('__com.redhat_drive_add');
    const id = add.arguments[0]!;
    expect(lines[id.loc.line - 1]).toBe('- "id": Drive ID, must be unique (json-string)');
    for (const d of model.diagnostics) expect(d.file).toBe(file);
    const unquoted = model.diagnostics.filter((d) => d.code === 'member-name-unquoted');
    expect(unquoted.map((d) => lines[d.line - 1])).toEqual(['- force: force ejection (json-bool, optional)', '- device: device name (json-string)']);
  });

  it('RHEL 6 qemu-monitor.hx: texinfo blocks skipped; its slips reported at their .hx lines', () => {
    const file = join(fixturesDir, 'rhel6-qemu-monitor.hx');
    const model = parseFiles(file);
    expect(model.commands.map((c) => c.name)).toEqual(['quit', 'eject', '__com.redhat_drive_del']);
    const lines = readFileSync(file, 'utf8').split('\n');
    const stray = model.diagnostics.find((d) => d.code === 'unrecognised-line')!;
    expect(lines[stray.line - 1]).toBe('    {');
    const slip = model.diagnostics.find((d) => d.code === 'heading-name-mismatch')!;
    expect(lines[slip.line - 1]).toBe('__com.redhat_drive_del');
  });

  it('a .hx file with no SQMP block documents nothing, and says so', () => {
    const model = parseTextDocuments([{ file: 'x.hx', text: 'HXCOMM only texinfo here\nSTEXI\n@item quit\nETEXI\n', kind: 'hx' }]);
    expect(model.commands).toEqual([]);
    expect(model.diagnostics.map((d) => d.code)).toEqual(['hx-no-qmp']);
  });
});
