import { describe, expect, it } from 'vitest';
import { diffModels } from '../../codegen/diff/compare.js';
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
    const d = diffModels(base, edit((m) => command(m, 'guest-file-open').arguments.splice(0, 1)));
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'member-removed', name: 'guest-file-open', member: 'arguments.path', breaking: true })]);
  });

  it('an optional argument added is compatible; a required one breaks', () => {
    const loc = { file: 'x', line: 1, column: 1 };
    const optional = diffModels(base, edit((m) => command(m, 'guest-ping').arguments.push({ name: 'x', optional: true, type: { kind: 'builtin', name: 'str' }, loc })));
    expect(optional.breaking).toBe(0);
    const required = diffModels(base, edit((m) => command(m, 'guest-ping').arguments.push({ name: 'x', optional: false, type: { kind: 'builtin', name: 'str' }, loc })));
    expect(required.breaking).toBe(1);
  });

  it('an argument made required breaks; made optional does not', () => {
    const d = diffModels(base, edit((m) => (command(m, 'guest-file-open').arguments.find((a) => a.name === 'mode')!.optional = false)));
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'optional-to-required', breaking: true })]);
    const back = diffModels(edit((m) => (command(m, 'guest-file-open').arguments.find((a) => a.name === 'mode')!.optional = false)), base);
    expect(back.changes).toEqual([expect.objectContaining({ kind: 'required-to-optional', breaking: false })]);
  });

  it('a reply member removed breaks only when it was required', () => {
    const info = (m: QmpModel) => m.types.find((t) => t.name === 'GuestAgentInfo')!;
    const d = diffModels(base, edit((m) => { const t = info(m); if (t.kind === 'struct') t.members = t.members.filter((x) => x.name !== 'version'); }));
    // GuestAgentInfo is guest-info's reply and nothing else's: the change is where a client meets it.
    expect(d.changes).toEqual([expect.objectContaining({ kind: 'member-removed', subject: 'command', name: 'guest-info', member: 'returns.version', type: 'GuestAgentInfo', breaking: true })]);
  });

  it('a command removed breaks; added does not', () => {
    const removed = diffModels(base, edit((m) => (m.commands = m.commands.filter((c) => c.name !== 'guest-ping'))));
    expect(removed.changes).toEqual([expect.objectContaining({ kind: 'removed', subject: 'command', name: 'guest-ping', breaking: true })]);
    expect(diffModels(removed.changes.length ? edit((m) => (m.commands = m.commands.filter((c) => c.name !== 'guest-ping'))) : base, base).breaking).toBe(0);
  });
});
