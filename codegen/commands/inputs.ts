/**
 * What a user may name as one input on the command line: a document, several joined with commas
 * (`qmp-commands.txt,qmp-events.txt`), or a release folder holding QEMU's documents (its text
 * documents, or else its schema's entry file).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const folderLayouts = [
  ['qmp-commands.txt', 'qmp-events.txt'],
  ['qapi-schema/qapi/qapi-schema.json'],
  ['qapi-schema/qapi-schema.json'],
  ['qapi/qapi-schema.json'],
  ['qapi-schema.json'],
];

export function expandInput(spec: string): string[] {
  if (spec.includes(',') && !existsSync(spec)) return spec.split(',').flatMap(expandInput);
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    for (const layout of folderLayouts) {
      const files = layout.map((f) => join(spec, f)).filter((f) => existsSync(f));
      if (files.length > 0) return files;
    }
    throw new Error(`${spec}: a folder, but it holds no qmp-commands.txt, qmp-events.txt or qapi-schema.json`);
  }
  return [spec];
}
