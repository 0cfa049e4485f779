/**
 * Diffs of QEMU's text documents between releases, pinned to what the documents really say:
 * every change listed, each checked by hand against the qmp-commands.txt and qmp-events.txt in
 * spec/ (the line numbers are 2.1.0's and 2.8.0's unless said). Text documents name no types, so
 * every change is under a command or event and there is nothing to rename.
 */
import { describe, expect, it } from 'vitest';
import { diffModels, type ModelDiff } from '../../codegen/diff/compare.js';
import { readModel } from '../../codegen/frontends/index.js';
import { renderText } from '../../codegen/diff/render.js';

const release = (r: string): ReturnType<typeof readModel> => readModel([`spec/qemu-${r}/qmp-commands.txt`, `spec/qemu-${r}/qmp-events.txt`]);
const lines = (d: ModelDiff) => renderText(d).split('\n').slice(1).filter(Boolean);

describe('2.7.0 → 2.8.0', () => {
  const d = diffModels(release('2.7.0'), release('2.8.0'));

  it('reports every change the documents make, and nothing else', () => {
    expect(lines(d)).toEqual([
      // 2.8 flattened blockdev-add: its options are the arguments themselves (line 3142 on).
      'BREAKING   command blockdev-add: argument options removed (was required)',
      // 2.8 lists three more parameters, none marked "(optional)" (lines 2929-2932), so the
      // documents call them required; the 2.8 schema makes them optional.
      'BREAKING   command migrate-set-parameters: required argument downtime-limit added',
      'BREAKING   command migrate-set-parameters: required argument max-bandwidth added',
      'BREAKING   command migrate-set-parameters: required argument x-checkpoint-delay added',
      // x-blockdev-del takes node-name only (line 3202).
      'BREAKING   command x-blockdev-del: argument id removed',
      'BREAKING   command x-blockdev-del: argument node-name changed from optional to required',
      'compatible command block-stream: argument base-node added',
      // 2.8 lets block commands name the device by its @id; "device" is optional and deprecated.
      'compatible command block_set_io_throttle: argument device deprecated: use @id instead',
      'compatible command block_set_io_throttle: argument device changed from required to optional',
      'compatible command block_set_io_throttle: argument id added',
      'compatible command blockdev-backup: argument compress added',
      'compatible command blockdev-change-medium: argument device deprecated: use @id instead',
      'compatible command blockdev-change-medium: argument device changed from required to optional',
      'compatible command blockdev-change-medium: argument id added',
      'compatible command blockdev-close-tray: argument device deprecated: use @id instead',
      'compatible command blockdev-close-tray: argument device changed from required to optional',
      'compatible command blockdev-close-tray: argument id added',
      'compatible command blockdev-open-tray: argument device deprecated: use @id instead',
      'compatible command blockdev-open-tray: argument device changed from required to optional',
      'compatible command blockdev-open-tray: argument id added',
      'compatible command drive-backup: argument compress added',
      'compatible command eject: argument device deprecated: use @id instead',
      'compatible command eject: argument device changed from required to optional',
      'compatible command eject: argument id added',
      // 2.7's list of "drv" values has "tftp" (2.7 line 1783), 2.8's has not: a reader loses nothing.
      "compatible command query-block: returns[].inserted.drv: enum value 'tftp' removed",
      'compatible command query-migrate-capabilities: member returns.capabilities.x-colo added', // line 2899
      'compatible command query-migrate-parameters: member returns.parameters.downtime-limit added', // line 2956
      'compatible command query-migrate-parameters: member returns.parameters.max-bandwidth added', // line 2954
      'compatible command x-blockdev-insert-medium: argument device deprecated: use @id instead',
      'compatible command x-blockdev-insert-medium: argument device changed from required to optional',
      'compatible command x-blockdev-insert-medium: argument id added',
      'compatible command x-blockdev-remove-medium: argument device deprecated: use @id instead',
      'compatible command x-blockdev-remove-medium: argument device changed from required to optional',
      'compatible command x-blockdev-remove-medium: argument id added',
      'compatible command x-colo-lost-heartbeat added', // new in 2.8 (COLO), line 557
      'compatible event BLOCK_IO_ERROR: data member node-name added',
      'compatible event DEVICE_TRAY_MOVED: data member id added', // qmp-events.txt line 71
    ]);
    expect([d.breaking, d.compatible, d.notes]).toEqual([6, 31, 0]);
    expect(d.changes.filter((c) => c.subject === 'type')).toEqual([]);
  });
});

describe('2.0.0 → 2.1.0', () => {
  const d = diffModels(release('2.0.0'), release('2.1.0'));

  it('reports every change the documents make, and nothing else', () => {
    expect(lines(d)).toEqual([
      // 2.1 renamed the quorum events' sector-count to sectors-count (qmp-events.txt lines 268,
      // 290): a reader of the old name breaks; the new name is an added member.
      'BREAKING   event QUORUM_FAILURE: data member sector-count removed (was required)',
      'BREAKING   event QUORUM_REPORT_BAD: data member sector-count removed (was required)',
      'compatible command block-commit: argument backing-file added',
      'compatible command block-commit: argument top changed from required to optional', // 2.1: top defaults to the active layer
      'compatible command change-backing-file added',
      'compatible command drive-mirror: argument node-name added',
      'compatible command drive-mirror: argument replaces added',
      'compatible command query-acpi-ospm-status added',
      'compatible command query-block: member returns[].inserted.detect_zeroes added', // line 1480
      'compatible command query-chardev: member returns[].frontend-open added', // line 1378
      'compatible command query-command-line-options: member returns[].parameters[].default added',
      'compatible command query-memdev added',
      'compatible command query-memory-devices added',
      'compatible command query-migrate: member returns.ram.dirty-sync-count added', // line 2301
      // "setup" joins the possible values of status (line 2271): compatible for a reader, with a note.
      "compatible command query-migrate: returns.status: enum value 'setup' added (note: a switch over received values may not expect it)",
      'compatible command query-migrate: member returns.xbzrle-cache.cache-miss-rate added', // line 2313
      'compatible command rtc-reset-reinjection added',
      'compatible event ACPI_DEVICE_OST added',
      // 2.0 documents BLOCK_JOB_READY's data as "device" only; 2.1 as type, device, len, offset, speed.
      'compatible event BLOCK_JOB_READY: data member len added',
      'compatible event BLOCK_JOB_READY: data member offset added',
      'compatible event BLOCK_JOB_READY: data member speed added',
      'compatible event BLOCK_JOB_READY: data member type added',
      'compatible event POWERDOWN added',
      'compatible event QUORUM_FAILURE: data member sectors-count added',
      'compatible event QUORUM_REPORT_BAD: data member sectors-count added',
      'compatible event SPICE_MIGRATE_COMPLETED added',
      'compatible event VSERPORT_CHANGE added',
    ]);
    expect([d.breaking, d.compatible, d.notes]).toEqual([2, 25, 0]);
  });

  it('says how clients meet each change: a removed event member is received, a new argument sent', () => {
    const removed = d.changes.find((c) => c.name === 'QUORUM_FAILURE' && c.kind === 'member-removed')!;
    expect(removed).toMatchObject({ directions: ['output'], breakingFor: ['output'], reaches: [{ subject: 'event', name: 'QUORUM_FAILURE', via: 'data' }] });
    const added = d.changes.find((c) => c.name === 'drive-mirror' && c.member === 'arguments.replaces')!;
    expect(added).toMatchObject({ directions: ['input'], severity: 'compatible' });
    expect(added.breakingFor).toBeUndefined();
  });
});
