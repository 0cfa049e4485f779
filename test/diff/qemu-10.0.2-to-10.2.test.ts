/**
 * QEMU 10.0.2 → 10.2.0, each release under its own Linux x86_64 preset (as the upgrade report
 * generated/upgrades/qemu-10.0.2-to-10.2.0.md is made). Each expectation checked by hand in the
 * schemas in spec/ (paths under qapi-schema/qapi/).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diffModels, type ModelDiff } from '../../codegen/diff/compare.js';
import { readModel } from '../../codegen/frontends/index.js';
import { targets } from '../../codegen/targets.js';

const target = (name: string) => {
  const t = targets.find((x) => x.name === name)!;
  return readModel(t.inputs, { conditions: t.configuration });
};

let d: ModelDiff;
beforeAll(() => {
  d = diffModels(target('qemu-10.0.2'), target('qemu-10.2.0'));
});

describe('the QEMU 10.0.2 → 10.2.0 diff (Linux x86_64)', () => {
  it('breaks a client in three places', () => {
    expect(
      d.changes
        .filter((c) => c.breaking)
        .map((c) => `${c.message} [${c.reaches?.map((r) => r.name).join(', ') ?? ''}]`)
        .sort(),
    ).toEqual([
      'command x-query-opcount removed []', // machine.json:1777 in 10.0.2, gone in 10.2
      // The deprecated reconnect (char.json:302, net.json:671 in 10.0.2) is gone; reconnect-ms stays.
      'type ChardevSocket: member reconnect removed [chardev-add, chardev-change]',
      'type NetdevStreamOptions: member reconnect removed [netdev_add]',
    ]);
  });

  it('lists the three types renamed with their wire unchanged as TypeScript notes, not as removed and added', () => {
    expect(
      d.changes
        .filter((c) => c.severity === 'note')
        .map((c) => c.message)
        .sort(),
    ).toEqual([
      // misc-target.json:351,372 in 10.0.2 → misc-i386.json:306,327 in 10.2; machine.json:286 → 285.
      'type SGXEPCSection is now SgxEpcSection: the same on the wire; TypeScript code that names SGXEPCSection there must change',
      'type SGXInfo is now SgxInfo: the same on the wire; TypeScript code that names SGXInfo there must change',
      'type TargetInfo is now QemuTargetInfo: the same on the wire; TypeScript code that names TargetInfo there must change',
    ]);
    expect(d.changes.find((c) => c.oldName === 'SGXInfo')!.reaches!.map((r) => r.name)).toEqual(['query-sgx', 'query-sgx-capabilities']);
    expect(d.changes.filter((c) => c.kind === 'removed' || c.kind === 'added').every((c) => c.subject !== 'type')).toBe(true);
  });

  it('reports each new member once, where a client meets it', () => {
    const about = (text: string) => d.changes.filter((c) => c.message.includes(text)).map((c) => c.message);
    // 10.2 migration.json: MigrateSetParameters (migrate-set-parameters' own type) and MigrationParameters (query-migrate-parameters' reply).
    expect(about('cpr-exec-command')).toEqual([
      'command migrate-set-parameters: argument cpr-exec-command added',
      'command query-migrate-parameters: member returns.cpr-exec-command added',
    ]);
    // 10.2 adds on-cbw-error to BackupCommon (block-core.json:1739), the base of DriveBackup and BlockdevBackup.
    expect(d.changes.filter((c) => c.message.includes('on-cbw-error'))).toEqual([
      expect.objectContaining({
        message: 'type BackupCommon: member on-cbw-error added',
        reaches: [
          { subject: 'command', name: 'blockdev-backup', via: 'arguments' },
          { subject: 'command', name: 'drive-backup', via: 'arguments' },
          { subject: 'command', name: 'transaction', via: 'arguments' },
        ],
      }),
    ]);
    expect(about('target-is-zero')).toEqual(['command blockdev-mirror: argument target-is-zero added']);
    expect(about('keep-alive-count')).toEqual(['type InetSocketAddress: member keep-alive-count added']);
    expect(about('postcopy-latency-dist')).toEqual(['command query-migrate: member returns.postcopy-latency-dist added']);
  });

  it('judges what a client receives: a reply member made required is compatible, a new enum value comes with a note', () => {
    // BlockDeviceInfo: '*node-name' in 10.0.2 (block-core.json:561), 'node-name' in 10.2 (652).
    expect(d.changes.find((c) => c.name === 'BlockDeviceInfo' && c.member === 'node-name')).toMatchObject({
      kind: 'optional-to-required',
      breaking: false,
      directions: ['output'],
    });
    // MigrationStatus gains postcopy-device: query-migrate returns it, MIGRATION sends it.
    expect(d.changes.find((c) => c.name === 'MigrationStatus' && c.kind === 'enum-value-added')).toMatchObject({
      note: 'a switch over received values may not expect it',
      severity: 'compatible',
    });
  });

  it('counts 3 breaking, 44 compatible, 3 notes', () => {
    expect([d.breaking, d.compatible, d.notes]).toEqual([3, 44, 3]);
  });
});
