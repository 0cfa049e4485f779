/**
 * The stable `code` of every diagnostic the QAPI schema front end reports, as the text front end's
 * `textdoc/codes.ts` lists its own. Messages may be reworded; codes are a contract (tests, users
 * and QEMU's own schema tests, test/fixtures/qapi-schema-tests, filter on them).
 */
export const codes = {
  // files: include and pragma directives (reader.ts)
  /** `{ 'include': ... }` that is not one file name. */
  includeInvalid: 'include-invalid',
  /** A file includes itself, directly or not. */
  includeLoop: 'include-loop',
  /** An included file cannot be read. */
  includeMissing: 'include-missing',
  /** A `pragma` that is not `{ 'pragma': { ... } }`, or a setting of the wrong shape. */
  pragmaInvalid: 'pragma-invalid',
  /** A pragma QEMU does not know; ignored. */
  pragmaUnknown: 'pragma-unknown',

  // syntax slips QEMU of their day read (schema.peggy), warnings
  /** `'a': 'x' 'b': 'y'`: QEMU 1.x read it as if the comma were there. */
  missingComma: 'missing-comma',
  /** `, }`: QEMU 1.x ignored it. */
  trailingComma: 'trailing-comma',
  /** A backslash before a character other than `\\` in a string: read as that character. */
  unknownEscape: 'unknown-escape',
  /** Text after the `##` that opens a doc comment. */
  docOpenJunk: 'doc-open-junk',
  /** A doc comment without its opening `##` line. */
  docOpenMissing: 'doc-open-missing',
  /** A doc comment closed by `###` (or more) instead of `##`. */
  docCloseJunk: 'doc-close-junk',
  /** A doc comment never closed by a `##` line. */
  docUnterminated: 'doc-unterminated',

  // expressions (definitions.ts, QEMU's expr.py), errors
  /** Not exactly one of `enum`, `struct`, `union`, `alternate`, `command`, `event`. */
  definitionKind: 'definition-kind',
  /** The definition's name is not a string. */
  badName: 'bad-name',
  /** A key given twice in one object. */
  duplicateKey: 'duplicate-key',
  /** A key the definition's kind does not allow. */
  unknownKey: 'unknown-key',
  /** A key the definition's kind requires is missing. */
  missingKey: 'missing-key',
  /** A value of the wrong shape (`'data'` not an object, `'features'` not a list, ...). */
  badValue: 'bad-value',
  /** A flag (`boxed`, `gen`, `allow-oob`, ...) with a value other than its one meaningful value. */
  badFlag: 'bad-flag',
  /** A type use that is neither a name nor a one-element list. */
  badType: 'bad-type',
  /** An `'if'` that is no condition. */
  badCondition: 'bad-condition',
  /** A member, branch or value given twice. */
  duplicateMember: 'duplicate-member',

  // the schema as a whole (model.ts, QEMU's schema.py), errors
  /** Two definitions of one name. */
  duplicateDefinition: 'duplicate-definition',
  /** A use of a type the schema does not define. */
  unknownType: 'unknown-type',
  /** A base that is not a struct. */
  badBase: 'bad-base',
  /** A struct that is its own base, through others or not. */
  baseLoop: 'base-loop',
  /** A discriminator that is not a member of the union's base. */
  badDiscriminator: 'bad-discriminator',
  /** A union branch that is no value of the discriminator's enum. */
  badVariant: 'bad-variant',
  /** A command's or event's `'data'` naming a type that cannot be its arguments. */
  badData: 'bad-data',
  /** One member on the wire twice (own and a base's, a branch's and the base's). */
  memberClash: 'member-clash',
  /** Two alternate branches of one JSON kind (two objects, two strings, ...): a value cannot choose. */
  alternateAmbiguous: 'alternate-ambiguous',
  /** An alternate branch of `any` (matches everything) or of another alternate. */
  alternateBranchType: 'alternate-branch-type',
  /** A flat union's branch that is not a struct (a built-in, a list, an enum, an alternate). */
  unionBranchType: 'union-branch-type',
  /** A name holding a control character (U+0000–U+001F, U+007F). */
  badString: 'bad-string',
  /** A feature listed twice on one definition or member. */
  duplicateFeature: 'duplicate-feature',

  // QEMU's C generator and style (checks.ts), warnings: older releases broke them
  /** A name QEMU's rules refuse (`*oops`, `l1_grow.write`): still a plain string on the wire. */
  nameInvalid: 'name-invalid',
  /** A name against QEMU's case rules (CamelCase types, lower-case commands and members, upper-case events). */
  nameCase: 'name-case',
  /** A name QEMU's C generator reserves (`q-` prefix, `u`, `has-…`, a type ending in `List`). */
  nameReserved: 'name-reserved',
  /** Two names that are one once made C identifiers (`a-b`, `a_b`): distinct on the wire. */
  nameClash: 'name-clash',
  /** Alternate branches JSON tells apart but QEMU's command line (keyval) does not. */
  alternateKeyval: 'alternate-keyval',
  /** A discriminator that is not of an enum type (QEMU 1.7's reading: the branch names are its values). */
  discriminatorNotEnum: 'discriminator-not-enum',
  /** A union with no branch and no tag value. */
  unionEmpty: 'union-empty',
  /** Conditional arguments without `'boxed': true`, which QEMU's C generator needs. */
  argsIfUnboxed: 'args-if-unboxed',
  /** Flags QEMU cannot combine (`allow-oob` with `coroutine`). */
  flagsIncompatible: 'flags-incompatible',
  /** A command returning something other than an object or a list of objects, outside the pragma's exceptions. */
  returnsNotObject: 'returns-not-object',
  /** `deprecated` on a type, which QEMU does not support. */
  featureDeprecatedType: 'feature-deprecated-type',
  /** More features than QEMU's bitmask holds (64). */
  featuresTooMany: 'features-too-many',
  /** `'if': [...]`, QEMU 3.0–6.0's list of conditions, read as `{ 'all': [...] }`. */
  conditionList: 'condition-list',
  /** A member whose value is an object without 'type': an anonymous struct, as QEMU ≤ 2.2 read it. */
  memberNestedStruct: 'member-nested-struct',

  // doc comments (doc.ts, model.ts), warnings
  docMissing: 'doc-missing',
  docMissingSpace: 'doc-missing-space',
  docNotFollowed: 'doc-not-followed',
  docSymbolEmpty: 'doc-symbol-empty',
  docSymbolText: 'doc-symbol-text',
  docSymbolForm: 'doc-symbol-form',
  docSymbolSpace: 'doc-symbol-space',
  docSymbolMismatch: 'doc-symbol-mismatch',
  docMemberAfterSection: 'doc-member-after-section',
  docSectionColon: 'doc-section-colon',
  docSectionEmpty: 'doc-section-empty',
  docNameEmpty: 'doc-name-empty',
  docDuplicate: 'doc-duplicate',
  docUnknownMember: 'doc-unknown-member',
  docUnknownFeature: 'doc-unknown-feature',
  docFeatureMissing: 'doc-feature-missing',
  docReturns: 'doc-returns',
  /** A description line indented less than the line before it set (QEMU: 'unexpected de-indent'); read as part of it. */
  docBadIndent: 'doc-bad-indent',
  /** `= Heading` markup inside a definition's doc, where only free-form blocks hold headings; read as text. */
  docHeadingInDefinition: 'doc-heading-in-definition',
  /** `Features:` with no `@feature:` line under it. */
  docFeaturesEmpty: 'doc-features-empty',
  /** An `@name:` line in a free-form block, which documents no definition; read as text. */
  docFreeformMember: 'doc-freeform-member',

  // examples in doc comments (examples.ts), warnings
  /** An example message with no `->` or `<-`. */
  exampleDirection: 'example-direction',
  /** An example message that is not JSON; kept as text. */
  exampleJson: 'example-json',
} as const;

export type QapiCode = (typeof codes)[keyof typeof codes];
