/**
 * QEMU's `.out` dumps (what its test-qapi.py prints of a parsed schema) read back, and compared
 * with our IR of the same schema: each entity, member, type, optional flag, condition, feature
 * and variant. QEMU's implicit types (`q_obj_X-arg`, `q_obj_X-base`, `q_empty`) are our inline
 * member lists; its `XList` is our array of `X`.
 */
import type { Condition, Member, NamedTypeRef, QmpModel, TypeRef } from '../../../codegen/ir/types.js';

interface OutFeature {
  name: string;
  if?: string;
}

interface OutMember extends OutFeature {
  type?: string;
  optional?: boolean;
  features: OutFeature[];
}

interface OutEntity {
  kind: string;
  name: string;
  /** `array`'s element, `command`'s and `event`'s argument type. */
  arg?: string;
  ret?: string;
  base?: string;
  tag?: string;
  members: OutMember[];
  cases: OutMember[];
  if?: string;
  features: OutFeature[];
  boxed?: boolean;
}

export function readOut(text: string): Map<string, OutEntity> {
  const entities = new Map<string, OutEntity>();
  let entity: OutEntity | undefined;
  // What the next, deeper `if` or `feature` line belongs to.
  let item: OutMember | OutFeature | undefined;
  for (const line of text.split('\n')) {
    const top = /^(object|enum|alternate|array|command|event) (\S+)(?: (\S+))?(?: -> (\S+))?$/.exec(line);
    if (top) {
      entity = { kind: top[1]!, name: top[2]!, members: [], cases: [], features: [] };
      if (top[3] !== undefined) entity.arg = top[3];
      if (top[4] !== undefined) entity.ret = top[4];
      entities.set(`${entity.kind} ${entity.name}`, entity);
      item = undefined;
      continue;
    }
    if (!entity || !line.startsWith('    ')) {
      if (!line.startsWith(' ')) entity = undefined;
      continue;
    }
    const deep = line.startsWith('        ');
    const text = line.trim();
    const condition = /^if (.*)$/.exec(text)?.[1];
    const feature = /^feature (\S+)$/.exec(text)?.[1];
    if (deep && item) {
      if (condition !== undefined) item.if = condition;
      if (feature !== undefined && 'features' in item) item.features.push((item = { name: feature }));
      continue;
    }
    if (condition !== undefined) entity.if = condition;
    else if (feature !== undefined) entity.features.push((item = { name: feature }));
    let m: RegExpExecArray | null;
    if ((m = /^member (\S+): (\S+) optional=(True|False)$/.exec(text)))
      entity.members.push((item = { name: m[1]!, type: m[2]!, optional: m[3] === 'True', features: [] }));
    else if ((m = /^member (\S+)$/.exec(text))) entity.members.push((item = { name: m[1]!, features: [] }));
    else if ((m = /^case (\S+): (\S+)$/.exec(text))) entity.cases.push((item = { name: m[1]!, type: m[2]!, features: [] }));
    else if ((m = /^base (\S+)$/.exec(text))) entity.base = m[1]!;
    else if ((m = /^tag (\S+)$/.exec(text))) entity.tag = m[1]!;
    else if ((m = /boxed=(True|False)/.exec(text))) entity.boxed = m[1] === 'True';
  }
  return entities;
}

/** A condition as QEMU's dump prints it (Python's repr of the expression). */
export function conditionRepr(c: Condition): string {
  if (typeof c === 'string') return c;
  const list = (items: Condition[]) => `[${items.map((i) => (typeof i === 'string' ? `'${i}'` : conditionRepr(i))).join(', ')}]`;
  if ('not' in c) return `{'not': ${typeof c.not === 'string' ? `'${c.not}'` : conditionRepr(c.not)}}`;
  if ('all' in c) return `{'all': ${list(c.all)}}`;
  return `{'any': ${list(c.any)}}`;
}

/** Our type use in QEMU's dump's terms; inline objects are `q_obj` (or `q_empty` when empty). */
function typeName(t: TypeRef): string {
  switch (t.kind) {
    case 'builtin':
      return t.name;
    case 'named':
      return t.name;
    case 'array':
      return `${typeName(t.of)}List`;
    case 'object':
      return t.members.length === 0 ? 'q_empty' : 'q_obj';
    default:
      return t.kind;
  }
}

const implicit = (name: string | undefined) => name !== undefined && (name.startsWith('q_obj_') || name === 'q_empty');
const sameType = (theirs: string | undefined, ours: string) =>
  theirs === ours || (ours === 'q_obj' && implicit(theirs)) || (ours === 'q_empty' && theirs === 'q_empty');

/** Every difference between QEMU's dump and our model, one line each; empty when they agree. */
export function compareWithOut(out: Map<string, OutEntity>, model: QmpModel): string[] {
  const diffs: string[] = [];
  const say = (where: string, what: string) => diffs.push(`${where}: ${what}`);
  const cond = (where: string, theirs: string | undefined, ours: Condition | undefined) => {
    const mine = ours === undefined ? undefined : conditionRepr(ours);
    if (theirs !== mine) say(where, `if ${theirs ?? '(none)'} in QEMU, ${mine ?? '(none)'} here`);
  };
  const feats = (where: string, theirs: OutFeature[], ours: { name: string; if?: Condition }[] | undefined) => {
    const mine = ours ?? [];
    if (theirs.map((f) => f.name).join() !== mine.map((f) => f.name).join()) {
      say(where, `features [${theirs.map((f) => f.name).join(', ')}] in QEMU, [${mine.map((f) => f.name).join(', ')}] here`);
    } else theirs.forEach((f, i) => cond(`${where} feature ${f.name}`, f.if, mine[i]!.if));
  };
  const members = (where: string, theirs: OutMember[], ours: readonly Member[]) => {
    if (theirs.map((m) => m.name).join() !== ours.map((m) => m.name).join()) {
      say(where, `members [${theirs.map((m) => m.name).join(', ')}] in QEMU, [${ours.map((m) => m.name).join(', ')}] here`);
      return;
    }
    theirs.forEach((t, i) => {
      const o = ours[i]!;
      if (!sameType(t.type, typeName(o.type))) say(`${where}.${t.name}`, `type ${t.type} in QEMU, ${typeName(o.type)} here`);
      if (t.optional !== o.optional) say(`${where}.${t.name}`, `optional=${t.optional} in QEMU, ${o.optional} here`);
      cond(`${where}.${t.name}`, t.if, o.if);
      feats(`${where}.${t.name}`, t.features, o.features);
    });
  };
  const implicitMembers = (name: string | undefined): OutMember[] | undefined =>
    implicit(name) && name !== 'q_empty' ? out.get(`object ${name}`)?.members : name === 'q_empty' ? [] : undefined;

  const seen = new Set<string>();
  for (const type of model.types) {
    if (type.hoisted) continue;
    const key = `${type.kind === 'struct' || type.kind === 'union' ? 'object' : type.kind} ${type.name}`;
    seen.add(key);
    const theirs = out.get(key);
    if (!theirs) {
      say(key, 'not in QEMU');
      continue;
    }
    cond(key, theirs.if, type.if);
    feats(key, theirs.features, type.features);
    if (type.kind === 'struct') {
      if (theirs.base !== type.base) say(key, `base ${theirs.base ?? '(none)'} in QEMU, ${type.base ?? '(none)'} here`);
      members(key, theirs.members, type.members);
    } else if (type.kind === 'enum') {
      if (theirs.members.map((m) => m.name).join() !== type.values.map((v) => v.name).join()) say(key, 'values differ');
      theirs.members.forEach((m, i) => type.values[i] && cond(`${key}.${m.name}`, m.if, type.values[i].if));
    } else if (type.kind === 'union') {
      if (theirs.tag !== type.discriminator) say(key, `tag ${theirs.tag} in QEMU, ${type.discriminator} here`);
      const baseMembers = implicitMembers(theirs.base) ?? (theirs.base ? [] : undefined);
      if (implicit(theirs.base)) members(`${key} (base)`, baseMembers ?? [], type.baseMembers);
      else if (theirs.base !== type.base) say(key, `base ${theirs.base} in QEMU, ${type.base ?? '(inline)'} here`);
      const cases = theirs.cases;
      for (const c of cases) {
        const v = type.variants.find((x) => x.value === c.name);
        if (!v) say(key, `case ${c.name} missing here`);
        else {
          if (!sameType(c.type, typeName(v.type))) say(`${key} case ${c.name}`, `type ${c.type} in QEMU, ${typeName(v.type)} here`);
          cond(`${key} case ${c.name}`, c.if, v.if);
        }
      }
      if (type.variants.length !== cases.length) say(key, `${cases.length} cases in QEMU, ${type.variants.length} here`);
    } else {
      const cases = theirs.cases;
      if (cases.map((c) => c.name).join() !== type.alternatives.map((a) => a.name).join()) say(key, 'alternatives differ');
      cases.forEach((c, i) => {
        const a = type.alternatives[i];
        if (a && !sameType(c.type, typeName(a.type))) say(`${key} case ${c.name}`, `type ${c.type} in QEMU, ${typeName(a.type)} here`);
        if (a) cond(`${key} case ${c.name}`, c.if, a.if);
      });
    }
  }
  for (const [kind, list] of [
    ['command', model.commands],
    ['event', model.events],
  ] as const) {
    for (const x of list) {
      const key = `${kind} ${x.name}`;
      seen.add(key);
      const theirs = out.get(key);
      if (!theirs) {
        say(key, 'not in QEMU');
        continue;
      }
      cond(key, theirs.if, x.if);
      feats(key, theirs.features, x.features);
      const named: NamedTypeRef | undefined = 'arguments' in x ? x.argumentsType : x.dataType;
      const ours = 'arguments' in x ? x.arguments : x.data;
      if (theirs.arg === 'None') {
        if (named || ours.length > 0) say(key, 'arguments here, none in QEMU');
      } else if (implicit(theirs.arg)) members(`${key} (arguments)`, implicitMembers(theirs.arg) ?? [], ours);
      else if (named?.name !== theirs.arg) say(key, `argument type ${theirs.arg} in QEMU, ${named?.name ?? '(inline)'} here`);
      if (kind === 'command' && 'returns' in x) {
        const ret = x.returns === undefined ? 'None' : typeName(x.returns);
        if (!sameType(theirs.ret, ret)) say(key, `returns ${theirs.ret} in QEMU, ${ret} here`);
      }
    }
  }
  for (const [key, e] of out) {
    if (seen.has(key) || e.kind === 'array' || implicit(e.name) || e.name === 'QType') continue;
    say(key, 'in QEMU, not here');
  }
  return diffs;
}
