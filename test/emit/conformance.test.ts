import { describe, expect, it } from 'vitest';
import { ConformanceChecker } from '../../codegen/ir/conformance.js';
import type { Member, NamedType } from '../../codegen/ir/types.js';

const loc = { file: 't', line: 1, column: 1 };
const member = (name: string, type: Member['type'], optional = false): Member => ({ name, type, optional, loc });
const str = { kind: 'builtin', name: 'str' } as const;
const int = { kind: 'builtin', name: 'int' } as const;
const doc = { description: '', notes: [] };

// The shape of QEMU 7.2's BlockdevOptions, cut down: a union on `driver` over a named enum.
const types: NamedType[] = [
  { kind: 'enum', name: 'BlockdevDriver', values: [{ name: 'file' }, { name: 'null-co' }], doc, loc },
  { kind: 'struct', name: 'BlockdevOptionsFile', members: [member('filename', str)], doc, loc },
  {
    kind: 'union',
    name: 'BlockdevOptions',
    baseMembers: [member('driver', { kind: 'named', name: 'BlockdevDriver' }), member('node-name', str, true)],
    discriminator: 'driver',
    variants: [{ value: 'file', type: { kind: 'named', name: 'BlockdevOptionsFile' } }],
    doc,
    loc,
  },
];

describe('conformance of example values to IR types', () => {
  const checker = new ConformanceChecker({ types });

  it('accepts what the member list allows', () => {
    expect(checker.checkMembers({ device: 'ide0' }, [member('device', str), member('force', { kind: 'builtin', name: 'bool' }, true)], false)).toEqual([]);
  });

  it('names a misspelt member, a missing required member and a wrong scalar', () => {
    const issues = checker.checkMembers({ devise: 'x', size: 'big' }, [member('device', str), member('size', int)], false);
    expect(issues.map((i) => i.message)).toEqual(['missing required member "device"', 'expected int, got string "big"', 'unknown member "devise"']);
  });

  it('allows unknown members in an open object', () => {
    expect(checker.check({ a: 1, b: 2 }, { kind: 'object', open: true, members: [member('a', int)] })).toEqual([]);
  });

  it('selects the union variant by its discriminator', () => {
    expect(checker.check({ driver: 'file', filename: '/tmp/x' }, { kind: 'named', name: 'BlockdevOptions' })).toEqual([]);
    expect(checker.check({ driver: 'file' }, { kind: 'named', name: 'BlockdevOptions' })).toEqual([
      { path: '$', message: 'missing required member "filename"' },
    ]);
    expect(checker.check({ driver: 'null-co' }, { kind: 'named', name: 'BlockdevOptions' })).toEqual([]);
    expect(checker.check({ driver: 'nbd' }, { kind: 'named', name: 'BlockdevOptions' })[0]?.path).toBe('$.driver');
  });

  it('checks array elements with their index in the path', () => {
    expect(checker.check([1, 'x'], { kind: 'array', of: int })).toEqual([{ path: '$[1]', message: 'expected int, got string "x"' }]);
  });
});
