import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../codegen/generate/pipeline.js';
import type { Member, QmpModel } from '../../codegen/ir/types.js';
import { projectRoot, typecheck } from '../support/typecheck.js';

// The IR of three real QEMU 2.8.0 entries (qmp-commands.txt `eject`, `query-status`; qmp-events.txt
// `STOP`), written out by hand so the emitter is tested apart from the front ends.
const at = (line: number) => ({ file: 'spec/qemu-2.8.0/qmp-commands.txt', line, column: 1 });
const m = (name: string, type: Member['type'], optional: boolean, doc: string, line: number): Member => ({ name, type, optional, doc, loc: at(line) });
const str = { kind: 'builtin', name: 'str' } as const;
const bool = { kind: 'builtin', name: 'bool' } as const;
const model: QmpModel = {
  irVersion: 1,
  source: { frontend: 'textdoc', files: ['spec/qemu-2.8.0/qmp-commands.txt'], release: '2.8.0' },
  diagnostics: [],
  types: [],
  commands: [
    {
      name: 'eject',
      doc: { description: 'Eject a removable medium.', notes: ['The "force" argument defaults to false.'] },
      arguments: [
        m('force', bool, true, 'force ejection', 75),
        { ...m('device', str, true, 'block device name (deprecated, use @id instead)', 76), deprecated: 'use @id instead' },
        m('id', str, true, 'the name or QOM path of the guest device', 78),
      ],
      examples: [
        {
          loc: at(82),
          messages: [
            { direction: '->', text: '{ "execute": "eject", "arguments": { "id": "ide0-1-0" } }', json: { execute: 'eject', arguments: { id: 'ide0-1-0' } }, loc: at(82) },
            { direction: '<-', text: '{ "return": {} }', json: { return: {} }, loc: at(83) },
          ],
        },
      ],
      loc: at(65),
    },
    {
      name: 'block_resize',
      doc: { description: 'Resize a block image while a guest is running.', notes: [] },
      arguments: [m('device', str, false, 'the device\'s ID, must be unique', 1100), m('size', { kind: 'builtin', name: 'int' }, false, 'new size', 1102)],
      examples: [],
      loc: at(1090),
    },
    {
      name: 'query-status',
      doc: { description: 'Query the run status of all VCPUs.', notes: [] },
      arguments: [],
      returns: {
        kind: 'object',
        open: false,
        members: [
          m('running', bool, false, 'true if all VCPUs are runnable, false if not runnable', 2500),
          m('singlestep', bool, false, 'true if VCPUs are in single-step mode', 2501),
          m('status', { kind: 'enum', values: [{ name: 'debug' }, { name: 'paused' }, { name: 'running' }] }, false, 'VM run state', 2502),
        ],
      },
      examples: [
        {
          loc: at(2510),
          messages: [
            { direction: '->', text: '{ "execute": "query-status" }', json: { execute: 'query-status' }, loc: at(2510) },
            { direction: '<-', text: '', json: { return: { running: true, singlestep: false, status: 'running' } }, loc: at(2511) },
          ],
        },
      ],
      loc: at(2490),
    },
  ],
  events: [
    {
      name: 'STOP',
      doc: { description: 'Emitted when the virtual machine is stopped.', notes: [] },
      data: [],
      examples: [{ loc: at(600), messages: [{ direction: '<-', text: '', json: { event: 'STOP', timestamp: { seconds: 1265044230, microseconds: 450486 } }, loc: at(600) }] }],
      loc: at(590),
    },
  ],
};

const scratch = join(projectRoot, '.cache');
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(join(scratch, 'emit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the TypeScript emitter', () => {
  it('gives the same bytes for the same model', async () => {
    const options = { runtimeImport: join(projectRoot, 'runtime/index.js'), sourceDescription: 'test' };
    const a = await generateFiles(model, options);
    const b = await generateFiles(structuredClone(model), options);
    expect(a.files).toEqual(b.files);
  });

  it('emits strict-clean bindings in which typos, missing arguments and wrong enum values do not compile', async () => {
    const { files } = await generateFiles(model, { runtimeImport: join(projectRoot, 'runtime/index.js'), sourceDescription: 'test' });
    for (const f of files) writeFileSync(join(dir, f.path), f.text);
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { blockResize, eject, queryStatus, waitForEvent, type Commands, type Events } from './index.js';
import { QmpClient } from ${JSON.stringify(join(projectRoot, 'runtime/index.js'))};
export async function use(client: QmpClient<Commands, Events>): Promise<string> {
  await eject(client, { id: 'ide0-1-0', force: true });
  // @ts-expect-error a misspelt argument
  await eject(client, { devise: 'ide0-1-0' });
  await client.execute('eject', { device: 'x' });
  // @ts-expect-error a misspelt argument through the client
  await client.execute('eject', { devise: 'x' });
  await blockResize(client, { device: 'virtio0', size: 1 << 30 });
  // @ts-expect-error a missing required argument
  await blockResize(client, { device: 'virtio0' });
  // @ts-expect-error required arguments cannot be left out altogether
  await blockResize(client);
  const status = await queryStatus(client);
  // @ts-expect-error a wrong enum value
  const wrong: Commands['query-status']['returns']['status'] = 'sleeping';
  const stop = waitForEvent(client, 'STOP', { timeout: 1000 });
  // @ts-expect-error an event that does not exist
  waitForEvent(client, 'STOPPED');
  const data: Events['STOP'] = (await stop).data;
  return status.status + String(wrong) + JSON.stringify(data);
}
`,
    );
    expect(typecheck([join(dir, 'index.ts'), join(dir, 'examples.check.ts'), join(dir, 'consumer.ts')])).toEqual([]);
  });

  it('marks an example that contradicts the argument list, and tsc agrees it does not compile', async () => {
    const contradicted = structuredClone(model);
    contradicted.commands[0]!.arguments.pop(); // the 2.6 documents' `eject` had no `id`; the example uses it
    const { files, notes } = await generateFiles(contradicted, { runtimeImport: join(projectRoot, 'runtime/index.js'), sourceDescription: 'test' });
    const check = files.find((f) => f.path === 'examples.check.ts')!.text;
    expect(check).toContain('@ts-expect-error -- the example contradicts the documents: $.arguments: unknown member "id"');
    expect(notes.join('\n')).toMatch(/qmp-commands.txt:82:1: request of eject contradicts the documents/);
    const sub = mkdtempSync(join(dir, 'contra-'));
    for (const f of files) writeFileSync(join(sub, f.path), f.text);
    expect(typecheck([join(sub, 'examples.check.ts')])).toEqual([]);
  });
});
