import type { QmpModel } from '../../ir/types.js';

export interface TextDocument {
  file: string;
  text: string;
  /** As told by `detectInput`; the front end may refine it. */
  kind: 'qmp-commands' | 'qmp-events' | 'hx';
}

/** Placeholder until the text-document front end lands. */
export function parseTextDocuments(_docs: TextDocument[]): QmpModel {
  throw new Error('text-document front end not built yet');
}
