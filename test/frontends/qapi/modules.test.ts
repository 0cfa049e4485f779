/**
 * The schema's modules and headings (`source.modules`), which the reference groups by as QEMU's
 * own does: each file read, in reading order, with the headings of its free-form doc comments,
 * in both spellings (`= Title` to QEMU 9.0, reStructuredText titles from 9.1).
 */
import { describe, expect, it } from 'vitest';
import { freeformHeadings, HeadingStyles } from '../../../codegen/frontends/qapi/headings.js';
import { relocateModel } from '../../../codegen/ir/relocate.js';
import type { QmpModel, SchemaModule } from '../../../codegen/ir/types.js';
import { schema, spec102, spec72 } from './helpers.js';

const moduleOf = (model: QmpModel, name: string): SchemaModule => {
  const found = model.source.modules?.find((m) => m.name === name);
  if (!found) throw new Error(`no module ${name}`);
  return found;
};
const titles = (m: SchemaModule): string[] => m.headings.map((h) => `${'='.repeat(h.level)} ${h.title}`);

describe('schema modules and their headings', () => {
  const q72 = schema(spec72);
  const q102 = schema(spec102);

  it('lists every file read, in reading order, named as QEMU names modules', () => {
    expect(q72.source.modules!.map((m) => m.file)).toEqual(q72.source.files);
    expect(q72.source.modules!.slice(0, 4).map((m) => m.name)).toEqual(['qapi-schema', 'pragma', 'error', 'common']);
    expect(moduleOf(q72, 'block-core').file).toBe('spec/qemu-7.2.0/qapi-schema/qapi/block-core.json');
  });

  it("reads 7.2's `= Title` headings with their level, the ones after an example too", () => {
    // qapi-schema.json's first block holds both chapters; an `Example:` line sits between them.
    expect(titles(moduleOf(q72, 'qapi-schema'))).toEqual(['= Introduction', '= Stability Considerations']);
    expect(moduleOf(q72, 'qapi-schema').headings[1]!.text).toMatch(/^The current QMP command set/);
    expect(titles(moduleOf(q72, 'block'))).toEqual(['= Block devices', '== Additional block stuff (VM related)']);
    expect(titles(moduleOf(q72, 'ui'))).toEqual(['= Remote desktop', '== Spice', '== VNC', '= Input']);
    expect(moduleOf(q72, 'ui').headings.map((h) => h.line)).toEqual([5, 199, 466, 793]);
  });

  it('records the headings in force where a file is read: an included file sits under its includer', () => {
    expect(moduleOf(q72, 'block-core').enclosing).toEqual(['Block devices']);
    expect(titles(moduleOf(q72, 'block-core'))).toEqual(['== Block core (VM unrelated)']);
    // A file without headings of its own is under the last heading read before it.
    expect(moduleOf(q72, 'machine-target').headings).toEqual([]);
    expect(moduleOf(q72, 'machine-target').enclosing).toEqual(['Machines']);
  });

  it("reads 10.2's reStructuredText titles, levels in the order the document first uses each style", () => {
    // `****` over and under is first (Introduction): level 1; `====` under comes later: level 2.
    expect(titles(moduleOf(q102, 'qapi-schema'))[0]).toBe('= Introduction');
    expect(titles(moduleOf(q102, 'job'))).toEqual(['= Background jobs']);
    expect(titles(moduleOf(q102, 'block'))).toEqual(['= Block devices', '== Additional block stuff (VM related)']);
    expect(titles(moduleOf(q102, 'block-core'))).toEqual(['== Block core (VM unrelated)']);
    expect(moduleOf(q102, 'ebpf').headings[0]!.text).toMatch(/^eBPF object is an ELF binary/);
  });

  it("keeps a file's text under no heading (QEMU 10.2's guest agent introduction)", () => {
    const qga = schema('spec/qemu-10.2.0/qapi-schema/qga/qapi-schema.json');
    expect(qga.source.modules!.map((m) => m.name)).toEqual(['qapi-schema']);
    expect(qga.source.modules![0]!.headings).toEqual([]);
    expect(qga.source.modules![0]!.text).toMatch(/^This manual describes the commands supported by the QEMU Guest Agent/);
  });

  it('puts every definition in a module read', () => {
    for (const model of [q72, q102]) {
      const files = new Set(model.source.modules!.map((m) => m.file));
      const definitions = [...model.commands, ...model.events, ...model.types];
      expect(definitions.filter((d) => !files.has(d.loc.file)).map((d) => d.name)).toEqual([]);
    }
  });

  it('relocates module files with the locations', () => {
    const model = schema(spec72);
    const copy = relocateModel(
      structuredClone({ ...model, source: { ...model.source, modules: model.source.modules!.map((m) => ({ ...m, file: `/root/${m.file}` })) } }),
      '/root',
    );
    expect(copy.source.modules!.map((m) => m.file)).toEqual(model.source.files);
  });
});

describe('free-form headings', () => {
  it('tells a title from prose: underline at least as long, overline equal to the underline', () => {
    const styles = new HeadingStyles();
    const read = freeformHeadings('*****\nPart\n*****\n\nSome text\n\nSection\n=======\nmore\n\nnot a title\n===', styles);
    expect(read.headings).toEqual([
      { level: 1, title: 'Part', text: 'Some text' },
      { level: 2, title: 'Section', text: 'more\n\nnot a title\n===' },
    ]);
    // The styles carry over between blocks of one schema: `=` underline is level 2 from now on.
    expect(freeformHeadings('Other\n=====', styles).headings[0]!.level).toBe(2);
    expect(freeformHeadings('intro\n\n== Old style', new HeadingStyles())).toEqual({ lead: 'intro', headings: [{ level: 2, title: 'Old style', text: '' }] });
  });
});
