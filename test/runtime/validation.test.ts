/**
 * The `validate` option: replies and events checked against a target's schema.json through a
 * validator the user passes in (Ajv here). Against real QEMU, what QEMU sends passes; the
 * mismatches come from a scripted peer, as a real QEMU does not send them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { QgaClient, QmpClient, QmpValidationError, schemaValidator, type TargetJsonSchema } from '../../runtime/index.js';
import { projectRoot } from '../support/typecheck.js';
import { fakeServer, type FakeServer } from './helpers/fake-server.js';
import { describeWithPeers, killAll, startQemu, type Peer } from './helpers/qemu.js';

const schemaOf = (target: string): TargetJsonSchema =>
  JSON.parse(readFileSync(join(projectRoot, 'generated', target, 'schema.json'), 'utf8')) as TargetJsonSchema;
const validator = (target = 'qemu-7.2.0') => schemaValidator(new Ajv({ allErrors: true, strict: false }), schemaOf(target));

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('reply validation against a scripted peer', () => {
  it('rejects a reply that breaks its schema with QmpValidationError: command, id, JSON path, expected, received', async () => {
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      const request = await peer.request();
      peer.reply(request, { running: 'yes', singlestep: false, status: 'running' });
    });
    await using client = await QmpClient.connect(server.path, { validate: validator() });
    const error = await client.execute('query-status').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QmpValidationError);
    const v = error as QmpValidationError;
    expect({ command: v.command, path: v.path, expected: v.expected, received: v.received }).toEqual({
      command: 'query-status',
      path: '/running',
      expected: 'must be boolean',
      received: 'yes',
    });
    expect(typeof v.id).toBe('number');
    expect(v.value).toEqual({ running: 'yes', singlestep: false, status: 'running' });
    expect(v.message).toMatch(/^query-status \(id \d+\): return\/running must be boolean, received "yes"/);
  });

  it('names a missing required member at its own path, and an enum value the schema does not have', async () => {
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      peer.reply(await peer.request(), { running: true, status: 'dancing' });
    });
    await using client = await QmpClient.connect(server.path, { validate: validator() });
    const error = (await client.execute('query-status').catch((e: unknown) => e)) as QmpValidationError;
    expect(error.issues.map((i) => [i.path, i.received])).toEqual(
      expect.arrayContaining([
        ['/status', 'dancing'],
        ['/singlestep', undefined],
      ]),
    );
  });

  it('lets a conforming reply through unchanged, and a command the schema does not know', async () => {
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      peer.reply(await peer.request(), { running: true, singlestep: false, status: 'running' });
      peer.reply(await peer.request(), { anything: 1 });
    });
    await using client = await QmpClient.connect(server.path, { validate: validator() });
    expect(await client.execute('query-status')).toEqual({ running: true, singlestep: false, status: 'running' });
    expect(await client.request('x-vendor-query')).toEqual({ anything: 1 });
  });

  it('reports an event whose data breaks its schema through onError, and still delivers it', async () => {
    const errors: Error[] = [];
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      peer.send('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": "no", "reason": "host-qmp-quit"}}\r\n');
    });
    await using client = await QmpClient.connect(server.path, { validate: validator(), onError: (e) => errors.push(e) });
    const event = await client.waitForEvent('SHUTDOWN', { timeout: 5000 });
    expect(event.data).toEqual({ guest: 'no', reason: 'host-qmp-quit' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(QmpValidationError);
    expect(errors[0]).toMatchObject({ event: 'SHUTDOWN', command: undefined, path: '/guest', expected: 'must be boolean', received: 'no' });
  });

  it('checks wide integers delivered as bigint as the integers they are', async () => {
    server = await fakeServer(async (peer) => {
      await peer.negotiate();
      peer.send(`{"return": {"actual": 18446744073709551615}, "id": ${JSON.stringify((await peer.request()).id)}}\r\n`);
    });
    await using client = await QmpClient.connect(server.path, { validate: validator(), integers: 'bigint' });
    expect(await client.execute('query-balloon')).toEqual({ actual: 18446744073709551615n });
  });

  it("validates the guest agent's replies too", async () => {
    server = await fakeServer(async (peer) => {
      for (;;) {
        const request = await peer.request();
        if (request.execute === 'guest-sync-delimited') peer.send(`\xff{"return": ${JSON.stringify(request.arguments!.id)}}\n`);
        else peer.send('{"return": {"version": 7, "supported_commands": []}}\n');
      }
    });
    await using agent = await QgaClient.connect(server.path, { validate: validator('qga-7.2.0') });
    await expect(agent.execute('guest-info')).rejects.toMatchObject({
      name: 'QmpValidationError',
      command: 'guest-info',
      path: '/version',
      expected: 'must be string',
      received: 7,
    });
  });
});

/** Each peer's replies against its own release's schema (11.1 once its target is generated). */
const targetOf = (peer: Peer) => ({ '7.2': 'qemu-7.2.0', '10.0': 'qemu-10.0.2', '11.1': 'qemu-11.1.3' })[peer.name];

describeWithPeers(
  (peer) => `reply validation against ${peer.label}`,
  (peer) => {
    afterEach(() => killAll());
    const target = targetOf(peer);
    const have = existsSync(join(projectRoot, 'generated', target, 'schema.json'));
    it.skipIf(!have)(`passes what QEMU really sends: query-status, query-version, query-commands and the STOP event, against ${target}`, async () => {
      const errors: Error[] = [];
      const qemu = await startQemu(peer);
      await using client = await QmpClient.connect(qemu.socket, { validate: validator(target), onError: (e) => errors.push(e) });
      const stopped = client.waitForEvent('STOP', { timeout: 5000 });
      await client.execute('stop');
      await stopped;
      expect(await client.execute('query-status')).toMatchObject({ running: false, status: 'paused' });
      await client.execute('query-version');
      await client.execute('query-commands');
      expect(errors).toEqual([]);
    });
  },
);
