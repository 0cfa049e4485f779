import { describe, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { diffModels, type ModelDiff } from '../../codegen/diff/compare.js';
import { readModel } from '../../codegen/frontends/index.js';
import type { QmpModel } from '../../codegen/ir/types.js';

// The real QEMU 7.2 guest agent schema, edited the way a release might edit it.
const base = readModel(['spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json'], { conditions: ['linux-x86_64-7.2'] });
const edit = (change: (m: QmpModel) => void): QmpModel => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};
const command = (m: QmpModel, name: string) => m.commands.find((c) => c.name === name)!;

describe('classifying changes for a client', () => {
  it('nothing changed: no changes', () => {
    expect(diffModels(base, base).changes).toEqual([]);
  });

  it('a required argument removed is breaking', () => {
    const d = diffModels(
      base,
      edit((m) => command(m, 'guest-file-open').arguments.splice(0, 1)),
    );
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'member-removed', name: 'guest-file-open', member: 'arguments.path', breaking: true })]);
  });

  it('an optional argument added is compatible; a required one breaks', () => {
    const loc = { file: 'x', line: 1, column: 1 };
    const optional = diffModels(
      base,
      edit((m) => command(m, 'guest-ping').arguments.push({ name: 'x', optional: true, type: { kind: 'builtin', name: 'str' }, loc })),
    );
    expect(optional.breaking).toBe(0);
    const required = diffModels(
      base,
      edit((m) => command(m, 'guest-ping').arguments.push({ name: 'x', optional: false, type: { kind: 'builtin', name: 'str' }, loc })),
    );
    expect(required.breaking).toBe(1);
  });

  it('an argument made required breaks; made optional does not', () => {
    const d = diffModels(
      base,
      edit((m) => (command(m, 'guest-file-open').arguments.find((a) => a.name === 'mode')!.optional = false)),
    );
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'optional-to-required', breaking: true })]);
    const back = diffModels(
      edit((m) => (command(m, 'guest-file-open').arguments.find((a) => a.name === 'mode')!.optional = false)),
      base,
    );
    expect(back.changes).toEqual([expect.objectContaining({ kind: 'required-to-optional', breaking: false })]);
  });

  it('a reply member removed breaks only when it was required', () => {
    const info = (m: QmpModel) => m.types.find((t) => t.name === 'GuestAgentInfo')!;
    const d = diffModels(
      base,
      edit((m) => {
        const t = info(m);
        if (t.kind === 'struct') t.members = t.members.filter((x) => x.name !== 'version');
      }),
    );
    // GuestAgentInfo is guest-info's reply and nothing else's: the change is where a client meets it.
    expect(d.changes).toEqual([
      expect.objectContaining({
        kind: 'member-removed',
        subject: 'command',
        name: 'guest-info',
        member: 'returns.version',
        type: 'GuestAgentInfo',
        breaking: true,
      }),
    ]);
  });

  it('a command removed breaks; added does not', () => {
    const removed = diffModels(
      base,
      edit((m) => (m.commands = m.commands.filter((c) => c.name !== 'guest-ping'))),
    );
    expect(removed.changes).toEqual([expect.objectContaining({ kind: 'removed', subject: 'command', name: 'guest-ping', breaking: true })]);
    expect(diffModels(removed.changes.length ? edit((m) => (m.commands = m.commands.filter((c) => c.name !== 'guest-ping'))) : base, base).breaking).toBe(0);
  });
});

describe('qmp-codegen diff', () => {
  const qga72 = 'spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json';
  const printed = async (args: string[]): Promise<{ code: number; text: string }> => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main(args);
      return { code, text: out.mock.calls.map((c) => String(c[0])).join('') };
    } finally {
      out.mockRestore();
    }
  };

  it('exits 0 when nothing breaks a client', async () => {
    const { code, text } = await printed(['diff', qga72, qga72, '--format', 'md']);
    expect(code).toBe(0);
    expect(text).toContain('0 breaking, 0 compatible changes, 0 TypeScript notes for a client');
  });

  it('--json keeps the fields tools read and adds severity, directions, reaches and the notes count', async () => {
    const { code, text } = await printed([
      'diff',
      'spec/qemu-10.0.2/qapi-schema/qapi/qapi-schema.json',
      'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json',
      '--json',
    ]);
    expect(code).toBe(1);
    const diff = JSON.parse(text) as ModelDiff;
    expect(Object.keys(diff)).toEqual(expect.arrayContaining(['old', 'new', 'changes', 'breaking', 'compatible', 'notes']));
    expect(diff.breaking + diff.compatible + diff.notes).toBe(diff.changes.length);
    for (const c of diff.changes) {
      expect(c).toEqual(
        expect.objectContaining({
          kind: expect.any(String),
          subject: expect.any(String),
          name: expect.any(String),
          breaking: expect.any(Boolean),
          message: expect.any(String),
          severity: expect.any(String),
        }),
      );
    }
    const renamed = diff.changes.find((c) => c.kind === 'renamed' && c.oldName === 'SGXInfo');
    expect(renamed).toMatchObject({ name: 'SgxInfo', severity: 'note', directions: ['output'] });
  });

  it('--format md gives the renamed types their own section', async () => {
    const { text } = await printed([
      'diff',
      'spec/qemu-10.0.2/qapi-schema/qapi/qapi-schema.json',
      'spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json',
      '--format',
      'md',
    ]);
    expect(text).toContain('## Types renamed (TypeScript only) (3)');
    expect(text).toContain(
      '- type SGXInfo is now SgxInfo: the same on the wire; TypeScript code that names SGXInfo there must change — returns of query-sgx, query-sgx-capabilities',
    );
  });
});
