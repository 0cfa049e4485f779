/**
 * Naming and documenting a query-qmp-schema reply from a documented release: QEMU's names by the
 * places types are used at, the release's documentation only where the wire shapes agree, names
 * of their own (stable) for what the release does not have. Real replies: QEMU 7.2, 10.0.2 and
 * 11.1.3 (spec/), against their own and 10.2.0's schemas.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../../codegen/frontends/index.js';
import { modelFromIntrospection } from '../../../codegen/frontends/introspect/index.js';
import { nameFromRelease, type NamingReport } from '../../../codegen/frontends/introspect/documented.js';
import { renameTypes } from '../../../codegen/frontends/introspect/names.js';
import type { NamedType, QmpModel } from '../../../codegen/ir/types.js';

interface Entry {
  name: string;
  'meta-type': string;
  'arg-type'?: string;
  'ret-type'?: string;
  'element-type'?: string;
  members?: { name?: string; type: string }[];
  variants?: { case: string; type: string }[];
}

const replyFile = (release: string) => `spec/qemu-${release}/query-qmp-schema.json`;
const entries = (release: string) => JSON.parse(readFileSync(replyFile(release), 'utf8')) as Entry[];
const reply = (release: string, list: Entry[] = entries(release)) => modelFromIntrospection(list, replyFile(release));

const schemas = new Map<string, QmpModel>();
function schema(release: string, preset: string): QmpModel {
  const key = `${release} ${preset}`;
  if (!schemas.has(key)) schemas.set(key, readModel([`spec/qemu-${release}/qapi-schema/qapi/qapi-schema.json`], { conditions: [preset] }));
  return schemas.get(key)!;
}
const schema102 = () => schema('10.2.0', 'linux-x86_64-10.2');

function type(model: QmpModel, name: string): NamedType {
  const found = model.types.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no type ${name}`);
  return found;
}

/**
 * The reply as another capture of the same build might give it: entries in another order, and
 * every type renumbered (QEMU numbers types in the order it first meets them).
 */
function recaptured(list: Entry[], seed: number): Entry[] {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const numbers = list.map((e) => e.name).filter((n) => /^\d+$/.test(n));
  const shuffled = [...numbers].sort(() => random() - 0.5);
  const renumber = new Map(numbers.map((n, i) => [n, shuffled[i]!]));
  const ref = (name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const array = /^\[(.*)\]$/.exec(name);
    return array ? `[${ref(array[1])}]` : (renumber.get(name) ?? name);
  };
  const copy = list.map((entry) => {
    const out: Entry = { ...entry, name: ref(entry.name)! };
    for (const key of ['arg-type', 'ret-type', 'element-type'] as const) if (entry[key] !== undefined) out[key] = ref(entry[key]);
    if (entry.members) out.members = entry.members.map((m) => ({ ...m, type: ref(m.type)! }));
    if (entry.variants) out.variants = entry.variants.map((v) => ({ ...v, type: ref(v.type)! }));
    return out;
  });
  return copy.sort(() => random() - 0.5);
}

/** What naming decides, independent of the reply's order: every type by name, every command's and event's types. */
function decided(model: QmpModel): unknown {
  const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
  return JSON.stringify({ types: model.types, commands: byName(model.commands), events: byName(model.events) });
}

describe('QEMU 11.1.3 named and documented from 10.2.0', () => {
  const { model, report } = nameFromRelease(reply('11.1.3'), { label: '10.2.0', model: schema102() });

  it('takes QEMU\u2019s name for every type 10.2 has at the same places: 618 of 637, 577 of them documented', () => {
    // the reply's 636, and 10.2's empty Abort, which the reply has inline as the empty object
    expect(model.types).toHaveLength(637);
    expect(summary(report)).toEqual({ named: 618, documented: 577, changed: 41, derived: 19, documentedDerived: 5 });
    const wrapper = type(model, 'AbortWrapper');
    expect(wrapper.kind === 'struct' && wrapper.members[0]!.type).toEqual({ kind: 'named', name: 'Abort' });
    expect(type(model, 'Abort')).toMatchObject({ kind: 'struct', members: [], doc: { description: expect.stringMatching(/test transaction failure/) } });
    expect(model.commands.find((c) => c.name === 'query-status')!.returns).toEqual({ kind: 'named', name: 'StatusInfo' });
    expect(model.commands.find((c) => c.name === 'blockdev-add')!.argumentsType).toEqual({ kind: 'named', name: 'BlockdevOptions' });
    // every name unique, every reference a type of the model, no placeholder or number left
    const names = model.types.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const refs = JSON.stringify(model).match(/"kind":"named","name":"[^"]+"/g) ?? [];
    expect(refs.filter((r) => !names.includes(r.slice(r.lastIndexOf(':"') + 2, -1)))).toEqual([]);
    expect(names.filter((n) => /^(Type)?\d|#/.test(n))).toEqual([]);
  });

  it('documents a type whose wire shape agrees: StatusInfo, its members, and 10.2\u2019s integer widths', () => {
    const status = type(model, 'StatusInfo');
    expect(status.doc.description).toBe('Information about VM run state');
    expect(status.since).toBe('0.14');
    expect(status.hoisted).toBeUndefined();
    expect(status.kind === 'struct' && status.members.find((m) => m.name === 'running')!.doc).toMatch(/true if all VCPUs are runnable/);
    // the reply says int; 10.2 says the balloon's actual size is an int (int64), a block's sizes uint64 or int
    const blockInfo = type(model, 'BlockDeviceStats');
    expect(blockInfo.kind === 'struct' && blockInfo.members.find((m) => m.name === 'rd_bytes')!.type).toEqual({ kind: 'builtin', name: 'int' });
    const memdev = type(model, 'Memdev');
    expect(memdev.kind === 'struct' && memdev.members.find((m) => m.name === 'size')!.type).toEqual({ kind: 'builtin', name: 'size' });
  });

  it('does not document a type whose shape changed: IOThreadInfo gained a required poll-weight in 11.1', () => {
    const threads = type(model, 'IOThreadInfo');
    expect(threads.doc.description).toBe('');
    expect(threads.kind === 'struct' && threads.members.every((m) => m.doc === undefined)).toBe(true);
    expect(threads.doc.notes).toEqual([
      "QEMU 10.2.0 documents `IOThreadInfo` with another wire shape (member 'poll-weight': required int in 11.1.3, absent in 10.2.0): its documentation is not carried over.",
    ]);
    expect(report.changed.find((c) => c.name === 'IOThreadInfo')!.differences).toEqual([
      { where: "member 'poll-weight'", here: 'required int', there: 'absent' },
    ]);
    // nor a command whose arguments changed (migrate lost detach), while query-iothreads, whose reply is still IOThreadInfo, is documented
    expect(model.commands.find((c) => c.name === 'migrate')!.doc.description).toBe('');
    expect(model.commands.find((c) => c.name === 'query-iothreads')!.doc.description).toMatch(/Return a list of information about each iothread/);
    expect(report.commands).toMatchObject({ documented: 235, absent: [] });
    expect(report.commands.changed.sort()).toEqual([
      'cxl-inject-dram-event',
      'cxl-inject-general-media-event',
      'cxl-inject-memory-module-event',
      'migrate',
      'migrate-set-parameters',
      'query-block',
      'query-migrate-parameters',
    ]);
    expect(report.events).toEqual({ documented: 57, changed: [], absent: [] });
  });

  it('names a type new in 11.1 after where it is used: ChardevDBusEncoding, BlockExportOptionsIothread', () => {
    expect(type(model, 'ChardevDBusEncoding')).toMatchObject({ kind: 'enum', hoisted: true, values: [{ name: 'cp437' }, { name: 'utf8' }] });
    const iothread = type(model, 'BlockExportOptionsIothread');
    expect(iothread.kind === 'alternate' && iothread.alternatives.map((a) => a.type.kind)).toEqual(['builtin', 'array']);
    expect(report.derived).toContain('ChardevDBusEncoding');
  });

  it('gives one type a name 10.2 gives several 11.1 types, and documents the others of its shape under names of their own', () => {
    // 11.1 has a {str} type per use where 10.2 has one String: the one met at the most places takes the name
    expect(type(model, 'String').doc.description).toBe("A fat type wrapping 'str', to be embedded in lists.");
    const dnssearch = type(model, 'NetdevUserOptionsDnssearch');
    expect(dnssearch.doc.description).toBe("A fat type wrapping 'str', to be embedded in lists.");
    expect(dnssearch.hoisted).toBe(true);
    expect(report.documentedDerived.sort()).toEqual([
      'NetDevPasstOptionsParam',
      'NetDevPasstOptionsSearch',
      'NetdevUserOptionsDnssearch',
      'NetdevUserOptionsGuestfwd',
      'NetdevUserOptionsHostfwd',
    ]);
  });

  it('gives the same names to another capture of the same build: entries reordered, types renumbered', () => {
    const plain = decided(reply('11.1.3'));
    for (const seed of [1, 7, 2024]) {
      const again = reply('11.1.3', recaptured(entries('11.1.3'), seed));
      expect(decided(again)).toBe(plain);
      expect(decided(nameFromRelease(again, { label: '10.2.0', model: schema102() }).model)).toBe(decided(model));
    }
  }, 60_000);
});

describe('a reply named from its own release', () => {
  it('10.0.2: every type used is named and documented, every command and event documented', () => {
    const { model, report } = nameFromRelease(reply('10.0.2'), { label: '10.0.2', model: schema('10.0.2', 'linux-x86_64-10.0') });
    expect(summary(report)).toEqual({ named: 606, documented: 606, changed: 0, derived: 1, documentedDerived: 0 });
    // the one left: an audio backend's options, listed by the reply, used by nothing, left out of Linux's build
    expect(report.derived).toEqual(['UnreferencedInOut']);
    expect(report.commands).toEqual({ documented: 233, changed: [], absent: [] });
    expect(report.events).toEqual({ documented: 55, changed: [], absent: [] });
    expect(type(model, 'UnreferencedInOut').kind).toBe('struct');
  });

  it('7.2: all 530 (and Abort), the types nothing uses named by their unique shape (DisplayCocoa)', () => {
    const { model, report } = nameFromRelease(reply('7.2.0'), { label: '7.2.0', model: schema('7.2.0', 'linux-x86_64-7.2') });
    expect(summary(report)).toEqual({ named: 531, documented: 531, changed: 0, derived: 0, documentedDerived: 0 });
    expect(type(model, 'DisplayCocoa').doc.description).toMatch(/Cocoa display options/);
    expect(type(model, 'CpuModelCompareResult').kind).toBe('enum');
  });
});

describe('names by place, not by name or shape alone', () => {
  it('a release that renamed a type (StatusInfo → RunStateInfo) names the type at its places so', () => {
    const renamed = renameTypes(schema('10.0.2', 'linux-x86_64-10.0'), new Map([['StatusInfo', 'RunStateInfo']]));
    const { model } = nameFromRelease(reply('10.0.2'), { label: 'renamed', model: renamed });
    expect(model.commands.find((c) => c.name === 'query-status')!.returns).toEqual({ kind: 'named', name: 'RunStateInfo' });
    expect(model.types.some((t) => t.name === 'StatusInfo')).toBe(false);
  });

  it('7.2 from 10.2: types renamed since 7.2 take 10.2\u2019s names at the same places (SGXInfo → SgxInfo)', () => {
    const { model, report } = nameFromRelease(reply('7.2.0'), { label: '10.2.0', model: schema102() });
    expect(model.commands.find((c) => c.name === 'query-sgx')!.returns).toEqual({ kind: 'named', name: 'SgxInfo' });
    expect(summary(report)).toEqual({ named: 530, documented: 456, changed: 74, derived: 1, documentedDerived: 0 });
  });
});

function summary(report: NamingReport) {
  return {
    named: report.documented.length + report.changed.length,
    documented: report.documented.length,
    changed: report.changed.length,
    derived: report.derived.length,
    documentedDerived: report.documentedDerived.length,
  };
}
