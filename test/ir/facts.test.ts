import { describe, expect, it } from 'vitest';
import { conditionText, factsOf } from '../../codegen/ir/facts.js';
import type { Member, NamedType, TypeRef } from '../../codegen/ir/types.js';

const member = (name: string): Member => ({ name, type: { kind: 'builtin', name: 'str' }, optional: false, loc: { file: 't', line: 1, column: 1 } });
const struct = (name: string, members: string[], base?: string): NamedType =>
  ({ kind: 'struct', name, members: members.map(member), ...(base ? { base } : {}) }) as NamedType;

describe('model facts', () => {
  it("gives a struct's wire members, its bases' first", () => {
    const facts = factsOf({ types: [struct('C', ['c'], 'B'), struct('B', ['b'], 'A'), struct('A', ['a'])] });
    expect(facts.structMembers('C').map((m) => m.name)).toEqual(['a', 'b', 'c']);
    expect(facts.structMembers('A').map((m) => m.name)).toEqual(['a']);
    expect(facts.structMembers('nothing')).toEqual([]);
    expect(facts.type('B')?.name).toBe('B');
  });

  it('stops a base cycle (IR JSON may hold one) instead of recursing for ever', () => {
    const facts = factsOf({ types: [struct('X', ['x'], 'Y'), struct('Y', ['y'], 'X')] });
    expect(facts.structMembers('X').map((m) => m.name)).toEqual(['y', 'x']);
  });

  it('knows which types can hold a wide integer (int64, uint64, size), through bases, arrays and recursion', () => {
    const typed = (name: string, type: TypeRef): Member => ({ name, type, optional: false, loc: { file: 't', line: 1, column: 1 } });
    const named = (name: string): TypeRef => ({ kind: 'named', name });
    const types: NamedType[] = [
      { kind: 'struct', name: 'Narrow', members: [typed('n', { kind: 'builtin', name: 'int32' }), typed('f', { kind: 'builtin', name: 'number' })] },
      { kind: 'struct', name: 'Wide', members: [typed('size', { kind: 'builtin', name: 'size' })] },
      { kind: 'struct', name: 'Derived', base: 'Wide', members: [] },
      // A tree whose only wide integer is reached back through its parent.
      { kind: 'struct', name: 'Node', members: [typed('children', { kind: 'array', of: named('Leaf') }), typed('id', { kind: 'builtin', name: 'uint64' })] },
      { kind: 'struct', name: 'Leaf', members: [typed('parent', named('Node'))] },
      {
        kind: 'alternate',
        name: 'Either',
        alternatives: [
          { name: 'a', type: named('Narrow') },
          { name: 'b', type: { kind: 'array', of: named('Derived') } },
        ],
      },
      { kind: 'struct', name: 'Opaque', members: [typed('v', { kind: 'builtin', name: 'any' })] },
    ] as NamedType[];
    const facts = factsOf({ types });
    const wide = (name: string) => facts.holdsWideInteger(named(name));
    expect(['Narrow', 'Wide', 'Derived', 'Node', 'Leaf', 'Either', 'Opaque', 'Unknown'].filter(wide)).toEqual(['Wide', 'Derived', 'Node', 'Leaf', 'Either']);
    expect(facts.holdsWideInteger({ kind: 'builtin', name: 'int' })).toBe(true);
    expect(facts.holdsWideInteger({ kind: 'object', open: false, members: [typed('x', { kind: 'builtin', name: 'uint8' })] })).toBe(false);
  });

  it('computes once per model', () => {
    const model = { types: [struct('A', ['a'])] };
    expect(factsOf(model)).toBe(factsOf(model));
  });

  it('reads a condition as a reader does', () => {
    expect(conditionText({ all: ['CONFIG_A', { not: { any: ['B', 'C'] } }] })).toBe('CONFIG_A and not (B or C)');
  });
});
