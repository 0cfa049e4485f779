/**
 * The intermediate model (IR): what every front end produces and every emitter consumes.
 *
 * Plain data only (no classes, no methods, no `undefined` values that matter), so that
 * `JSON.stringify(model)` is its JSON form and `JSON.parse` gives it back (see `json.ts`).
 * The names `commands`, `name`, `arguments`, `optional`, `events` and `data` are a contract
 * that other tools read: add fields around them, never rename them.
 *
 * One model serves two families of documents:
 * - QEMU's text documents (`qmp-commands.txt`, `qmp-events.txt`, `.hx`; QEMU 0.13 to 2.8),
 *   where types are prose such as `json-array of json-object` and are often inline;
 * - the QAPI schema (QEMU 1.0 on; the documentation itself from 2.9) and its introspection
 *   (`query-qmp-schema`), where types are named and members carry `if` and `features`.
 * Fields a family cannot fill are left out, never guessed.
 */

/** A place in a source document. `line` and `column` count from 1; `file` is as given. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A located message from a front end. `error` means part of the document could not be read
 * as its format requires (what could be read is still in the model); `warning` means the
 * document is irregular and the front end chose a reading, which the message names.
 */
export interface Diagnostic {
  severity: Severity;
  /** A stable, short identifier of the kind of problem, e.g. `heading-underline`. */
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** The whole model of one QMP interface (one release, one document set). */
export interface QmpModel {
  /** Version of this JSON form; bumped on incompatible changes. */
  irVersion: 1;
  source: ModelSource;
  commands: Command[];
  events: Event[];
  /** Named types, and types hoisted out of inline definitions so emitters can refer to them. */
  types: NamedType[];
  diagnostics: Diagnostic[];
}

export interface ModelSource {
  /**
   * Which front end made the model; `range` for a model true for several releases at once
   * (`codegen/range/`), made from their models.
   */
  frontend: 'textdoc' | 'qapi' | 'introspection' | 'reconciled' | 'range';
  /** The documents read, in the order read (include order for schemas). */
  files: string[];
  /** The release the documents belong to, when known (e.g. `2.8.0`). */
  release?: string;
  /** For schema models: the build configuration `if` conditions were evaluated against. */
  configuration?: string[];
  /** For `range` models: the releases the model is true for, oldest first (e.g. `7.2.0`). */
  releases?: string[];
  /**
   * For schema models: every file read (a QAPI module), in reading order, with the headings of
   * its free-form documentation. A definition's module is the one whose `file` is its `loc.file`.
   */
  modules?: SchemaModule[];
}

/** One file of a QAPI schema, as QEMU's reference arranges it: its headings, in order. */
export interface SchemaModule {
  /** QEMU's name for it: the path from the entry file's folder, without `.json` (`block-core`). */
  name: string;
  file: string;
  /** The headings in force where the file is read (those of the files read before it), outermost first. */
  enclosing: string[];
  /** Free-form text before the file's first heading, where there is some. */
  text?: string;
  /** The file's own headings (`= Title`, or reStructuredText titles), in order. */
  headings: ModuleHeading[];
}

export interface ModuleHeading {
  /** 1 for a chapter (`= Title`), 2 for a section (`== Title`), and so on. */
  level: number;
  title: string;
  /** The line of the `##` block that holds it: definitions after that line are under it. */
  line: number;
  /** The free-form text under the heading, where there is some. */
  text?: string;
}

// ---------------------------------------------------------------------------------------------
// Types

/**
 * The built-in types, named as the QAPI schema names them. The text documents' tokens map
 * onto them: `json-string` → `str`, `json-int` → `int`, `json-bool` → `bool`,
 * `json-double`/`json-number` → `number`, `json-value` → `any`.
 */
export type BuiltinName =
  'str' | 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'size' | 'number' | 'bool' | 'null' | 'any' | 'QType';

/** A use of a type: in a member, a return, an array element, a variant. */
export type TypeRef = BuiltinTypeRef | NamedTypeRef | ArrayTypeRef | ObjectTypeRef | EnumTypeRef | UnionTypeRef;

/** A built-in scalar (or `any`: a JSON value of no stated type). */
export interface BuiltinTypeRef {
  kind: 'builtin';
  name: BuiltinName;
}

/** A reference to an entry of `QmpModel.types` by its `name`. */
export interface NamedTypeRef {
  kind: 'named';
  name: string;
}

export interface ArrayTypeRef {
  kind: 'array';
  of: TypeRef;
}

/**
 * An inline JSON object. `members` lists what the document lists; `open` is true when the
 * document does not say the list is complete (a bare `json-object`, or text docs, which
 * often list only some fields), so emitters must allow other keys.
 */
export interface ObjectTypeRef {
  kind: 'object';
  members: Member[];
  open: boolean;
}

/** An inline enumeration of string values (text docs' "Possible values" lists). */
export interface EnumTypeRef {
  kind: 'enum';
  values: EnumValue[];
}

/** An inline choice between types, where a document says "json-int or json-string". */
export interface UnionTypeRef {
  kind: 'union';
  of: TypeRef[];
}

/** `if` conditions of the QAPI schema: a config symbol, or `all`/`any`/`not` of conditions. */
export type Condition = string | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/** A QAPI feature (`deprecated`, `unstable`, or a custom name) with its documentation. */
export interface Feature {
  name: string;
  doc?: string;
  if?: Condition;
}

/** An object member, command argument, event data member or union base member. */
export interface Member {
  name: string;
  type: TypeRef;
  optional: boolean;
  doc?: string;
  /** The document's own words for the type, where they were prose (text docs). */
  typeText?: string;
  /** The release that added the member, where the docs say (`(since 2.9)`). */
  since?: string;
  /** Default value, as the document words it. */
  default?: string;
  features?: Feature[];
  /** Present when the member is deprecated: the reason or replacement, or an empty string. */
  deprecated?: string;
  /** Remarks beyond the documents' words (a range model says which releases send the member). */
  notes?: string[];
  if?: Condition;
  loc: Location;
}

export interface EnumValue {
  name: string;
  doc?: string;
  features?: Feature[];
  deprecated?: string;
  if?: Condition;
  loc?: Location;
}

/** A named type: the QAPI schema's struct, enum, union and alternate, or one hoisted. */
export type NamedType = StructType | EnumType | UnionType | AlternateType;

interface NamedTypeBase {
  name: string;
  doc: Doc;
  features?: Feature[];
  deprecated?: string;
  if?: Condition;
  /** True when a front end made this type from an inline definition (no name in the docs). */
  hoisted?: boolean;
  /** The release that added the type, where stated. */
  since?: string;
  /** Examples in the type's own documentation (QAPI schemas put a few on structs and unions). */
  examples?: Example[];
  loc: Location;
}

export interface StructType extends NamedTypeBase {
  kind: 'struct';
  /** The name of the base struct whose members come first on the wire. */
  base?: string;
  /** Own members, without the base's. */
  members: Member[];
}

export interface EnumType extends NamedTypeBase {
  kind: 'enum';
  values: EnumValue[];
  prefix?: string;
}

/**
 * A discriminated union (QAPI "flat" union). Older "simple" unions are read into this form
 * as QEMU does: an implicit enum discriminator `type` and each variant wrapped as `{ data }`.
 */
export interface UnionType extends NamedTypeBase {
  kind: 'union';
  /** Named base struct, when the base is a type name. */
  base?: string;
  /** Every member of the base, whether the base is inline or named (then copied from it). */
  baseMembers: Member[];
  /** The base member whose value selects the variant. */
  discriminator: string;
  variants: UnionVariant[];
}

export interface UnionVariant {
  /** The discriminator value. */
  value: string;
  /** The members added for this value: normally a named struct; inline for simple unions. */
  type: TypeRef;
  /** The documentation of this branch, where the union's doc describes it (`@value:`). */
  doc?: string;
  if?: Condition;
  loc?: Location;
}

/** A QAPI alternate: a value that may be any one of several JSON types. */
export interface AlternateType extends NamedTypeBase {
  kind: 'alternate';
  /** `doc`: the alternative's description in the alternate's doc (`@name:`), where given. */
  alternatives: { name: string; type: TypeRef; doc?: string; if?: Condition; loc?: Location }[];
}

// ---------------------------------------------------------------------------------------------
// Commands and events

export interface Command {
  name: string;
  doc: Doc;
  /** The top-level members that go on the wire (for a boxed union: its base members). */
  arguments: Member[];
  /**
   * Set when the arguments are a named type rather than a member list (QAPI `data: 'T'`,
   * `boxed: true`): emitters use this type for the whole arguments object.
   */
  argumentsType?: NamedTypeRef;
  /** What a success returns. Absent when the documents do not say (an empty object on the wire). */
  returns?: TypeRef;
  examples: Example[];
  /** The release that added the command, where stated. */
  since?: string;
  features?: Feature[];
  /** Present when deprecated: the reason or replacement, or an empty string. */
  deprecated?: string;
  if?: Condition;
  /** QAPI command flags, where the schema sets them. */
  flags?: CommandFlags;
  loc: Location;
}

export interface CommandFlags {
  boxed?: boolean;
  allowOob?: boolean;
  allowPreconfig?: boolean;
  coroutine?: boolean;
  /** False for commands that never reply (e.g. guest agent `guest-shutdown`). */
  successResponse?: boolean;
  /** False when QEMU's marshalling code is written by hand (QAPI `'gen': false`); still on the wire. */
  gen?: boolean;
}

export interface Event {
  name: string;
  doc: Doc;
  /** The members of the event's `data` object. */
  data: Member[];
  /** Set when the data is a named type (QAPI `data: 'T'`, `boxed: true`). */
  dataType?: NamedTypeRef;
  examples: Example[];
  since?: string;
  features?: Feature[];
  deprecated?: string;
  if?: Condition;
  loc: Location;
}

// ---------------------------------------------------------------------------------------------
// Documentation

/** The prose of a definition, split into the sections documents use. */
export interface Doc {
  /** The description, paragraphs separated by blank lines; `''` when there is none. */
  description: string;
  /** `Note:`/`Notes:` paragraphs, in order. */
  notes: string[];
  /** The text of a `Returns:`/`Return:` section, when it is prose. */
  returns?: string;
  /** Failure descriptions (`Errors:` sections of QAPI 9.x, or error lists of text docs). */
  errors?: string[];
  /** Other sections the front end kept, by their heading (`TODO`, `Features`, …). */
  sections?: { title: string; text: string }[];
  loc?: Location;
}

/** One example transcript. */
export interface Example {
  /** The example's title or number as the document gives it. */
  title?: string;
  messages: ExampleMessage[];
  loc: Location;
}

/**
 * One message of an example. `direction` is `->` (client to server), `<-` (server to client),
 * or `text` for prose between messages. `json` is present when `text` parsed as JSON (after
 * the documents' own conventions such as `...` elisions were handled); otherwise the front end
 * left a warning, and `text` is still here.
 */
export interface ExampleMessage {
  direction: '->' | '<-' | 'text';
  text: string;
  json?: unknown;
  loc: Location;
}
