import { describe, expect, it } from 'vitest';
import { parseGreeting } from '../../runtime/greeting.js';
import { QmpProtocolError } from '../../runtime/errors.js';
import { greeting72 } from './helpers/fixtures.js';

describe('parseGreeting', () => {
  it("reads QEMU 7.2's greeting (recorded)", () => {
    const g = parseGreeting(JSON.parse(greeting72) as Record<string, unknown>, 0);
    expect(g.version).toEqual({ qemu: { major: 7, minor: 2, micro: 22 }, package: 'Debian 1:7.2+dfsg-7+deb12u18+b3' });
    expect(g.capabilities).toEqual(['oob']);
    expect(g.legacyVersionString).toBe(false);
  });

  it('reads the 0.12-era string version (QEMU 0.13 qmp-spec.txt, 3.1)', () => {
    const g = parseGreeting({ QMP: { version: { qemu: '0.12.50', package: '' }, capabilities: [] } }, 0);
    expect(g.version?.qemu).toEqual({ major: 0, minor: 12, micro: 50 });
    expect(g.legacyVersionString).toBe(true);
  });

  it('reads the 3.0 example of qmp-spec.txt (QEMU 7.2, 3.1)', () => {
    const g = parseGreeting({ QMP: { version: { qemu: { micro: 0, minor: 0, major: 3 }, package: 'v3.0.0' }, capabilities: ['oob'] } }, 0);
    expect(g.version).toEqual({ qemu: { major: 3, minor: 0, micro: 0 }, package: 'v3.0.0' });
  });

  it('accepts a greeting without version, as early 0.12-era monitors sent it: version unknown', () => {
    const g = parseGreeting({ QMP: { capabilities: [] } }, 0);
    expect(g.version).toBeUndefined();
    expect(g.capabilities).toEqual([]);
    expect(g.raw).toEqual({ capabilities: [] });
  });

  it('rejects a hostile greeting nested too deep to print, with an excerpt all the same', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const error = (() => {
      try {
        parseGreeting({ QMP: { version: 7, capabilities: [], deep } }, 0);
      } catch (e) {
        return e as QmpProtocolError;
      }
    })();
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect(error!.message).toContain('"version" is not an object');
  });

  it.each([
    [{ QMP: 1 }, '"QMP" is not an object'],
    [{ QMP: { version: 'seven', capabilities: [] } }, '"version" is not an object'],
    [{ QMP: { version: { qemu: 'seven' } } }, 'is not a version'],
    [{ QMP: { version: { qemu: { major: 7 } } } }, 'lacks numeric'],
    [{ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: 'oob' } }, 'not an array of strings'],
  ])('rejects %j', (message, why) => {
    expect(() => parseGreeting(message as Record<string, unknown>, 42)).toThrow(QmpProtocolError);
    expect(() => parseGreeting(message as Record<string, unknown>, 42)).toThrow(why);
  });
});
