/**
 * The stable `code` of every diagnostic the text-document front end reports. Messages may be
 * reworded; codes are a contract (tests and users filter on them).
 */
export const codes = {
  // .hx input
  /** `SQMP`/`EQMP`/`STEXI`/`ETEXI` out of order: `hxtool -q` would stop (error). */
  hxMarker: 'hx-marker',
  /** The last line of the `.hx` file has no newline and hxtool drops it. */
  hxLastLine: 'hx-last-line',
  /** A `.hx` file with no `SQMP` block at all: nothing to read. */
  hxNoQmp: 'hx-no-qmp',

  // return values
  /** No return section, but an example returns a value: the return type is unknown, not `{}`. */
  returnsUndocumented: 'returns-undocumented',

  // headings
  /** The dashes under a heading are shorter or longer than the name. */
  headingUnderline: 'heading-underline',
  /** A heading with no underline (2.x `dump`). */
  headingUnderlineMissing: 'heading-underline-missing',
  /** A heading written `@name`. */
  headingAtSign: 'heading-at-sign',
  /** One heading naming several definitions (`SPICE_CONNECTED, SPICE_DISCONNECTED`). */
  headingSeveralNames: 'heading-several-names',
  /** A prose heading (`Show rocker switch`); the name comes from the example. */
  headingProse: 'heading-prose',
  /** A prose heading whose examples name no command: nothing to name it by. */
  headingUnnamed: 'heading-unnamed',
  /** The heading names one command, the examples execute another (`dump` / `dump-guest-memory`). */
  headingNameMismatch: 'heading-name-mismatch',
  /** A heading's name does not look like the document's kind (event name in a commands document). */
  headingKind: 'heading-kind',
  /** The same name is documented twice; the first definition is kept. */
  duplicateDefinition: 'duplicate-definition',
  /** A command found only in another command's examples. */
  commandFromExample: 'command-from-example',
  /** Member lists or example messages outside any definition (preamble, chapter text). */
  contentOutsideDefinition: 'content-outside-definition',

  // sections
  /** `Arguments: None.` / `Data: None.` followed by members anyway. */
  noneWithMembers: 'none-with-members',
  /** Text after `Arguments:` that is neither empty nor `None`. */
  sectionHeaderText: 'section-header-text',
  /** `Arguments:` with nothing under it. */
  sectionEmpty: 'section-empty',
  /** A member list with no `Arguments:`/`Data:` header and no return wording before it. */
  memberListUnheaded: 'member-list-unheaded',
  /** A further return member list that could not be attached to a member of the return value. */
  returnsListUnattached: 'returns-list-unattached',
  /** The event's data is a QAPI type named in prose, with no members listed. */
  dataSchemaType: 'data-schema-type',

  // members
  /** A member name without quotes (`- force: ...`). */
  memberNameUnquoted: 'member-name-unquoted',
  /** One member line naming several members (`- "cyls", "heads", "secs": ...`): each gets the line. */
  memberSeveralNames: 'member-several-names',
  /** A member line without the colon after the name (`- "setup-time" amount of ...`). */
  memberColonMissing: 'member-colon-missing',
  /** A member with no type in its text: read as `any`. */
  memberTypeMissing: 'member-type-missing',
  /** A type token the front end does not know: read as `any`. */
  memberTypeUnknown: 'member-type-unknown',
  /** A type spelt irregularly (`json-str`, `json_string`, `int`): read as the type meant. */
  memberTypeSpelling: 'member-type-spelling',
  /** The type is given in prose, not in parentheses (`a json-array of json-objects, ...`). */
  memberTypeInProse: 'member-type-in-prose',
  /** The type is a QAPI type named in prose (`NewImageMode`): cannot resolve here, read as `any`. */
  schemaTypeReference: 'schema-type-reference',
  /** A dash item with no name in a member list; its text is kept in the doc. */
  memberUnnamed: 'member-unnamed',
  /** Named lines under an unnamed item (`- Current program counter ...` / `"pc": ...`): lifted up as optional members. */
  memberUnnamedGroup: 'member-unnamed-group',
  /** Members nested under a member whose type is a scalar: the member is read as an object of them. */
  memberNestedUnderScalar: 'member-nested-under-scalar',
  /** The same member name twice in one list; the first is kept, the second's doc is appended. */
  memberDuplicate: 'member-duplicate',
  /** A continuation line at column 1, hanging under the member it continues. */
  memberHangingLine: 'member-hanging-line',
  /** Enumerated values read from prose (`Possible values:`, `one of the following`). */
  enumFromProse: 'enum-from-prose',
  /** A `Possible values` or value line with no member to attach to. */
  valuesWithoutMember: 'values-without-member',
  /** `optional` said in prose (`It's optional`, `only present if`), not in the type parentheses. */
  optionalInProse: 'optional-in-prose',

  // examples
  /** An example message that is not JSON (after elisions): kept as raw text. */
  exampleNotJson: 'example-not-json',
  /** An example message with `...` elisions, removed before reading the JSON. */
  exampleElision: 'example-elision',
  /** None of a command's examples executes the command itself. */
  exampleOtherCommand: 'example-other-command',
  /** An event example showing a different event. */
  exampleOtherEvent: 'example-other-event',
  /** An example executes an argument the command's documentation does not list. */
  exampleArgumentUndocumented: 'example-argument-undocumented',

  // anything else
  /** A line that fits nothing the format has at that place. */
  unrecognisedLine: 'unrecognised-line',
  /** Brackets nested thousands deep: the deeper ones are read as plain text. */
  nestingTooDeep: 'nesting-too-deep',
  /** Members nested more deeply than any document does: the deeper ones are read at the last level. */
  memberNestingTooDeep: 'member-nesting-too-deep',
  /** The grammar itself failed (should not happen: it accepts every text). */
  grammarFailure: 'grammar-failure',
  /**
   * The document looks cut short (a partial download, `head -c`): it ends mid-line, or its last
   * definition ends inside a member or an example message. QEMU's documents end with a newline
   * and a complete definition.
   */
  documentTruncated: 'document-truncated',
  /** The front end failed on one definition (should not happen); the others are still read. */
  internalError: 'internal-error',
} as const;
