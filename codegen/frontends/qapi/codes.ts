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

  // examples in doc comments (examples.ts), warnings
  /** An example message with no `->` or `<-`. */
  exampleDirection: 'example-direction',
  /** An example message that is not JSON; kept as text. */
  exampleJson: 'example-json',
} as const;

export type QapiCode = (typeof codes)[keyof typeof codes];
