/**
 * TypeScript names for QMP names. QMP mixes `-` and `_` (`query-status`, `block_resize`), vendor
 * prefixes (`__com.redhat_drive_add`) and capitals (`BLOCK_IO_ERROR`); TypeScript needs valid,
 * unique identifiers that read naturally.
 */

const reserved = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if import in instanceof new null return super switch this throw true try ' +
    'typeof var void while with implements interface let package private protected public static yield ' +
    'await any boolean number string symbol unknown never object undefined bigint arguments eval'
  ).split(' '),
);

function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
}

/** Vendor-prefixed names (`__com.redhat_…`) keep a `__` mark so they cannot meet upstream names. */
function vendorMark(name: string): string {
  return name.startsWith('__') ? '__' : '';
}

/** `query-status` → `queryStatus`; `__com.redhat_drive_add` → `__comRedhatDriveAdd`. */
export function camelCase(name: string): string {
  const parts = words(name);
  const body = parts.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  return safeIdentifier(vendorMark(name) + body);
}

/**
 * `BLOCK_IO_ERROR` → `BlockIoError`; `query-status` → `QueryStatus`; QAPI type names that are
 * already PascalCase (`BlockdevOptionsFile`, `X86CPUFeatureWordInfo`) keep their capitals.
 */
export function pascalCase(name: string): string {
  const allCaps = !/[a-z]/.test(name);
  const body = words(name)
    .map((w) => (allCaps ? w.charAt(0) + w.slice(1).toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
  return safeIdentifier(vendorMark(name) + body);
}

function safeIdentifier(id: string): string {
  if (id === '' || id === '__') return '_';
  if (/^[0-9]/.test(id)) return `_${id}`;
  return reserved.has(id) ? `${id}_` : id;
}

/** A property name as it must appear in a type: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/**
 * A string literal, single-quoted as prettier prints it when nothing in it needs escaping or
 * could change prettier's choice of quotes; otherwise JSON's form, which prettier then rewrites.
 */
export function stringLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return /^[^'"\\\x00-\x1f\u2028\u2029]*$/.test(value) ? `'${value}'` : JSON.stringify(value);
}

/**
 * Hands out unique names in one namespace. Callers ask in a deterministic order (the model's
 * order), so the same model always gets the same names; a clash gets the next free numeric
 * suffix, and the clash is recorded so the generator can report it.
 */
export class NameRegistry {
  private readonly taken = new Set<string>();
  readonly clashes: { wanted: string; given: string; for: string }[] = [];

  constructor(reservedNames: Iterable<string> = []) {
    for (const name of reservedNames) this.taken.add(name);
  }

  claim(wanted: string, owner: string): string {
    let given = wanted;
    for (let n = 2; this.taken.has(given); n++) given = `${wanted}${n}`;
    if (given !== wanted) this.clashes.push({ wanted, given, for: owner });
    this.taken.add(given);
    return given;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}
