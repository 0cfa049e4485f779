/** The peer cache's decisions: what is complete, what an interrupted preparation left. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheState, discard, mountsBelow, stalePartials, type PeerManifest } from './peers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-peers-test-'));
  dirs.push(dir);
  return dir;
}

/** A peer folder with a tree holding both binaries, and optionally its peer.json. */
function folder(withManifest: boolean): string {
  const peer = join(scratch(), 'qemu-11.1');
  for (const file of ['root/usr/bin/qemu-system-x86_64', 'root/usr/sbin/qemu-ga']) {
    mkdirSync(join(peer, file, '..'), { recursive: true });
    writeFileSync(join(peer, file), '');
  }
  const manifest: PeerManifest = { name: '11.1', version: '11.1.3', packages: {}, from: 'sid', preparedAt: '', seconds: 1, root: 'root' };
  if (withManifest) writeFileSync(join(peer, 'peer.json'), JSON.stringify(manifest));
  return peer;
}

describe('the peer cache', () => {
  it('trusts a folder with its peer.json and both binaries', () => {
    expect(cacheState(folder(true), '11.1')).toMatchObject({ complete: true, manifest: { version: '11.1.3' } });
  });

  it('does not trust a folder without peer.json (preparation writes it last)', () => {
    expect(cacheState(folder(false), '11.1')).toMatchObject({ complete: false, reason: expect.stringContaining('no peer.json') });
  });

  it('does not trust a root holding an unfinished debootstrap, nor one missing a binary', () => {
    const unfinished = folder(true);
    mkdirSync(join(unfinished, 'root/debootstrap'));
    expect(cacheState(unfinished, '11.1')).toMatchObject({ complete: false, reason: expect.stringContaining('unfinished debootstrap') });
    const noAgent = folder(true);
    rmSync(join(noAgent, 'root/usr/sbin/qemu-ga'));
    expect(cacheState(noAgent, '11.1')).toMatchObject({ complete: false, reason: expect.stringContaining('qemu-ga is missing') });
  });

  it("does not take one peer's record for another's", () => {
    expect(cacheState(folder(true), '10.0')).toMatchObject({ complete: false, reason: expect.stringContaining('not a 10.0 record') });
  });

  it('finds the partial folders of preparations that are no longer running', () => {
    const dir = scratch();
    for (const name of ['qemu-11.1.partial-111', 'qemu-11.1.partial-222', 'qemu-10.0', 'qemu-11.1']) mkdirSync(join(dir, name));
    expect(stalePartials(dir, (pid) => pid === 222)).toEqual([join(dir, 'qemu-11.1.partial-111')]);
  });

  it('lists the mounts an interrupted debootstrap left below a folder, deepest first, unescaping spaces', () => {
    const info = [
      '22 1 8:1 / / rw - ext4 /dev/vda rw',
      '90 22 0:5 / /cache/qemu-11.1.partial-7/root/proc rw - proc proc rw',
      '91 90 0:6 / /cache/qemu-11.1.partial-7/root/proc/sys/fs/binfmt_misc rw - binfmt_misc x rw',
      '92 22 0:7 / /cache/qemu-11.1.partial-70/root/sys rw - sysfs sysfs rw',
      '93 22 0:8 / /cache/a\\040b/root/sys rw - sysfs sysfs rw',
    ].join('\n');
    expect(mountsBelow('/cache/qemu-11.1.partial-7', info)).toEqual([
      '/cache/qemu-11.1.partial-7/root/proc/sys/fs/binfmt_misc',
      '/cache/qemu-11.1.partial-7/root/proc',
    ]);
    expect(mountsBelow('/cache/a b', info)).toEqual(['/cache/a b/root/sys']);
  });

  it('discards a folder and everything in it', () => {
    const peer = folder(false);
    discard(peer);
    expect(cacheState(peer, '11.1')).toMatchObject({ complete: false, reason: expect.stringContaining('not prepared') });
  });
});
