import { describe, expect, it } from 'vitest';
import { parseShellLine, ShellSyntaxError } from '../../tools/shell/parse.js';
import { parseAddress } from '../../tools/address.js';

describe('qmp-shell input', () => {
  it('reads command key=value with JSON-looking values as JSON and the rest as strings', () => {
    expect(parseShellLine('block_resize device=virtio0 size=1073741824')).toEqual({ name: 'block_resize', args: { device: 'virtio0', size: 1073741824 } });
    expect(parseShellLine('eject device=ide1-cd0 force=true')).toEqual({ name: 'eject', args: { device: 'ide1-cd0', force: true } });
    expect(parseShellLine('set_link name=1x up=false')).toEqual({ name: 'set_link', args: { name: '1x', up: false } });
  });

  it('nests dotted keys and keeps quoted and bracketed values whole', () => {
    expect(parseShellLine('blockdev-add driver=file node-name=f0 filename="/tmp/a b.img" cache.direct=true cache.no-flush=false')).toEqual({
      name: 'blockdev-add',
      args: { driver: 'file', 'node-name': 'f0', filename: '/tmp/a b.img', cache: { direct: true, 'no-flush': false } },
    });
    expect(parseShellLine('x-foo list=[1, 2, {"a": "b c"}]')).toEqual({ name: 'x-foo', args: { list: [1, 2, { a: 'b c' }] } });
  });

  it('keeps integers beyond 2^53 exact, as bigint, in both forms', () => {
    expect(parseShellLine('qom-set path=/objects/io0 property=poll-max-ns value=9007199254740993')).toEqual({
      name: 'qom-set',
      args: { path: '/objects/io0', property: 'poll-max-ns', value: 9007199254740993n },
    });
    expect(parseShellLine('{"execute": "x", "arguments": {"a": [18446744073709551615]}}')).toEqual({ name: 'x', args: { a: [18446744073709551615n] } });
  });

  it('takes a raw JSON request', () => {
    expect(parseShellLine('{ "execute": "query-status" }')).toEqual({ name: 'query-status', args: {} });
    expect(parseShellLine('{"execute":"eject","arguments":{"id":"cd0"}}')).toEqual({ name: 'eject', args: { id: 'cd0' } });
  });

  it('ignores blank lines and comments', () => {
    expect(parseShellLine('   ')).toBeUndefined();
    expect(parseShellLine('# a comment')).toBeUndefined();
  });

  it('names the column of a malformed argument', () => {
    expect(() => parseShellLine('eject device')).toThrow(new ShellSyntaxError('expected key=value, got "device"', 7));
    expect(() => parseShellLine('eject a=1 a=2')).toThrow(/column 11: "a" is given twice/);
    expect(() => parseShellLine('eject a.__proto__.x=1')).toThrow(/not a usable key/);
    expect(() => parseShellLine('{"execute": }')).toThrow(ShellSyntaxError);
    expect(() => parseShellLine('x a="open')).toThrow(/unterminated string/);
  });
});

describe('tool addresses', () => {
  it('tells unix paths from host:port', () => {
    expect(parseAddress('/run/vm1.qmp')).toBe('/run/vm1.qmp');
    expect(parseAddress('unix:/run/vm1.qmp')).toBe('/run/vm1.qmp');
    expect(parseAddress('localhost:4444')).toEqual({ host: 'localhost', port: 4444 });
    expect(parseAddress('[::1]:4444')).toEqual({ host: '::1', port: 4444 });
    expect(() => parseAddress('localhost:99999')).toThrow(/port must be/);
  });
});
