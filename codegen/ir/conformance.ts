/**
 * Does a JSON value conform to an IR type? The rules are those a TypeScript object literal meets
 * against the generated types: required members present, no unknown member on a closed object,
 * scalars of the right JSON kind, enum values listed. Used to sort the documents' examples into
 * those that must compile and those that contradict the documents' own member lists.
 */
import { factsOf, integerBuiltins, qtypeValues, type ModelFacts } from './facts.js';
import type { Member, QmpModel, TypeRef } from './types.js';

export interface ConformanceIssue {
  /** Where in the value, as a JSON-path-like string (`$.arguments.device`). */
  path: string;
  message: string;
}

const qtypes: ReadonlySet<string> = new Set(qtypeValues);

export class ConformanceChecker {
  private readonly facts: ModelFacts;

  constructor(model: Pick<QmpModel, 'types'>) {
    this.facts = factsOf(model);
  }

  check(value: unknown, type: TypeRef, path = '$'): ConformanceIssue[] {
    const issues: ConformanceIssue[] = [];
    this.visit(value, type, path, issues);
    return issues;
  }

  /** Checks an object against a member list (a command's arguments, an event's data). */
  checkMembers(value: unknown, members: Member[], open: boolean, path = '$'): ConformanceIssue[] {
    const issues: ConformanceIssue[] = [];
    this.visitObject(value, members, open, path, issues);
    return issues;
  }

  private visit(value: unknown, type: TypeRef, path: string, issues: ConformanceIssue[]): void {
    switch (type.kind) {
      case 'builtin':
        return this.visitBuiltin(value, type.name, path, issues);
      case 'array':
        if (!Array.isArray(value)) return void issues.push({ path, message: `expected an array, got ${kind(value)}` });
        value.forEach((v, i) => this.visit(v, type.of, `${path}[${i}]`, issues));
        return;
      case 'object':
        return this.visitObject(value, type.members, type.open, path, issues);
      case 'enum':
        if (typeof value !== 'string' || !type.values.some((v) => v.name === value)) {
          issues.push({ path, message: `expected one of ${type.values.map((v) => JSON.stringify(v.name)).join(', ')}, got ${JSON.stringify(value)}` });
        }
        return;
      case 'union':
        if (!type.of.some((t) => this.check(value, t, path).length === 0)) {
          issues.push({ path, message: `matches none of the ${type.of.length} alternatives` });
        }
        return;
      case 'named':
        return this.visitNamed(value, type.name, path, issues);
    }
  }

  private visitBuiltin(value: unknown, name: string, path: string, issues: ConformanceIssue[]): void {
    const ok =
      name === 'any' ||
      (name === 'str' && typeof value === 'string') ||
      (name === 'bool' && typeof value === 'boolean') ||
      (name === 'null' && value === null) ||
      (name === 'number' && typeof value === 'number') ||
      (integerBuiltins.has(name) && typeof value === 'number') ||
      (name === 'QType' && typeof value === 'string' && qtypes.has(value));
    if (!ok) issues.push({ path, message: `expected ${name}, got ${kind(value)}` });
  }

  private visitNamed(value: unknown, name: string, path: string, issues: ConformanceIssue[]): void {
    const type = this.facts.type(name);
    if (type === undefined) return void issues.push({ path, message: `type ${name} is not defined` });
    switch (type.kind) {
      case 'struct':
        return this.visitObject(value, this.structMembers(type.name), false, path, issues);
      case 'enum':
        return this.visit(value, { kind: 'enum', values: type.values }, path, issues);
      case 'alternate':
        return this.visit(value, { kind: 'union', of: type.alternatives.map((a) => a.type) }, path, issues);
      case 'union':
        return this.visitObject(value, this.unionMembers(type.name, value), false, path, issues);
    }
  }

  /** The members a union value has: the base's, then those of the variant its discriminator picks. */
  private unionMembers(name: string, value: unknown, depth = 0): readonly Member[] {
    const type = this.facts.type(name);
    if (type?.kind !== 'union' || depth > 16) return [];
    const base = type.baseMembers;
    const tag = isObject(value) ? value[type.discriminator] : undefined;
    const variant = type.variants.find((v) => v.value === tag);
    return variant ? [...base, ...this.membersOf(variant.type, value, depth + 1)] : base;
  }

  /** A struct's members with its bases' first, as they are on the wire. */
  structMembers(name: string): readonly Member[] {
    return this.facts.structMembers(name);
  }

  private membersOf(type: TypeRef, value: unknown, depth: number): readonly Member[] {
    if (type.kind === 'object') return type.members;
    if (type.kind === 'named') return this.facts.type(type.name)?.kind === 'union' ? this.unionMembers(type.name, value, depth) : this.structMembers(type.name);
    return [];
  }

  private visitObject(value: unknown, members: readonly Member[], open: boolean, path: string, issues: ConformanceIssue[]): void {
    if (!isObject(value)) return void issues.push({ path, message: `expected an object, got ${kind(value)}` });
    const known = new Map(members.map((m) => [m.name, m]));
    for (const member of members) {
      if (!Object.hasOwn(value, member.name)) {
        if (!member.optional) issues.push({ path, message: `missing required member "${member.name}"` });
      } else this.visit(value[member.name], member.type, `${path}.${member.name}`, issues);
    }
    if (!open) {
      for (const key of Object.keys(value)) {
        if (!known.has(key)) issues.push({ path, message: `unknown member "${key}"` });
      }
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
