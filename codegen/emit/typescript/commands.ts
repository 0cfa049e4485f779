/**
 * Commands → the `Commands` map (`Commands['eject']['args']`, `Commands['query-status']['returns']`)
 * and one exported function per command, `(client, args?, options?) => Promise<returns>`. Each
 * function is a standalone export with no side effects, so bundlers keep only the ones used. It is
 * generic over the client's mode (read off the client it is given), so that a bigint-mode client
 * gets its arguments and reply typed as it sends and delivers them.
 */
import { StructureKind, Writers, type FunctionDeclarationStructure, type InterfaceDeclarationStructure } from './ts-morph.js';
import type { Command } from '../../ir/types.js';
import { camelCase, pascalCase, propertyName, stringLiteral, type NameRegistry } from './names.js';
import { jsDoc } from './tsdoc.js';
import { conditionNote, emptyObjectName, featureNotes, modeParameter, optionalDoc, type TypeContext } from './typerefs.js';

/** What the emitter decided for one command; the examples check and the reference reuse it. */
export interface CommandBinding {
  command: Command;
  functionName: string;
  argsType: string;
  argsRequired: boolean;
  returnsType: string;
  /** Whether the arguments or the reply can hold a wide integer: then they are typed by the client's mode. */
  argsWide: boolean;
  returnsWide: boolean;
}

export function bindCommand(ctx: TypeContext, values: NameRegistry, command: Command): CommandBinding {
  const base = pascalCase(command.name);
  let argsType = emptyObjectName;
  if (command.argumentsType) argsType = ctx.nameOf(command.argumentsType.name);
  else if (command.arguments.length > 0) {
    argsType = ctx.hoist(`${base}Args`, command.arguments, false, {
      docs: [{ kind: StructureKind.JSDoc, description: `Arguments of \`${command.name}\`.` }],
    });
  }
  return {
    command,
    functionName: values.claim(camelCase(command.name), `command ${command.name}`),
    argsType,
    argsRequired: hasRequired(ctx, command),
    returnsType: command.returns ? ctx.type(command.returns, `${base}Result`) : emptyObjectName,
    argsWide: command.argumentsType ? ctx.facts.holdsWideInteger(command.argumentsType) : command.arguments.some((m) => ctx.facts.holdsWideInteger(m.type)),
    returnsWide: command.returns !== undefined && ctx.facts.holdsWideInteger(command.returns),
  };
}

function hasRequired(ctx: TypeContext, command: Command): boolean {
  if (!command.argumentsType) return command.arguments.some((m) => !m.optional);
  const type = ctx.lookup(command.argumentsType.name);
  if (type === undefined) return command.arguments.some((m) => !m.optional);
  if (type.kind === 'union' || type.kind === 'alternate' || type.kind === 'enum') return true;
  return ctx.facts.structMembers(type.name).some((m) => !m.optional);
}

/** An interface, not a type alias: TypeScript checks code that uses an interface a little faster. */
export function commandsMap(bindings: CommandBinding[]): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name: 'Commands',
    isExported: true,
    docs: [
      {
        kind: StructureKind.JSDoc,
        description:
          "Every command of this target: `Commands[name]['args']` is its arguments object, " +
          "`Commands[name]['returns']` what a success returns. A command without arguments has " +
          `\`args: ${emptyObjectName}\` (pass nothing or \`{}\`); a command whose documents state no ` +
          `return value returns \`${emptyObjectName}\` (QMP's \`{}\`).`,
      },
    ],
    properties: bindings.map((b) => ({
      name: propertyName(b.command.name),
      type: Writers.objectType({
        properties: [
          { name: 'args', type: b.argsType },
          { name: 'returns', type: b.returnsType },
        ],
      }),
      docs: optionalDoc(jsDoc({ doc: b.command.doc, deprecated: b.command.deprecated, since: b.command.since })),
    })),
  };
}

/**
 * The function's types: where the arguments or the reply can hold a wide integer, it is generic
 * over the client's mode and those read `InMode<T, Mode>`; otherwise no mode can change them, and
 * the function stays plain (less for a consumer's `tsc` to instantiate).
 */
function signatureTypes(b: CommandBinding): { generic: boolean; client: string; args: string; returns: string } {
  const inMode = (type: string, wide: boolean): string => (wide ? `InMode<${type}, ${modeParameter}>` : type);
  const generic = b.argsWide || b.returnsWide;
  return {
    generic,
    client: generic ? `QmpCaller<${modeParameter}>` : 'QmpCaller',
    args: inMode(b.argsType, b.argsWide),
    returns: `Promise<${inMode(b.returnsType, b.returnsWide)}>`,
  };
}

/** Whether any command function of `bindings` is generic over the mode (so needs its types imported). */
export function usesClientMode(bindings: CommandBinding[]): boolean {
  return bindings.some((b) => b.argsWide || b.returnsWide);
}

export function commandFunction(b: CommandBinding): FunctionDeclarationStructure {
  const { command } = b;
  const types = signatureTypes(b);
  const returns = types.returns;
  return {
    kind: StructureKind.Function,
    name: b.functionName,
    isExported: true,
    typeParameters: types.generic ? [{ name: modeParameter, constraint: 'ClientMode' }] : [],
    parameters: [
      { name: 'client', type: types.client },
      { name: 'args', type: types.args, hasQuestionToken: !b.argsRequired },
      { name: 'options', type: 'CallOptions', hasQuestionToken: true },
    ],
    returnType: returns,
    statements: (writer) => {
      writer.write(`return client.request(${stringLiteral(command.name)}, args, options) as ${returns};`);
    },
    docs: optionalDoc(
      jsDoc({
        doc: command.doc,
        since: command.since,
        deprecated: command.deprecated,
        examples: command.examples,
        extra: [`QMP command \`${command.name}\`.`, ...conditionNote(command.if), ...featureNotes(command.features)],
      }),
    ),
  };
}

/** The generated function's signature as one line, for the reference. */
export function signatureText(b: CommandBinding): string {
  const t = signatureTypes(b);
  const typeParameters = t.generic ? `<${modeParameter} extends ClientMode>` : '';
  return `function ${b.functionName}${typeParameters}(client: ${t.client}, args${b.argsRequired ? '' : '?'}: ${t.args}, options?: CallOptions): ${t.returns}`;
}
