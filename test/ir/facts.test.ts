import { describe, expect, it } from 'vitest';
import { conditionText, factsOf } from '../../codegen/ir/facts.js';
import type { Member, NamedType } from '../../codegen/ir/types.js';

const member = (name: string): Member => ({ name, type: { kind: 'builtin', name: 'str' }, optional: false, loc: { file: 't', line: 1, column: 1 } });
const struct = (name: string, members: string[], base?: string): NamedType => ({ kind: 'struct', name, members: members.map(member), ...(base ? { base } : {}) }) as NamedType;

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

  it('computes once per model', () => {
    const model = { types: [struct('A', ['a'])] };
    expect(factsOf(model)).toBe(factsOf(model));
  });

  it('reads a condition as a reader does', () => {
    expect(conditionText({ all: ['CONFIG_A', { not: { any: ['B', 'C'] } }] })).toBe('CONFIG_A and not (B or C)');
  });
});
