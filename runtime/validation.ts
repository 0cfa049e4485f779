/**
 * Reply and event validation, behind the clients' `validate` option: each reply checked against
 * the JSON Schema of its command's return, each event's data against its event's, as a target's
 * `schema.json` (`qmp-sdk/<target>/schema.json`) gives them.
 *
 * The runtime carries no validator of its own: the user passes one in (Ajv, an optional peer
 * dependency), and `schemaValidator` adapts it. A schema is compiled the first time its command
 * or event is met, so a client pays only for what it uses.
 */

/** One way a reply or an event's data differs from its schema. */
export interface ValidationIssue {
  /** Where, as a JSON pointer into the reply's `return` or the event's `data` (`/running`, `` for the whole). */
  path: string;
  /** What the schema wants there, in the validator's words (`must be boolean`). */
  expected: string;
  /** What arrived there (`undefined` when a required member is missing). */
  received: unknown;
}

/** What the clients call; `schemaValidator` builds one, or write your own. */
export interface MessageValidator {
  /** The issues of `command`'s reply value; none (an empty list) when it conforms or the schema does not know the command. */
  reply(command: string, value: unknown): readonly ValidationIssue[];
  /** The issues of an event's `data`; none when it conforms or the schema does not know the event. */
  event(name: string, data: unknown): readonly ValidationIssue[];
}

/** A compiled schema, as Ajv 8 returns one: a predicate that leaves its errors on itself. */
export interface CompiledSchema {
  (data: unknown): boolean;
  errors?: readonly { instancePath: string; message?: string; keyword?: string; params?: object }[] | null;
}

/** What `schemaValidator` needs of a validator library: Ajv 8 (`new Ajv({ allErrors: true })`) fits. */
export interface SchemaCompiler {
  compile(schema: object): CompiledSchema;
}

/** The parts of a target's `schema.json` the validator reads. */
export interface TargetJsonSchema {
  $defs?: Record<string, unknown>;
  properties: {
    commands: { properties: Record<string, { properties?: { returns?: object } }> };
    events: { properties: Record<string, { properties?: { data?: object } }> };
  };
}

/**
 * A `MessageValidator` over a target's `schema.json`, compiling with `compiler`:
 *
 *     import { Ajv } from 'ajv';
 *     import schema from 'qmp-sdk/qemu-10.2.0/schema.json' with { type: 'json' };
 *     const client = await QmpClient.connect(path, { validate: schemaValidator(new Ajv({ allErrors: true }), schema) });
 */
export function schemaValidator(compiler: SchemaCompiler, schema: TargetJsonSchema): MessageValidator {
  const compiled = new Map<string, CompiledSchema | null>();
  const check = (key: string, part: object | undefined, value: unknown): readonly ValidationIssue[] => {
    let validate = compiled.get(key);
    if (validate === undefined) {
      // Each part refers to `#/$defs/…`: compiled with the definitions beside it, as a root.
      validate = part === undefined ? null : compiler.compile({ ...part, $defs: schema.$defs });
      compiled.set(key, validate);
    }
    if (validate === null) return [];
    const data = withoutBigints(value);
    if (validate(data)) return [];
    return (validate.errors ?? []).map((error) => issue(error, data));
  };
  return {
    reply: (command, value) => check(`c:${command}`, schema.properties.commands.properties[command]?.properties?.returns, value),
    event: (name, data) => check(`e:${name}`, schema.properties.events.properties[name]?.properties?.data, data),
  };
}

function issue(error: NonNullable<CompiledSchema['errors']>[number], data: unknown): ValidationIssue {
  const params = error.params as Record<string, unknown> | undefined;
  // A missing member is reported at its parent: point at the member itself.
  const path =
    error.keyword === 'required' && typeof params?.missingProperty === 'string'
      ? `${error.instancePath}/${escapePointer(params.missingProperty)}`
      : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties' && typeof params?.additionalProperty === 'string'
      ? `${error.instancePath}/${escapePointer(params.additionalProperty)}`
      : undefined;
  const where = extra ?? path;
  return { path: where, expected: error.message ?? error.keyword ?? 'what the schema says', received: at(data, where) };
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at a JSON pointer, or undefined when there is none. */
function at(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let here: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return here;
}

/**
 * A JSON Schema validator knows numbers, not bigints (`integers: 'bigint'` delivers the wide
 * ones so): checked as numbers, which keeps the question the schema asks, "is it an integer".
 * The value delivered is untouched; only a copy is made, and only when a bigint is inside.
 */
function withoutBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null || !holdsBigint(value)) return value;
  if (Array.isArray(value)) return value.map(withoutBigints);
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, withoutBigints(member)]));
}

function holdsBigint(value: object): boolean {
  for (const member of Object.values(value)) {
    if (typeof member === 'bigint') return true;
    if (typeof member === 'object' && member !== null && holdsBigint(member as object)) return true;
  }
  return false;
}
