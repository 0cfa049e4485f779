/**
 * JSDoc blocks printed here rather than through ts-morph's code writer, which looks at every
 * character it writes (for strings and comments) and spent more time on the documentation than on
 * the code: each block is swapped for a one-line placeholder before `printStructure`, and put back
 * after, as ts-morph's JSDoc printer lays it out (`/** text *\/` for one line; else `/**`, ` * line`
 * each, ` *\/`).
 */
import { StructureKind, type JSDocStructure, type JSDocTagStructure } from './ts-morph.js';

type Docs = (JSDocStructure | string)[];

const placeholder = /^([ \t]*)\/\*\* @@qmp-jsdoc:(\d+) \*\/$/gm;

export class JsDocTexts {
  private readonly texts: string[] = [];

  /** A copy of `structure` with every `docs` (at any depth) a placeholder; the texts are kept here. */
  takeFrom<T>(structure: T): T {
    if (Array.isArray(structure)) return structure.map((item: unknown) => this.takeFrom(item)) as T;
    if (typeof structure !== 'object' || structure === null) return structure;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(structure)) {
      copy[key] = key === 'docs' && Array.isArray(value) ? (value as Docs).map((d) => this.placeholder(d)) : this.takeFrom(value);
    }
    return copy as T;
  }

  /** `text` with each placeholder replaced by its block, at the placeholder's indentation. */
  putBack(text: string): string {
    return text.replace(placeholder, (_line: string, indent: string, n: string) => block(this.texts[Number(n)]!, indent));
  }

  private placeholder(doc: JSDocStructure | string): JSDocStructure {
    this.texts.push(typeof doc === 'string' ? doc : docText(doc));
    return { kind: StructureKind.JSDoc, description: `@@qmp-jsdoc:${this.texts.length - 1}` };
  }
}

/** A JSDoc's text as ts-morph composes it: the description, then one line per tag. */
function docText(doc: JSDocStructure): string {
  if (typeof doc.description === 'function' || typeof doc.tags === 'function') throw new Error('JSDoc written by a function: not supported here');
  const description = typeof doc.description === 'string' ? doc.description : '';
  const tags = (doc.tags ?? []).map((t) => tagText(t as JSDocTagStructure));
  return tags.length === 0 ? description : `${description}${description ? '\n' : ''}${tags.join('\n')}`;
}

function tagText(tag: JSDocTagStructure): string {
  if (typeof tag.text === 'function') throw new Error('JSDoc tag written by a function: not supported here');
  const text = tag.text ?? '';
  return `@${tag.tagName}${text.length > 0 && !/^\r?\n/.test(text) ? ' ' : ''}${text}`;
}

function block(text: string, indent: string): string {
  const lines = text.split(/\r?\n/);
  if (lines.length <= 1) return `${indent}/** ${lines[0]}${lines[0]!.endsWith(' ') ? '' : ' '}*/`;
  const body = lines.slice(lines[0] === '' ? 1 : 0).map((l) => `${indent} *${l.length > 0 ? ` ${l}` : ''}`);
  return [`${indent}/**`, ...body, `${indent} */`].join('\n');
}
