/** `detectInput` on text documents: commands, events and .hx told apart by their content. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInput } from '../../../codegen/frontends/detect.js';
import { fixturesDir, hasSharedDocs, releasesIn, sharedDocsDir, specDir } from './documents.js';

const lines = (file: string, from: number, to: number): string =>
  readFileSync(file, 'utf8')
    .split('\n')
    .slice(from - 1, to)
    .join('\n');

describe('detectInput on text documents', () => {
  const releases = [...releasesIn(specDir), ...(hasSharedDocs ? releasesIn(sharedDocsDir) : [])];

  it.each(releases.flatMap((r) => [r.commands, r.events]).filter((f): f is string => f !== undefined))('%s', (file) => {
    expect(detectInput(readFileSync(file, 'utf8')).kind).toBe(file.endsWith('qmp-events.txt') ? 'qmp-events' : 'qmp-commands');
  });

  it.each(['rhel7-qmp-commands.hx', 'rhel6-qemu-monitor.hx'])('%s is .hx', (name) => {
    expect(detectInput(readFileSync(join(fixturesDir, name), 'utf8')).kind).toBe('hx');
  });

  it('a run of prose headings only (2.8 "Show rocker switch" ...) is a commands document', () => {
    expect(detectInput(lines(join(specDir, 'qemu-2.8.0/qmp-commands.txt'), 3712, 3779)).kind).toBe('qmp-commands');
  });

  it('a heading naming two events (1.0 "SPICE_CONNECTED, SPICE_DISCONNECTED") is an events document', () => {
    expect(detectInput(lines(join(specDir, 'qemu-1.0/qmp-events.txt'), 185, 209)).kind).toBe('qmp-events');
  });

  it('the QMP specification is none of them, and the answer says where and what the first line is', () => {
    expect(detectInput(readFileSync(join(specDir, 'qemu-2.8.0/qmp-spec.txt'), 'utf8'))).toEqual({
      kind: 'unknown',
      reason: expect.stringContaining('underlined headings'),
      line: 1,
      column: 23,
      lineText: '                      QEMU Machine Protocol Specification',
    });
  });
});
