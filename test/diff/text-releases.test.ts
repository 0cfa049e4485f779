/**
 * Diffs of QEMU's text documents between releases, pinned to what the documents really say
 * (each entry checked by hand against the qmp-commands.txt and qmp-events.txt in spec/).
 */
import { describe, expect, it } from 'vitest';
import { diffModels, type ModelDiff } from '../../codegen/diff/compare.js';
import { readModel } from '../../codegen/frontends/index.js';
import { renderText } from '../../codegen/diff/render.js';

const release = (r: string): ReturnType<typeof readModel> => readModel([`spec/qemu-${r}/qmp-commands.txt`, `spec/qemu-${r}/qmp-events.txt`]);
const lines = (d: ModelDiff) => renderText(d).split('\n').slice(1).filter(Boolean);

describe('2.7.0 → 2.8.0', () => {
  const d = diffModels(release('2.7.0'), release('2.8.0'));
  it('reports the commands and arguments that changed', () => {
    expect(lines(d)).toEqual(
      expect.arrayContaining([
        'compatible command x-colo-lost-heartbeat added', // new in 2.8 (COLO)
        'compatible command eject: argument id added', // 2.8 lets block commands name the device by @id
        'compatible command eject: argument device changed from required to optional',
        'compatible command eject: argument device deprecated: use @id instead',
        'compatible command block-stream: argument base-node added',
        'compatible command blockdev-backup: argument compress added',
        'BREAKING   command blockdev-add: argument options removed (was required)', // 2.8 flattened blockdev-add
        'BREAKING   command x-blockdev-del: argument id removed', // 2.8: x-blockdev-del takes node-name only
        'BREAKING   command x-blockdev-del: argument node-name changed from optional to required',
      ]),
    );
    expect(d.breaking).toBeGreaterThan(0);
  });
});

describe('2.0.0 → 2.1.0', () => {
  const d = diffModels(release('2.0.0'), release('2.1.0'));
  it('reports the commands, events and members that changed', () => {
    const added = d.changes.filter((c) => c.kind === 'added').map((c) => `${c.subject} ${c.name}`).sort();
    expect(added).toEqual([
      'command change-backing-file',
      'command query-acpi-ospm-status',
      'command query-memdev',
      'command query-memory-devices',
      'command rtc-reset-reinjection',
      'event ACPI_DEVICE_OST',
      'event POWERDOWN',
      'event SPICE_MIGRATE_COMPLETED',
      'event VSERPORT_CHANGE',
    ]);
    expect(d.changes.filter((c) => c.kind === 'removed')).toEqual([]);
    expect(lines(d)).toEqual(
      expect.arrayContaining([
        'compatible command block-commit: argument top changed from required to optional', // 2.1: top defaults to the active layer
        'compatible command block-commit: argument backing-file added',
        'compatible command drive-mirror: argument node-name added',
        'compatible command drive-mirror: argument replaces added',
        // 2.1 renamed the quorum events' sector-count to sectors-count: a reader of the old name breaks.
        'BREAKING   event QUORUM_FAILURE: data member sector-count removed (was required)',
        'compatible event QUORUM_FAILURE: data member sectors-count added',
      ]),
    );
    expect(d.breaking).toBe(2);
  });
});
