/**
 * One target's reference, every file of it: the HTML pages (index, a page per module, search),
 * and `reference.md`. Deterministic: the same model and options give the same bytes.
 */
import type { Location, QmpModel, SchemaModule } from '../../ir/types.js';
import { bindModel } from '../typescript/target.js';
import { signatureText } from '../typescript/commands.js';
import { renderSite, type SiteFile, type SiteOptions } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildReference, type Reference, type ReferenceOptions } from './view.js';

export { renderTargetsIndex, type SiteFile } from './html.js';

export interface ReferenceFilesOptions extends SiteOptions, ReferenceOptions {
  title: string;
}

export function referenceOf(model: QmpModel, options: ReferenceFilesOptions): Reference {
  const signatures = new Map(bindModel(model).commands.map((b) => [b.command.name, signatureText(b)]));
  return buildReference(model, options.title, signatures, options);
}

export function referenceFiles(model: QmpModel, options: ReferenceFilesOptions): SiteFile[] {
  const ref = referenceOf(model, options);
  return [...renderSite(ref, options), { path: 'reference.md', content: renderMarkdown(ref) }];
}

/**
 * How to arrange a model by other models' modules, oldest first: a range model by its releases'
 * (the merge locates each definition in the newest release that documents it), a query-qmp-schema
 * reply by the schema it is named from (each definition placed where that schema has it).
 */
export function arrangementOf(models: readonly QmpModel[]): { modules: SchemaModule[][]; places: Map<string, Location> } {
  const places = new Map<string, Location>();
  for (const model of [...models].reverse()) {
    if (!model.source.modules) continue;
    const lists = [
      ['command', model.commands],
      ['event', model.events],
      ['type', model.types],
    ] as const;
    for (const [kind, list] of lists) for (const d of list) if (!places.has(`${kind}:${d.name}`)) places.set(`${kind}:${d.name}`, d.loc);
  }
  return { modules: models.map((m) => m.source.modules ?? []), places };
}

/** What a model is read from, in a line: `QEMU 7.2.0, QAPI schema (linux-x86_64-7.2)`. */
export function describeSource(model: QmpModel, configuration?: readonly string[]): string {
  const s = model.source;
  const what: Record<QmpModel['source']['frontend'], string> = {
    qapi: 'QAPI schema',
    textdoc: 'text documents',
    introspection: 'query-qmp-schema reply',
    reconciled: 'text documents and QAPI schema',
    range: `true for every release of QEMU ${listed(s.releases ?? [])}`,
  };
  // The guest agent's schema is qga/qapi-schema.json.
  const agent = s.files.some((f) => /(^|\/)qga\/[^/]+\.json$/.test(f)) ? ' guest agent' : '';
  const release = s.frontend !== 'range' && s.release ? `QEMU ${s.release}${agent},` : '';
  const config = configuration && configuration.length > 0 ? ` (${configuration.join(', ')})` : '';
  const text = `${release} ${what[s.frontend]}${config}`.trim();
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
