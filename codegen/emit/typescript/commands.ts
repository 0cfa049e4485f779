/**
 * Commands → the `Commands` map (`Commands['eject']['args']`, `Commands['query-status']['returns']`)
 * and one exported function per command, `(client, args?, options?) => Promise<returns>`. Each
 * function is a standalone export with no side effects, so bundlers keep only the ones used.
 */
import { StructureKind, Writers, type FunctionDeclarationStructure, type InterfaceDeclarationStructure } from './ts-morph.js';
import type { Command, Member } from '../../ir/types.js';
import { camelCase, pascalCase, propertyName, stringLiteral, type NameRegistry } from './names.js';
import { jsDoc } from './tsdoc.js';
import { conditionNote, emptyObjectName, featureNotes, optionalDoc, type TypeContext } from './typerefs.js';

/** What the emitter decided for one command; the examples check and the reference reuse it. */
export interface CommandBinding {
  command: Command;
  functionName: string;
  argsType: string;
  argsRequired: boolean;
  returnsType: string;
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
          'Every command of this target: `Commands[name][\'args\']` is its arguments object, ' +
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

export function commandFunction(b: CommandBinding): FunctionDeclarationStructure {
  const { command } = b;
  return {
    kind: StructureKind.Function,
    name: b.functionName,
    isExported: true,
    parameters: [
      { name: 'client', type: 'QmpCaller' },
      { name: 'args', type: b.argsType, hasQuestionToken: !b.argsRequired },
      { name: 'options', type: 'CallOptions', hasQuestionToken: true },
    ],
    returnType: `Promise<${b.returnsType}>`,
    statements: (writer) => {
      writer.write(`return client.request(${stringLiteral(command.name)}, args, options) as Promise<${b.returnsType}>;`);
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
  return `function ${b.functionName}(client: QmpCaller, args${b.argsRequired ? '' : '?'}: ${b.argsType}, options?: CallOptions): Promise<${b.returnsType}>`;
}
