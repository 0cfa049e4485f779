/**
 * Structural comparison of two models that name their types differently (a schema's IR and an
 * introspection IR): command and event names, argument names, optional flags, and member
 * types compared by structure, recursively (a pair of named types assumed equal while it is
 * being compared, so recursive types terminate). Integer builtins of every width compare as
 * `int`, as introspection reports them.
 */
import type { BuiltinName, Member, NamedType, QmpModel, TypeRef } from '../../../codegen/ir/types.js';

/** A canonical view of a type: what a client sees on the wire. */
type Shape =
  | { kind: 'scalar'; json: string }
  | { kind: 'array'; of: TypeRef }
  | { kind: 'object'; members: Member[]; tag?: string; variants?: { value: string; type: TypeRef }[] }
  | { kind: 'enum'; values: string[] }
  | { kind: 'alternate'; of: TypeRef[] };

const jsonOfBuiltin: Record<BuiltinName, string> = {
  str: 'string',
  int: 'int',
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'int',
  uint8: 'int',
  uint16: 'int',
  uint32: 'int',
  uint64: 'int',
  size: 'int',
  number: 'number',
  bool: 'boolean',
  null: 'null',
  any: 'value',
  QType: 'string',
};

export class StructuralComparison {
  readonly differences: string[] = [];
  private readonly assumed = new Set<string>();
  private readonly left: Map<string, NamedType>;
  private readonly right: Map<string, NamedType>;

  constructor(
    private readonly a: QmpModel,
    private readonly b: QmpModel,
  ) {
    this.left = new Map(a.types.map((t) => [t.name, t]));
    this.right = new Map(b.types.map((t) => [t.name, t]));
  }

  run(): string[] {
    this.compareNamed('command', this.a.commands, this.b.commands, (x, y, where) => {
      this.members(x.arguments, y.arguments, where);
      if ((x.returns === undefined) !== (y.returns === undefined)) {
        // A command without 'returns' and one returning an empty struct look alike on the wire.
        const returns = x.returns ?? y.returns!;
        if (!this.isEmpty(returns, x.returns ? this.left : this.right)) this.differences.push(`${where}: returns only on one side`);
      } else if (x.returns && y.returns) this.types(x.returns, y.returns, `${where} returns`);
    });
    this.compareNamed('event', this.a.events, this.b.events, (x, y, where) => this.members(x.data, y.data, where));
    return this.differences;
  }

  private compareNamed<T extends { name: string }>(what: string, xs: T[], ys: T[], each: (x: T, y: T, where: string) => void): void {
    const right = new Map(ys.map((y) => [y.name, y]));
    const left = new Set(xs.map((x) => x.name));
    for (const x of xs) {
      const y = right.get(x.name);
      if (y) each(x, y, `${what} ${x.name}`);
      else this.differences.push(`${what} ${x.name}: only in the first model`);
    }
    for (const y of ys) if (!left.has(y.name)) this.differences.push(`${what} ${y.name}: only in the second model`);
  }

  private members(xs: Member[], ys: Member[], where: string): void {
    const names = (list: Member[]): string => list.map((m) => m.name).join(',');
    if (names(xs) !== names(ys)) {
      this.differences.push(`${where}: members [${names(xs)}] vs [${names(ys)}]`);
      return;
    }
    xs.forEach((x, i) => {
      const y = ys[i]!;
      if (x.optional !== y.optional) this.differences.push(`${where}.${x.name}: optional ${x.optional} vs ${y.optional}`);
      this.types(x.type, y.type, `${where}.${x.name}`);
    });
  }

  private types(x: TypeRef, y: TypeRef, where: string): void {
    if (x.kind === 'named' && y.kind === 'named') {
      const key = `${x.name}\u0000${y.name}`;
      if (this.assumed.has(key)) return;
      this.assumed.add(key);
    }
    const sx = this.shape(x, this.left);
    const sy = this.shape(y, this.right);
    if (sx.kind !== sy.kind) {
      this.differences.push(`${where}: ${sx.kind} vs ${sy.kind}`);
      return;
    }
    switch (sx.kind) {
      case 'scalar':
        if (sx.json !== (sy as typeof sx).json) this.differences.push(`${where}: ${sx.json} vs ${(sy as typeof sx).json}`);
        return;
      case 'array':
        return this.types(sx.of, (sy as typeof sx).of, `${where}[]`);
      case 'enum': {
        const other = (sy as typeof sx).values.join(',');
        if (sx.values.join(',') !== other) this.differences.push(`${where}: enum [${sx.values.join(',')}] vs [${other}]`);
        return;
      }
      case 'alternate': {
        const other = sy as typeof sx;
        if (sx.of.length !== other.of.length) this.differences.push(`${where}: ${sx.of.length} vs ${other.of.length} alternatives`);
        else sx.of.forEach((t, i) => this.types(t, other.of[i]!, `${where}|${i}`));
        return;
      }
      case 'object': {
        const other = sy as typeof sx;
        this.members(sx.members, other.members, where);
        if (sx.tag !== other.tag) this.differences.push(`${where}: tag ${sx.tag} vs ${other.tag}`);
        const vx = sx.variants ?? [];
        const vy = other.variants ?? [];
        const cases = (list: { value: string }[]): string => list.map((v) => v.value).join(',');
        if (cases(vx) !== cases(vy)) this.differences.push(`${where}: cases [${cases(vx)}] vs [${cases(vy)}]`);
        else vx.forEach((v, i) => this.types(v.type, vy[i]!.type, `${where}{${v.value}}`));
        return;
      }
    }
  }

  private shape(type: TypeRef, types: Map<string, NamedType>): Shape {
    switch (type.kind) {
      case 'builtin':
        return { kind: 'scalar', json: jsonOfBuiltin[type.name] };
      case 'array':
        return { kind: 'array', of: type.of };
      case 'object':
        return { kind: 'object', members: type.members };
      case 'enum':
        return { kind: 'enum', values: type.values.map((v) => v.name) };
      case 'union':
        return { kind: 'alternate', of: type.of };
      case 'named': {
        const named = types.get(type.name);
        if (!named) return { kind: 'scalar', json: `unresolved ${type.name}` };
        switch (named.kind) {
          case 'struct':
            return { kind: 'object', members: this.flat(named, types) };
          case 'union':
            return { kind: 'object', members: named.baseMembers, tag: named.discriminator, variants: named.variants };
          case 'enum':
            return { kind: 'enum', values: named.values.map((v) => v.name) };
          case 'alternate':
            return { kind: 'alternate', of: named.alternatives.map((a) => a.type) };
        }
      }
    }
  }

  private flat(type: NamedType & { kind: 'struct' }, types: Map<string, NamedType>): Member[] {
    const base = type.base === undefined ? undefined : types.get(type.base);
    return [...(base?.kind === 'struct' ? this.flat(base, types) : []), ...type.members];
  }

  private isEmpty(type: TypeRef, types: Map<string, NamedType>): boolean {
    const shape = this.shape(type, types);
    return shape.kind === 'object' && shape.members.length === 0 && !shape.variants?.length;
  }
}
