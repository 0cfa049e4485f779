import type { Location } from '../../ir/types.js';
import type { Diagnostics } from '../../ir/diagnostics.js';
import type { MemberTextSegment, Offset } from './grammar.js';

/** What every reading step needs: where an offset is in the file as given, and where to report. */
export interface ReadContext {
  file: string;
  at(offset: Offset): Location;
  diagnostics: Diagnostics;
  /** `parseMemberText`, remembered for the document (member texts repeat: "device name (json-string)"). */
  memberText(text: string): readonly MemberTextSegment[];
}
