/**
 * The real documents' irregularities, one behaviour each, on the releases in spec/: each is read
 * as the document means it and reported where it is, never a crash, never a dropped name.
 */
import { describe, expect, it } from 'vitest';
import type { Command, Diagnostic, Event, Member, QmpModel, TypeRef } from '../../../codegen/ir/types.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseTextDocuments } from '../../../codegen/frontends/textdoc/index.js';
import { fixturesDir, parseFiles, releaseModel, specRelease } from './documents.js';

const v28 = (): QmpModel => releaseModel(specRelease('2.8.0'));
const v21 = (): QmpModel => releaseModel(specRelease('2.1.0'));
const v10 = (): QmpModel => releaseModel(specRelease('1.0'));
const v013 = (): QmpModel => releaseModel(specRelease('0.13.0'));

function command(model: QmpModel, name: string): Command {
  const found = model.commands.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

function event(model: QmpModel, name: string): Event {
  const found = model.events.find((e) => e.name === name);
  if (!found) throw new Error(`no event ${name}`);
  return found;
}

function member(members: readonly Member[], name: string): Member {
  const found = members.find((m) => m.name === name);
  if (!found) throw new Error(`no member ${name} in ${members.map((m) => m.name).join(', ')}`);
  return found;
}

/** The members of an object type, or of the objects of an array type. */
function fields(type: TypeRef | undefined): Member[] {
  if (type?.kind === 'object') return type.members;
  if (type?.kind === 'array') return fields(type.of);
  throw new Error(`not an object: ${JSON.stringify(type)}`);
}

function diagnosticsAt(model: QmpModel, file: string, line: number, code?: string): Diagnostic[] {
  return model.diagnostics.filter((d) => d.file.endsWith(file) && d.line === line && (code === undefined || d.code === code));
}

const builtin = (name: string): TypeRef => ({ kind: 'builtin', name }) as TypeRef;
const values = (type: TypeRef): string[] => (type.kind === 'enum' ? type.values.map((v) => v.name) : []);

describe('headings', () => {
  it('an underline shorter or longer than the name is warned at the underline, the name kept', () => {
    const model = v28();
    expect(command(model, 'xen-save-devices-state').loc.line).toBe(384);
    expect(diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', 385, 'heading-underline')).toHaveLength(1);
    expect(command(model, 'send-key').loc.line).toBe(232);
    expect(diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', 233, 'heading-underline')[0]!.message).toMatch(/longer/);
  });

  it('a heading with no underline (2.8 `dump`) is read, and renamed to the command its example executes', () => {
    const model = v28();
    expect(model.commands.some((c) => c.name === 'dump')).toBe(false);
    const dump = command(model, 'dump-guest-memory');
    expect(dump.loc.line).toBe(590);
    expect(dump.arguments.map((a) => a.name)).toEqual(['paging', 'protocol', 'detach', 'begin', 'length', 'format']);
    const codes = diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', 590).map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['heading-underline-missing', 'heading-name-mismatch']));
  });

  it('a prose heading ("Show rocker switch") is named by the command its example executes', () => {
    const model = v28();
    const rocker = command(model, 'query-rocker');
    expect(rocker.loc.line).toBe(3712);
    expect(rocker.arguments.map((a) => a.name)).toEqual(['name']);
    expect(command(model, 'query-rocker-of-dpa-flows').arguments.map((a) => [a.name, a.optional])).toEqual([
      ['name', false],
      ['tbl-id', true],
    ]);
    expect(command(model, 'query-hotpluggable-cpus').examples).toHaveLength(2);
    expect(diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', 3712, 'heading-prose')).toHaveLength(1);
  });

  it('an @-prefixed heading is read without the @', () => {
    const model = v21();
    expect(command(model, 'query-memory-devices').loc.line).toBe(2751);
    expect(diagnosticsAt(model, 'qemu-2.1.0/qmp-commands.txt', 2751, 'heading-at-sign')).toHaveLength(1);
  });

  it('one heading naming two events gives both events the definition', () => {
    const model = v10();
    const connected = event(model, 'SPICE_CONNECTED');
    const disconnected = event(model, 'SPICE_DISCONNECTED');
    expect(connected.loc.line).toBe(185);
    expect(disconnected.data.map((m) => m.name)).toEqual(['server', 'client']);
    expect(diagnosticsAt(model, 'qemu-1.0/qmp-events.txt', 185, 'heading-several-names')).toHaveLength(1);
  });

  it("a command known only from another command's example becomes a command, its arguments optional", () => {
    const model = parseFiles(join(fixturesDir, 'qemu-2.8.0-blockdev-snapshot.txt'));
    expect(model.commands.map((c) => c.name)).toEqual(['blockdev-snapshot', 'blockdev-add']);
    const add = command(model, 'blockdev-add');
    expect(add.arguments.map((a) => [a.name, a.optional])).toEqual([
      ['driver', true],
      ['node-name', true],
      ['file', true],
      ['backing', true],
    ]);
    expect(member(add.arguments, 'file').type).toEqual({
      kind: 'object',
      open: true,
      members: [
        expect.objectContaining({ name: 'driver', type: builtin('str'), optional: true }),
        expect.objectContaining({ name: 'filename', type: builtin('str'), optional: true }),
      ],
    });
    expect(add.examples).toHaveLength(1);
    const found = model.diagnostics.filter((d) => d.code === 'command-from-example');
    expect(found.map((d) => d.line)).toEqual([17]);
  });
});

describe('argument lists', () => {
  it('`Arguments: None.` gives no arguments and no diagnostic', () => {
    const quit = command(v28(), 'quit');
    expect(quit.arguments).toEqual([]);
    expect(diagnosticsAt(v28(), 'qemu-2.8.0/qmp-commands.txt', 61)).toEqual([]);
  });

  it("a type on the line after the name is the member's (2.8 `eject` `device`)", () => {
    const eject = command(v28(), 'eject');
    expect(eject.arguments.map((a) => [a.name, a.optional, a.typeText])).toEqual([
      ['force', true, 'json-bool'],
      ['device', true, 'json-string'],
      ['id', true, 'json-string'],
    ]);
    expect(member(eject.arguments, 'device').deprecated).toBe('use @id instead');
    expect(member(eject.arguments, 'device').loc).toEqual({ file: expect.stringMatching(/qemu-2.8.0\/qmp-commands.txt$/), line: 76, column: 1 });
  });

  it('unquoted member names are read and warned (0.13 `eject`)', () => {
    const model = v013();
    expect(command(model, 'eject').arguments.map((a) => [a.name, a.optional])).toEqual([
      ['force', true],
      ['device', false],
    ]);
    expect(diagnosticsAt(model, 'qemu-0.13.0/qmp-commands.txt', 75, 'member-name-unquoted')).toHaveLength(1);
  });

  it('`optional` anywhere in the parentheses makes a member optional', () => {
    const model = v28();
    expect(member(command(model, 'device_add').arguments, 'bus')).toMatchObject({ optional: true, typeText: 'json-string' });
    expect(member(command(model, 'object-add').arguments, 'props')).toMatchObject({
      optional: true,
      typeText: 'json-dict',
      type: { kind: 'object', open: true },
    });
    expect(member(command(model, 'drive-backup').arguments, 'compress')).toMatchObject({ optional: true, default: 'false' });
  });

  it('a default in the parentheses makes a member optional (2.8 `blockdev-mirror` `buf_size`, `(json-int, default 10M)`)', () => {
    const model = v28();
    const args = command(model, 'blockdev-mirror').arguments;
    expect(member(args, 'buf_size')).toMatchObject({ optional: true, default: '10M' });
    expect(member(args, 'on-source-error')).toMatchObject({ optional: true, default: 'report' });
    // no default and no `optional`: the document says required, whatever the schema says
    expect(member(args, 'speed')).toMatchObject({ optional: false });
  });

  it('the document is followed where the schema differs (2.8 `block_resize` `device` is required)', () => {
    expect(member(command(v28(), 'block_resize').arguments, 'device').optional).toBe(false);
  });

  it('a member with no type is any, with a warning', () => {
    const model = v28();
    expect(member(command(model, 'block_resize').arguments, 'size').type).toEqual(builtin('any'));
    expect(diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', 736, 'member-type-missing')).toHaveLength(1);
  });

  it('type tokens map onto the builtins, irregular spellings with a warning', () => {
    const model = v28();
    expect(member(command(model, 'migrate_set_downtime').arguments, 'value').type).toEqual(builtin('number'));
    expect(member(command(model, 'memsave').arguments, 'val').type).toEqual(builtin('int'));
    expect(member(command(model, 'block-dirty-bitmap-add').arguments, 'granularity')).toMatchObject({ type: builtin('int'), typeText: 'int' });
    const qom = member(fields(command(model, 'query-cpus').returns), 'qom_path');
    expect(qom).toMatchObject({ type: builtin('str'), typeText: 'json-str' });
    expect(diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', qom.loc.line, 'member-type-spelling')).toHaveLength(1);
  });

  it('a QAPI type named in prose is any, kept in typeText, with an info', () => {
    const model = v28();
    const mode = member(command(model, 'drive-backup').arguments, 'mode');
    expect(mode).toMatchObject({ type: builtin('any'), typeText: 'NewImageMode', optional: true, default: 'absolute-paths' });
    expect(diagnosticsAt(model, 'qemu-2.8.0/qmp-commands.txt', mode.loc.line, 'schema-type-reference')[0]!.severity).toBe('info');
  });

  it('`keys array:` is an array argument of the objects nested under it', () => {
    const sendKey = command(v28(), 'send-key');
    expect(sendKey.arguments.map((a) => [a.name, a.optional])).toEqual([
      ['keys', false],
      ['hold-time', true],
    ]);
    expect(member(sendKey.arguments, 'keys').type.kind).toBe('array');
    expect(fields(member(sendKey.arguments, 'keys').type).map((m) => m.name)).toEqual(['key']);
  });

  it("`(Since x)` after a member sets its since; `Since x` under a heading sets the command's", () => {
    const model = v28();
    expect(member(command(model, 'block-stream').arguments, 'base-node').since).toBe('2.8');
    expect(command(model, 'block-dirty-bitmap-add').since).toBe('2.4');
    expect(command(model, 'change-backing-file').since).toBe('2.1');
  });

  it('a list with no header before an empty `Arguments:` is read as the arguments when the example passes them', () => {
    const model = v28();
    const params = command(model, 'migrate-set-parameters');
    expect(params.arguments.map((a) => a.name)).toContain('compress-level');
    expect(model.diagnostics.some((d) => d.code === 'member-list-unheaded' && d.line === 2922)).toBe(true);
  });

  it('several names on one member line each become a member (RHEL 7 `"cyls", "heads", "secs"`)', () => {
    const model = parseFiles(join(fixturesDir, 'rhel7-qmp-commands.hx'));
    const add = command(model, '__com.redhat_drive_add');
    expect(add.arguments.filter((a) => ['cyls', 'heads', 'secs'].includes(a.name)).map((a) => [a.name, a.optional, a.typeText])).toEqual([
      ['cyls', true, 'json-int'],
      ['heads', true, 'json-int'],
      ['secs', true, 'json-int'],
    ]);
    expect(model.diagnostics.filter((d) => d.code === 'member-several-names').map((d) => d.line)).toEqual([131]);
  });
});

describe('nested members and enumerations', () => {
  it('nested member lists fill the objects they sit under (2.8 `query-block`)', () => {
    const block = fields(command(v28(), 'query-block').returns);
    const inserted = member(block, 'inserted');
    expect(inserted.optional).toBe(true);
    const image = member(fields(inserted.type), 'image');
    expect(fields(member(fields(image.type), 'snapshots').type).map((m) => m.name)).toEqual([
      'id',
      'name',
      'vm-state-size',
      'date-sec',
      'date-nsec',
      'vm-clock-sec',
      'vm-clock-nsec',
    ]);
    expect(member(fields(image.type), 'snapshots').type.kind).toBe('array');
  });

  it('`- Possible values:` lines make the member above an enum', () => {
    const block = fields(command(v28(), 'query-block').returns);
    expect(values(member(block, 'io-status').type)).toEqual(['ok', 'failed', 'nospace']);
    expect(values(member(fields(member(block, 'inserted').type), 'detect_zeroes').type)).toEqual(['off', 'on', 'unmap']);
  });

  it('a deprecation note nested under a member marks it deprecated', () => {
    expect(member(fields(command(v28(), 'query-block').returns), 'type').deprecated).toBe('retained for backward compatibility');
  });

  it('enumerated values in prose: quoted lines, `"x" - doc` lines, and `"a" or "b"` in the type', () => {
    const model = v28();
    const io = event(model, 'BLOCK_IO_ERROR').data;
    expect(values(member(io, 'operation').type)).toEqual(['read', 'write']);
    expect(member(io, 'action').type).toMatchObject({
      kind: 'enum',
      values: [{ name: 'ignore', doc: 'error has been ignored' }, { name: 'report' }, { name: 'stop' }],
    });
    expect(values(member(event(model, 'WATCHDOG').data, 'action').type)).toEqual(['reset', 'shutdown', 'poweroff', 'pause', 'debug', 'none']);
    const status = member(fields(command(model, 'query-status').returns), 'status');
    expect(values(status.type)).toHaveLength(13);
    expect(values(status.type)[0]).toBe('debug');
  });

  it('a quoted word in other parentheses is prose, not a value (`it can be empty ("")`)', () => {
    expect(member(event(v28(), 'BLOCK_IO_ERROR').data, 'device').type).toEqual(builtin('str'));
  });

  it('named lines under a dash with no name are lifted, optional (`- Current program counter`)', () => {
    const cpu = fields(command(v28(), 'query-cpus').returns);
    expect(cpu.map((m) => [m.name, m.optional])).toEqual([
      ['CPU', false],
      ['current', false],
      ['halted', false],
      ['qom_path', false],
      ['arch', false],
      ['pc', true],
      ['nip', true],
      ['npc', true],
      ['PC', true],
      ['thread_id', false],
    ]);
  });
});

describe('return values', () => {
  it('"Return a json-object" is an object, "the returned value is a json-array" an array of objects', () => {
    const model = v28();
    expect(command(model, 'query-kvm').returns).toMatchObject({ kind: 'object', members: [{ name: 'enabled' }, { name: 'present' }] });
    expect(command(model, 'query-commands').returns).toMatchObject({ kind: 'array', of: { kind: 'object', members: [{ name: 'name' }] } });
    expect(command(model, 'query-vnc').returns?.kind).toBe('object');
  });

  it('a further list ("Clients are described by ...") fills the member its prose names', () => {
    const vnc = fields(command(v28(), 'query-vnc').returns);
    expect(member(vnc, 'clients').type).toMatchObject({
      kind: 'array',
      of: { kind: 'object', members: expect.arrayContaining([expect.objectContaining({ name: 'x509_dname', optional: true })]) },
    });
  });

  it("a `Returns:` section is kept as the doc's returns", () => {
    expect(command(v28(), 'change-backing-file').doc.returns).toMatch(/^Nothing on success\nIf "device" does not exist/);
  });
});

describe('examples', () => {
  it('numbered examples keep their title, each its own transcript', () => {
    const change = command(v28(), 'change');
    expect(change.examples.map((e) => e.title)).toEqual(['1. Change a removable medium', '2. Change VNC password']);
    expect(change.examples[1]!.messages.map((m) => m.direction)).toEqual(['->', '<-']);
    expect(change.examples[1]!.messages[0]!.json).toEqual({ execute: 'change', arguments: { device: 'vnc', target: 'password', arg: 'foobar1' } });
  });

  it('`Example (n):` headers start an example each, prose between messages is kept as text', () => {
    const examples = command(v28(), 'input-send-event').examples;
    expect(examples.map((e) => e.title)).toEqual(['1', '2', '3']);
    expect(examples[0]!.messages.map((m) => m.direction)).toEqual(['text', '->', '<-', '->', '<-']);
    expect(examples[0]!.messages[0]!.text).toBe('Press left mouse button.');
  });

  it('messages spanning lines are one message, parsed as JSON', () => {
    const [example] = command(v28(), 'memsave').examples;
    expect(example!.messages[0]!.json).toEqual({ execute: 'memsave', arguments: { val: 10, size: 100, filename: '/tmp/virtual-mem-dump' } });
    expect(example!.messages[0]!.loc.line).toBe(298);
  });

  it('an example that is not JSON keeps its text and is warned where JSON.parse stopped', () => {
    const model = v28();
    const [example] = command(model, 'query-dump-guest-memory-capability').examples;
    const reply = example!.messages[1]!;
    expect(reply.json).toBeUndefined();
    expect(reply.text).toMatch(/^\{ "return": \{ "formats":/);
    expect(model.diagnostics.find((d) => d.code === 'example-not-json' && d.line === 629)).toBeDefined();
  });

  it('`...` elisions are dropped before reading the JSON, with an info', () => {
    const model = v28();
    const reply = command(model, 'query-spice').examples[0]!.messages[1]!;
    expect((reply.json as { return: { channels: unknown[] } }).return.channels).toHaveLength(2);
    expect(model.diagnostics.some((d) => d.code === 'example-elision' && d.line === reply.loc.line)).toBe(true);
  });

  it('event examples are bare JSON, read as server messages', () => {
    const [example] = event(v28(), 'BALLOON_CHANGE').examples;
    expect(example!.messages).toEqual([expect.objectContaining({ direction: '<-', json: expect.objectContaining({ event: 'BALLOON_CHANGE' }) })]);
  });

  it('titled event examples ("Read operation:") are separate examples', () => {
    expect(event(v28(), 'QUORUM_REPORT_BAD').examples.map((e) => e.title)).toEqual(['Read operation', 'Flush operation']);
  });

  it('a stray line after an example is reported, not dropped', () => {
    const model = v28();
    expect(model.diagnostics.find((d) => d.code === 'unrecognised-line' && d.file.endsWith('qmp-events.txt') && d.line === 301)?.message).toMatch(/"\}"/);
  });
});

describe('docs', () => {
  it('notes are kept in order, numbered notes with their number', () => {
    const notes = command(v28(), 'migrate').doc.notes;
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(/^\(1\) The 'query-migrate' command should be used/);
    expect(command(v28(), 'eject').doc.notes).toEqual(['The "force" argument defaults to false.']);
  });

  it('the description is the prose under the heading', () => {
    expect(command(v28(), 'quit').doc.description).toBe('Quit the emulator.');
  });
});

describe('a document cut short', () => {
  const full = readFileSync(specRelease('2.8.0').commands!, 'utf8');
  const lines = full.split('\n');
  const read = (text: string) => parseTextDocuments([{ file: 'cut.txt', text, kind: 'qmp-commands' }]);
  const truncation = (model: QmpModel) => model.diagnostics.filter((d) => d.code === 'document-truncated').map((d) => [d.line, d.message]);
  // 2.8's block-commit: `- backing-file:` starts at line 800 and its type is never reached before 813.
  const cutAt = (n: number) => `${lines.slice(0, n).join('\n')}\n`;

  it('is reported where it ends when it ends mid-line, naming the definition that may be incomplete', () => {
    // The first 20 000 bytes end in block-commit's backing-file, mid-sentence.
    const model = read(full.slice(0, 20_000));
    expect(truncation(model)).toEqual([
      [812, 'the document ends mid-line (no final newline): it looks cut short, and the last definition, block-commit, may be incomplete'],
    ]);
    // What was read is kept.
    expect(model.commands.at(-1)?.arguments.map((a) => a.name)).toContain('backing-file');
  });

  it('is reported when it ends inside a member or an example message, on a line boundary', () => {
    expect(truncation(read(cutAt(805)))).toEqual([[805, expect.stringContaining('ends inside a member (its type never given)')]]);
    const inExample = lines.findIndex((l) => l.includes('"io-status": "ok",')) + 1;
    expect(truncation(read(cutAt(inExample)))).toEqual([
      [inExample, expect.stringContaining('ends inside an example message (a bracket never closed): it looks cut short, and the last definition, query-block')],
    ]);
  });

  it('is not reported for a whole document, nor for one cut between definitions', () => {
    expect(truncation(read(full))).toEqual([]);
    const betweenDefinitions = lines.findIndex((l, i) => i > 900 && l === '<- { "return": {} }') + 1;
    expect(truncation(read(cutAt(betweenDefinitions)))).toEqual([]);
  });
});
