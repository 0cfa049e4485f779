import { describe, expect, it } from 'vitest';
import { command, event, schema, spec102, spec72, type, withCode } from './helpers.js';

describe('QAPI doc comments of 7.2 (Returns:, Since:, Notes:, Example:, Features:)', () => {
  const model = schema(spec72);

  it('gives a command its description, Returns: text, Since: and example transcript', () => {
    const queryStatus = command(model, 'query-status');
    expect(queryStatus.doc.description).toBe('Query the run status of all VCPUs');
    expect(queryStatus.doc.returns).toBe('@StatusInfo reflecting all VCPUs');
    expect(queryStatus.since).toBe('0.14');
    expect(queryStatus.examples).toHaveLength(1);
    const [request, reply] = queryStatus.examples[0]!.messages;
    expect(request).toMatchObject({ direction: '->', json: { execute: 'query-status' } });
    expect(request!.loc).toMatchObject({ file: 'spec/qemu-7.2.0/qapi-schema/qapi/run-state.json', line: 129, column: 3 });
    expect(reply).toMatchObject({ direction: '<-', json: { return: { running: true, singlestep: false, status: 'running' } } });
    expect(reply!.text.split('\n')).toHaveLength(3);
  });

  it('gives members their @member: text (continuation lines joined) and a (Since x) as since', () => {
    const info = type(model, 'StatusInfo', 'struct');
    expect(info.members.map((m) => [m.name, m.doc])).toEqual([
      ['running', 'true if all VCPUs are runnable, false if not runnable'],
      ['singlestep', 'true if VCPUs are in single-step mode'],
      ['status', 'the virtual machine @RunState'],
    ]);
    expect(info.doc.notes).toEqual(['@singlestep is enabled through the GDB stub']);
    const jobId = type(model, 'BackupCommon', 'struct').members.find((m) => m.name === 'job-id')!;
    expect(jobId.doc).toBe('identifier for the newly-created block job. If\nomitted, the device name will be used. (Since 2.7)');
    expect(jobId.since).toBe('2.7');
  });

  it("documents features from the Features: section, and marks 'deprecated' members and commands", () => {
    const commit = command(model, 'block-commit');
    const deprecation = 'Members @base and @top are deprecated.  Use @base-node\nand @top-node instead.';
    expect(commit.arguments.filter((a) => a.deprecated !== undefined).map((a) => [a.name, a.deprecated])).toEqual([
      ['base', deprecation],
      ['top', deprecation],
    ]);
    expect(commit.deprecated).toBeUndefined();
    const xPerf = type(model, 'BackupCommon', 'struct').members.find((m) => m.name === 'x-perf')!;
    expect(xPerf.features).toEqual([{ name: 'unstable', doc: 'Member @x-perf is experimental.' }]);
    expect(command(model, 'drive-backup').deprecated).toBe('This command is deprecated. Use @blockdev-backup instead.');
  });

  it('splits an Example: section at the titles standing before messages, as the text documents are read', () => {
    expect(command(model, 'qom-get').examples.map((e) => [e.title, e.messages.map((m) => m.direction)])).toEqual([
      ['1. Use absolute path', ['->', '<-']],
      ['2. Use partial path', ['->', '<-']],
    ]);
    // one untitled exchange after another stays one example
    expect(command(model, 'blockdev-snapshot').examples.map((e) => e.messages.length)).toEqual([4]);
  });

  it('reads a message that lost its arrow by its content, with a warning', () => {
    const pass = event(model, 'MIGRATION_PASS').examples[0]!.messages[0]!;
    expect(pass).toMatchObject({ direction: '<-', json: { event: 'MIGRATION_PASS', data: { pass: 2 } } });
    const warning = withCode(model, 'example-direction').find((d) => d.line === pass.loc.line && d.file === pass.loc.file);
    expect(warning?.message).toBe("example message has no '->' or '<-'; read as '<-' from its content");
  });

  it('has no doc warnings beyond the slips the 7.2 documents really have', () => {
    const codes = new Set(model.diagnostics.map((d) => d.code));
    expect(codes).toEqual(new Set(['doc-symbol-space', 'doc-section-colon', 'example-json', 'example-direction']));
    // `@interface-id : Interface ID` in rdma.json is one of them, read as the member's doc.
    expect(withCode(model, 'doc-symbol-space').map((d) => `${d.file.split('/').pop()}:${d.line}`)).toEqual(['job.json:151', 'rdma.json:20']);
  });
});

describe('QAPI doc comments of 10.2 (.. qmp-example::, Errors:, .. note::)', () => {
  const model = schema(spec102);

  it('reads each .. qmp-example:: block as one example, with its :title:', () => {
    const examples = command(model, 'query-migrate').examples;
    expect(examples.map((e) => e.title)).toEqual([
      'Before the first migration',
      'Migration is done and has succeeded',
      'Migration is done and has failed',
      'Migration is being performed',
      'Migration is being performed and XBZRLE is active',
    ]);
    expect(examples[0]!.messages.map((m) => [m.direction, m.json])).toEqual([
      ['->', { execute: 'query-migrate' }],
      ['<-', { return: {} }],
    ]);
  });

  it('keeps the prose of :annotated: examples as text messages, in order', () => {
    const balloon = command(model, 'balloon');
    expect(balloon.examples[0]!.messages.map((m) => m.direction)).toEqual(['->', '<-', 'text']);
    expect(balloon.examples[0]!.messages[2]!.text).toBe('With a 2.5GiB guest this command inflated the ballon to 3GiB.');
    const cpus = command(model, 'query-hotpluggable-cpus').examples;
    expect(cpus).toHaveLength(3);
    expect(cpus[1]!.messages[0]).toMatchObject({ direction: 'text', text: 'For pc machine type started with ``-smp 1,maxcpus=2``:' });
  });

  it('splits Errors: into items and reads .. note:: as a note', () => {
    const balloon = command(model, 'balloon');
    expect(balloon.doc.errors).toEqual([
      'If the balloon driver is enabled but not functional because\nthe KVM kernel module cannot support it, KVMMissingCap',
      'If no balloon device is present, DeviceNotActive',
    ]);
    expect(balloon.doc.notes[0]).toMatch(/^This command just issues a request to the guest\./);
    expect(balloon.doc.description).toBe('Request the balloon driver to change its balloon size.');
    expect(balloon.arguments[0]!.doc).toContain('\n\n    logical_vm_size = vm_ram_size - balloon_size\n\n');
  });

  it("reads a member's since and default from its doc's parentheses", () => {
    const resume = command(model, 'migrate').arguments.find((a) => a.name === 'resume')!;
    expect(resume.doc).toMatch(/\(default: false, since 3\.0\)$/);
    expect(resume).toMatchObject({ since: '3.0', default: 'false' });
  });

  it('keeps TODO: as a named section', () => {
    expect(command(model, 'query-hotpluggable-cpus').doc.sections).toEqual([{ title: 'TODO', text: 'Better documentation; currently there is none.' }]);
  });
});

describe('QAPI doc comments before 2.9 (never checked by QEMU then)', () => {
  const model = schema('spec/qemu-1.0/qapi-schema/qapi-schema.json');

  it("reads '@RunState' without a colon as the symbol line, and 'Since 0.14.0' as Since:, with warnings", () => {
    const runState = type(model, 'RunState', 'enum');
    expect(runState.doc.description).toBe('An enumation of VM run states.');
    expect(runState.values.find((v) => v.name === 'internal-error')!.doc).toBe('An internal error that prevents further guest execution\nhas occurred');
    expect(type(model, 'NameInfo', 'struct').since).toBe('0.14.0');
    expect(withCode(model, 'doc-symbol-form').some((d) => d.line === 89)).toBe(true);
    expect(withCode(model, 'doc-section-colon').length).toBeGreaterThan(0);
  });

  it("drops the '#optional' marker from member docs (the member's optional flag says it)", () => {
    const name = type(model, 'NameInfo', 'struct').members[0]!;
    expect(name).toMatchObject({ name: 'name', optional: true, doc: 'The name of the guest' });
  });

  it('documents the members of anonymous nested structs by their dotted names', () => {
    const qemu = type(model, 'VersionInfo', 'struct').members.find((m) => m.name === 'qemu')!;
    expect(qemu.type.kind).toBe('object');
    expect(qemu.type.kind === 'object' && qemu.type.members.map((m) => [m.name, m.doc])).toEqual([
      ['major', 'The major version of QEMU'],
      ['minor', 'The minor version of QEMU'],
      ['micro', expect.stringMatching(/^The micro version of QEMU\. {2}By current convention/)],
    ]);
  });

  it('warns, at the doc line, about a documented member the definition lacks', () => {
    expect(withCode(model, 'doc-unknown-member').map((d) => [d.line, d.column, d.message])).toEqual([
      [605, 3, "documented member 'connection-type' does not exist in struct 'SpiceChannel'"],
    ]);
  });

  it('warns about a definition without a doc comment, at the definition', () => {
    const model20 = schema('spec/qemu-2.0.0/qapi-schema/qapi-schema.json');
    const missing = withCode(model20, 'doc-missing');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((d) => d.severity === 'warning' && d.line > 0)).toBe(true);
  });
});

describe('QAPI doc comments of 10.0.2 (qga)', () => {
  it("reads an empty line before the closing '##' as inside the comment, as QEMU does (GuestNetworkRoute)", () => {
    const model = schema('spec/qemu-10.0.2/qapi-schema/qga/qapi-schema.json');
    expect(model.diagnostics.map((d) => `${d.code}:${d.line}`)).toEqual([]);
    expect(type(model, 'GuestNetworkRoute', 'struct').doc.description).toBe('Route information, currently, only linux supported.');
    expect(type(model, 'GuestNetworkRoute', 'struct').since).toBe('9.1');
  });
});
