/**
 * The front ends' shared entry: turns the inputs a user names on the command line into one IR.
 * Each input's kind is told by its content, not its name: IR JSON, a `query-qmp-schema` reply,
 * a QAPI schema entry file, or QEMU's text documents (`qmp-commands.txt`, `qmp-events.txt`, `.hx`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { QmpModel } from '../ir/types.js';
import { modelFromJson, parseJsonFile } from '../ir/json.js';
import { detectInput, type InputKind } from './detect.js';
import { parseTextDocuments, type TextDocument } from './textdoc/index.js';
import { parseSchema } from './qapi/index.js';
import { modelFromIntrospection } from './introspect/index.js';
import { reconcileTextWithSchema } from './text-with-schema.js';
import { configureModel } from '../ir/conditions.js';

export class InputError extends Error {
  override name = 'InputError';
}

export interface ReadOptions {
  /** Build configuration for schema `if` conditions (config symbols that are true). */
  conditions?: readonly string[];
}

export interface ReadInput {
  file: string;
  text: string;
  kind: InputKind;
}

/** Reads and classifies every input; throws `InputError` naming the file that fits no kind. */
export function classifyInputs(files: readonly string[]): ReadInput[] {
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const detected = detectInput(text);
    if (detected.kind === 'unknown') {
      throw new InputError(`${file}:${detected.line}:${detected.column}: not a QMP document of any known kind: ${detected.reason}\n  ${detected.lineText}`);
    }
    return { file, text, kind: detected.kind };
  });
}

/** One model from the inputs: text documents are read together; other kinds stand alone. */
export function readModel(files: readonly string[], options: ReadOptions = {}): QmpModel {
  const inputs = classifyInputs(files);
  const text: TextDocument[] = [];
  const other: ReadInput[] = [];
  for (const input of inputs) {
    if (input.kind === 'qmp-commands' || input.kind === 'qmp-events' || input.kind === 'hx') {
      text.push({ file: input.file, text: input.text, kind: input.kind });
    } else other.push(input);
  }
  // A release's text documents with its schema: types from the schema, prose from the text.
  if (text.length > 0 && other.length === 1 && other[0]!.kind === 'qapi-schema') {
    return reconcileTextWithSchema(parseTextDocuments(text), parseSchema(other[0]!.file, { conditions: options.conditions }));
  }
  if (other.length > 1 || (other.length === 1 && text.length > 0)) {
    throw new InputError(
      `give text documents (qmp-commands, qmp-events, .hx), optionally with their release's schema, or one schema, introspection reply or IR JSON; got ${inputs
        .map((i) => `${i.file} (${i.kind})`)
        .join(', ')}`,
    );
  }
  if (text.length > 0) return configured(parseTextDocuments(text), options);
  const input = other[0]!;
  switch (input.kind) {
    case 'ir-json':
      return configured(modelFromJson(input.text, input.file), options);
    case 'introspection': {
      const model = modelFromIntrospection(parseJsonFile(input.text, input.file), input.file);
      const version = siblingVersion(input.file);
      if (version !== undefined) model.source.release = version;
      return configured(model, options);
    }
    case 'qapi-schema':
      return parseSchema(input.file, { conditions: options.conditions });
    default:
      throw new InputError(`${input.file}: unsupported input kind ${input.kind}`);
  }
}

/**
 * The version a captured reply's QEMU gave: its `query-version` reply, saved beside it as
 * `query-version.json` (as scripts/capture-introspection.ts saves them), if there is one.
 */
function siblingVersion(file: string): string | undefined {
  try {
    const reply = JSON.parse(readFileSync(join(dirname(file), 'query-version.json'), 'utf8')) as { qemu?: { major: number; minor: number; micro: number } };
    const qemu = (reply as { return?: typeof reply }).return?.qemu ?? reply.qemu;
    return qemu === undefined ? undefined : `${qemu.major}.${qemu.minor}.${qemu.micro}`;
  } catch {
    return undefined;
  }
}

/**
 * A model of any kind filtered by `--if`, which is checked against it: IR JSON may keep a
 * schema's conditions; text documents and introspection have none, so only presets pass there.
 */
function configured(model: QmpModel, options: ReadOptions): QmpModel {
  return options.conditions === undefined ? model : configureModel(model, options.conditions);
}
