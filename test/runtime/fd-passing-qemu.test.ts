/**
 * Passing file descriptors to each real QEMU peer (7.2, 10.0.2, 11.1.3, the last in a chroot:
 * SCM_RIGHTS crosses into it as into any process): `add-fd` and a `file` blockdev opened through
 * `/dev/fdset/N` that QEMU writes into, `getfd`/`closefd`, the refusals, and the same sets made
 * at launch with `-add-fd`. What QEMU holds is read from `/proc/PID/fd`, not taken on trust.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { getfd, closefd, type Commands, type Events } from '../../generated/qemu-7.2.0/index.js';
import { FdPassingError, QmpClient, QmpError, type QemuProcess } from '../../runtime/index.js';
import { describeWithPeers, inside, killAll, launchPeer, startQemu, tempDir, type Peer } from './helpers/qemu.js';

afterEach(killAll);

/** The optional native module is a devDependency: missing, these suites skip (fail under CI). */
const nativeMissing = await import('qmp-sdk-scm-rights').then(
  () => undefined,
  (error: unknown) => `qmp-sdk-scm-rights is not built (${(error as Error).message.split('\n')[0]}): npm install`,
);

const launched: QemuProcess[] = [];
afterEach(async () => {
  await Promise.all(launched.splice(0).map((vm) => vm.shutdown({ timeout: 1000 })));
});

/** What QEMU's descriptor `fd` is open on (a host path), or undefined when it is not open. */
function qemuFile(pid: number, fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** Every path QEMU has open. */
function qemuFiles(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => qemuFile(pid, Number(fd)) ?? '');
}

/** A descriptor number this process does not have open. */
function notOpen(): number {
  const open = new Set(readdirSync('/proc/self/fd').map(Number));
  let fd = 1000;
  while (open.has(fd)) fd++;
  return fd;
}

/** A file of `size` random bytes, and an empty one of the same size opened read-write. */
function files(peer: Peer, size: number): { source: string; data: Buffer; target: string; fd: number } {
  const dir = tempDir('qmp-fd-', peer);
  const data = randomBytes(size);
  const source = join(dir, 'source.raw');
  const target = join(dir, 'target.raw');
  writeFileSync(source, data);
  writeFileSync(target, Buffer.alloc(size));
  const fd = openSync(target, 'r+');
  onTestFinished(() => closeSync(fd));
  return { source, data, target, fd };
}

/**
 * Copies the `source` file into the fd set's file: QEMU opens `/dev/fdset/SET` as a `file`
 * node and writes into it with blockdev-backup (sync full), then lets both nodes go.
 */
async function copyThroughFdset(client: QmpClient<Commands, Events>, peer: Peer, source: string, set: number): Promise<void> {
  await client.execute('blockdev-add', { driver: 'file', 'node-name': 'src', filename: inside(peer, source), 'read-only': true });
  await client.execute('blockdev-add', { driver: 'file', 'node-name': 'dst', filename: `/dev/fdset/${set}` });
  const done = client.waitForEvent('BLOCK_JOB_COMPLETED', { filter: (e) => e.data.device === 'copy', timeout: 20_000 });
  await client.execute('blockdev-backup', { 'job-id': 'copy', device: 'src', target: 'dst', sync: 'full' });
  const completed = await done;
  expect(completed.data.error).toBeUndefined();
  expect(completed.data.offset).toBe(completed.data.len);
  await client.execute('blockdev-del', { 'node-name': 'dst' });
  await client.execute('blockdev-del', { 'node-name': 'src' });
}

function suite(peer: Peer): void {
  it('add-fd puts a temporary file in an fd set; a file blockdev opened through /dev/fdset/N takes what QEMU writes; remove-fd empties query-fdsets', async () => {
    const qemu = await startQemu(peer);
    await using client = await QmpClient.connect<Commands, Events>(qemu.socket);
    const { source, data, target, fd } = files(peer, 256 * 1024);
    expect(await client.execute('query-fdsets')).toEqual([]);

    const added = await client.execute('add-fd', { opaque: 'target, raw' }, { fd });
    expect(qemuFile(qemu.pid, added.fd)).toBe(target); // QEMU's own copy of our descriptor
    expect(await client.execute('query-fdsets')).toEqual([{ 'fdset-id': added['fdset-id'], fds: [{ fd: added.fd, opaque: 'target, raw' }] }]);

    await copyThroughFdset(client, peer, source, added['fdset-id']);
    expect(readFileSync(target).equals(data)).toBe(true);

    await client.execute('remove-fd', { 'fdset-id': added['fdset-id'] });
    expect(await client.execute('query-fdsets')).toEqual([]);
    expect(qemuFile(qemu.pid, added.fd)).toBeUndefined();
  });

  it('getfd names a descriptor (through the generated function) that QEMU holds until closefd', async () => {
    const qemu = await startQemu(peer);
    await using client = await QmpClient.connect<Commands, Events>(qemu.socket);
    const marker = join(tempDir('qmp-fd-', peer), 'marker');
    writeFileSync(marker, 'x');
    const fd = openSync(marker, 'r');
    onTestFinished(() => closeSync(fd));
    expect(qemuFiles(qemu.pid)).not.toContain(marker);
    expect(await getfd(client, { fdname: 'marker' }, { fd })).toEqual({});
    expect(qemuFiles(qemu.pid)).toContain(marker);
    expect(await closefd(client, { fdname: 'marker' })).toEqual({});
    expect(qemuFiles(qemu.pid)).not.toContain(marker);
  });

  it('refuses as QmpError: getfd and add-fd without a descriptor, closefd of a name closed or never given, remove-fd of an unknown set or descriptor', async () => {
    const qemu = await startQemu(peer);
    await using client = await QmpClient.connect<Commands, Events>(qemu.socket);
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    const noFd = await refused(client.execute('getfd', { fdname: 'nothing' }));
    expect(noFd).toBeInstanceOf(QmpError);
    expect(noFd).toMatchObject({ command: 'getfd', errorClass: 'GenericError', desc: expect.stringMatching(/SCM_RIGHTS/) });
    expect(await refused(client.execute('add-fd', {}))).toMatchObject({ name: 'QmpError', command: 'add-fd', desc: expect.stringMatching(/SCM_RIGHTS/) });
    expect(await refused(client.execute('closefd', { fdname: 'never-given' }))).toMatchObject({
      name: 'QmpError',
      command: 'closefd',
      desc: expect.stringContaining('never-given'),
    });

    const fd = openSync(join(tempDir('qmp-fd-', peer), 'f'), 'w');
    onTestFinished(() => closeSync(fd));
    await client.execute('getfd', { fdname: 'once' }, { fd });
    await client.execute('closefd', { fdname: 'once' });
    expect(await refused(client.execute('closefd', { fdname: 'once' }))).toMatchObject({
      name: 'QmpError',
      errorClass: 'GenericError',
      desc: expect.stringContaining('once'),
    });

    expect(await refused(client.execute('remove-fd', { 'fdset-id': 77 }))).toMatchObject({
      name: 'QmpError',
      command: 'remove-fd',
      errorClass: 'GenericError',
    });
    const added = await client.execute('add-fd', { 'fdset-id': 5 }, { fd });
    expect(await refused(client.execute('remove-fd', { 'fdset-id': 5, fd: added.fd + 100 }))).toMatchObject({ name: 'QmpError', command: 'remove-fd' });
    await client.execute('remove-fd', { 'fdset-id': 5, fd: added.fd });
    expect(await refused(client.execute('remove-fd', { 'fdset-id': 5, fd: added.fd }))).toMatchObject({ name: 'QmpError', command: 'remove-fd' });
    expect(await client.execute('query-status')).toMatchObject({ running: true });
  });

  it('a descriptor this process does not have open is refused before anything is sent (FdPassingError, EBADF); the connection goes on', async () => {
    const qemu = await startQemu(peer);
    await using client = await QmpClient.connect<Commands, Events>(qemu.socket);
    const bad = notOpen();
    const error = await client.execute('getfd', { fdname: 'gone' }, { fd: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FdPassingError);
    expect(error).toMatchObject({ command: 'getfd', fd: bad, code: 'EBADF', message: expect.stringContaining(`${bad} is not an open descriptor`) });
    // nothing reached QEMU: the name is unknown there, and the connection is fine
    await expect(client.execute('closefd', { fdname: 'gone' })).rejects.toBeInstanceOf(QmpError);
    expect(client.state).toBe('open');
  });

  it('keeps the order of calls made around descriptors: 20 add-fd pipelined with other commands each get their own file', async () => {
    const qemu = await startQemu(peer);
    await using client = await QmpClient.connect<Commands, Events>(qemu.socket);
    const dir = tempDir('qmp-fd-', peer);
    const paths = Array.from({ length: 20 }, (_, i) => join(dir, `file-${i}`));
    const fds = paths.map((path) => {
      writeFileSync(path, '');
      return openSync(path, 'r');
    });
    onTestFinished(() => fds.forEach((fd) => closeSync(fd)));
    // none awaited before the next is made: getfd, then closefd of the same name, must arrive in that order
    const calls = fds.map((fd, i) =>
      Promise.all([
        client.execute('add-fd', { 'fdset-id': 100 + i }, { fd }),
        client.execute('getfd', { fdname: `n${i}` }, { fd }),
        client.execute('closefd', { fdname: `n${i}` }),
        client.execute('query-status'),
      ]),
    );
    const replies = await Promise.all(calls);
    replies.forEach(([added, named, closed, status], i) => {
      expect(added['fdset-id']).toBe(100 + i);
      expect(qemuFile(qemu.pid, added.fd)).toBe(paths[i]);
      expect([named, closed]).toEqual([{}, {}]);
      expect(status.running).toBe(true);
    });
    const sets = await client.execute('query-fdsets');
    expect(sets.map((s) => s['fdset-id']).sort((a, b) => a - b)).toEqual(paths.map((_, i) => 100 + i));
  });

  it('at launch: -add-fd hands a file to the fd set QEMU then opens as /dev/fdset/N and writes into', async () => {
    const { source, data, target, fd } = files(peer, 128 * 1024);
    const marker = join(tempDir('qmp-fd-', peer), 'marker');
    writeFileSync(marker, '');
    const other = openSync(marker, 'r');
    onTestFinished(() => closeSync(other));
    const vm = await launchPeer<Commands, Events>(peer, {
      fds: [
        { fd, opaque: 'disk,0' },
        { fd: other, set: 0 },
      ],
    });
    launched.push(vm);
    expect(vm.fdsets).toEqual([1, 0]); // the explicit set 0 is taken: the other gets the lowest free one
    const sets = await vm.client.execute('query-fdsets');
    const bySet = new Map(sets.map((s) => [s['fdset-id'], s.fds]));
    expect(bySet.get(1)).toEqual([{ fd: expect.any(Number), opaque: 'disk,0' }]); // a doubled comma reads back as one
    expect(bySet.get(0)).toEqual([{ fd: expect.any(Number) }]);
    expect(qemuFile(vm.pid, bySet.get(1)![0]!.fd)).toBe(target);
    expect(qemuFile(vm.pid, bySet.get(0)![0]!.fd)).toBe(marker);
    await copyThroughFdset(vm.client, peer, source, 1);
    expect(readFileSync(target).equals(data)).toBe(true);
    await vm.client.execute('remove-fd', { 'fdset-id': 1 });
    expect((await vm.client.execute('query-fdsets')).map((s) => s['fdset-id'])).toEqual([0]);
  });
}

if (nativeMissing === undefined) describeWithPeers((peer) => `passing file descriptors to ${peer.label}`, suite);
else if (process.env.CI) {
  describe('passing file descriptors', () => {
    it('needs qmp-sdk-scm-rights, which CI must build', () => {
      throw new Error(nativeMissing);
    });
  });
} else
  describe.skip(`passing file descriptors (skipped: ${nativeMissing})`, () => describeWithPeers((peer) => `passing file descriptors to ${peer.label}`, suite));
