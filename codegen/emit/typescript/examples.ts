/**
 * The documents' own examples as type tests. Every `->` request becomes a call through the
 * generated function, every `<-` reply that is JSON a value of the command's return type, every
 * event a value of its data type; `tsc` over the file proves the bindings accept what the
 * documents show. An example that contradicts the documents' own member lists is still emitted,
 * marked `@ts-expect-error` with the reason (so `tsc` proves the contradiction is real), and
 * listed in the report.
 */
import { StructureKind, type FunctionDeclarationStructure, type SourceFileStructure, type StatementStructures } from './ts-morph.js';
import { NameRegistry, pascalCase } from './names.js';
import type { Command, Example, Location, QmpModel } from '../../ir/types.js';
import { ConformanceChecker, type ConformanceIssue } from '../../ir/conformance.js';
import type { CommandBinding } from './commands.js';
import type { EventBinding } from './events.js';

export interface ExampleFinding {
  loc: Location;
  /** The command or event the message is for. */
  subject: string;
  kind: 'request' | 'reply' | 'event';
  issues: ConformanceIssue[];
}

export interface ExampleReport {
  requests: number;
  replies: number;
  events: number;
  /** Messages that are not JSON (the front end warned) or name no known command/event. */
  skipped: { loc: Location; reason: string }[];
  /** Examples that contradict the documents' member lists. */
  contradictions: ExampleFinding[];
}

interface CheckStatement {
  comment: string;
  code: string;
  expectError?: string;
}

export function examplesFile(model: QmpModel, commands: CommandBinding[], events: EventBinding[]) {
  const checker = new ConformanceChecker(model);
  const byCommand = new Map(commands.map((b) => [b.command.name, b]));
  const byEvent = new Map(events.map((b) => [b.event.name, b]));
  const report: ExampleReport = { requests: 0, replies: 0, events: 0, skipped: [], contradictions: [] };
  // One function per command, event or type, in the model's order: a reader finds an example
  // by its subject, and the formatter can share the file out in pieces.
  const groups: { name: string; subject: string; statements: CheckStatement[] }[] = [];
  const functionNames = new NameRegistry();
  let statements: CheckStatement[] = [];
  const group = (name: string, subject: string): void => {
    statements = [];
    groups.push({ name: functionNames.claim(name, subject), subject, statements });
  };

  const where = (loc: Location): string => `${loc.file}:${loc.line}`;

  const checkEvent = (message: Record<string, unknown>, loc: Location): void => {
    const name = String(message.event);
    const binding = byEvent.get(name);
    if (!binding) return void report.skipped.push({ loc, reason: `event ${name} is not in the model` });
    report.events++;
    const data = message.data ?? {};
    const issues = binding.event.dataType ? checker.check(data, binding.event.dataType) : checker.checkMembers(data, binding.event.data, false);
    statements.push(
      finding(
        issues,
        { loc, subject: name, kind: 'event' },
        `event ${name} (${where(loc)})`,
        `const _: Events[${JSON.stringify(name)}] = ${JSON.stringify(data)};`,
      ),
    );
  };

  const finding = (issues: ConformanceIssue[], f: Omit<ExampleFinding, 'issues'>, comment: string, code: string): CheckStatement => {
    if (issues.length === 0) return { comment, code };
    report.contradictions.push({ ...f, issues });
    return { comment, code, expectError: issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
  };

  const walk = (examples: Example[], owner: Command | undefined): void => {
    for (const example of examples) {
      let last: CommandBinding | undefined;
      for (const message of example.messages) {
        if (message.direction === 'text') continue;
        const json = message.json;
        if (json === undefined) {
          report.skipped.push({ loc: message.loc, reason: 'not JSON' });
          continue;
        }
        if (!isObject(json)) {
          report.skipped.push({ loc: message.loc, reason: 'not a JSON object' });
          continue;
        }
        if (message.direction === '->') {
          const name = json.execute ?? json['exec-oob'];
          const binding = typeof name === 'string' ? byCommand.get(name) : undefined;
          last = binding;
          if (!binding) {
            report.skipped.push({ loc: message.loc, reason: `executes ${String(name)}, which is not in the model` });
            continue;
          }
          report.requests++;
          const args = json.arguments;
          const issues = checkArguments(checker, binding.command, args);
          const call = `await api.${binding.functionName}(client${args === undefined ? '' : `, ${JSON.stringify(args)}`});`;
          statements.push(
            finding(issues, { loc: message.loc, subject: binding.command.name, kind: 'request' }, `${binding.command.name} (${where(message.loc)})`, call),
          );
        } else if ('event' in json) {
          checkEvent(json, message.loc);
        } else if ('return' in json) {
          const binding = last ?? (owner ? byCommand.get(owner.name) : undefined);
          if (!binding) {
            report.skipped.push({ loc: message.loc, reason: 'a reply with no request to pair it with' });
            continue;
          }
          report.replies++;
          const issues = binding.command.returns ? checker.check(json.return, binding.command.returns) : emptyReply(json.return);
          const code = `const _: Commands[${JSON.stringify(binding.command.name)}]['returns'] = ${JSON.stringify(json.return)};`;
          statements.push(
            finding(
              issues,
              { loc: message.loc, subject: binding.command.name, kind: 'reply' },
              `reply of ${binding.command.name} (${where(message.loc)})`,
              code,
            ),
          );
        }
      }
    }
  };

  for (const command of model.commands) {
    group(`check${pascalCase(command.name)}`, `command \`${command.name}\``);
    walk(command.examples, command);
  }
  for (const event of model.events) {
    group(`check${pascalCase(event.name)}Event`, `event \`${event.name}\``);
    walk(event.examples, undefined);
  }
  for (const type of model.types) {
    group(`check${pascalCase(type.name)}Type`, `type \`${type.name}\``);
    walk(type.examples ?? [], undefined);
  }

  const file = (runtime: string): SourceFileStructure => ({
    kind: StructureKind.SourceFile,
    statements: [
      `// The documents' examples as type tests: \`tsc\` over this file checks that each request compiles as a call,\n` +
        `// and each reply and event as a value of its type. ${report.contradictions.length} contradict the documents' own member lists:\n` +
        `// they are marked @ts-expect-error with the reason. ${report.skipped.length} messages could not be checked (not JSON, or no such command).`,
      ...imports(report, runtime),
      ...groups
        .filter((g) => g.statements.length > 0)
        .map((g): FunctionDeclarationStructure => ({
          kind: StructureKind.Function,
          name: g.name,
          isExported: true,
          isAsync: true,
          parameters: [{ name: 'client', type: 'QmpCaller' }],
          returnType: 'Promise<void>',
          docs: [{ kind: StructureKind.JSDoc, description: `The examples of ${g.subject}. Never called: it exists to be type-checked.` }],
          statements: (writer) => {
            for (const s of g.statements) {
              writer.writeLine(`// ${s.comment}`);
              if (s.expectError !== undefined) {
                // One line, unformatted: @ts-expect-error covers only the line after it.
                writer.writeLine('// prettier-ignore');
                writer.writeLine(`// @ts-expect-error -- the example contradicts the documents: ${s.expectError.replace(/\n/g, ' ')}`);
              }
              writer.writeLine(s.code.startsWith('const _') ? `{ ${s.code} }` : s.code);
            }
          },
        })),
    ],
  });
  return { report, file };
}

/** Only what the file uses: a target without examples imports nothing (and stays a module). */
function imports(report: ExampleReport, runtime: string): StatementStructures[] {
  if (report.requests + report.replies + report.events === 0) return [{ kind: StructureKind.ExportDeclaration, namedExports: [] }];
  const out: StatementStructures[] = [{ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: runtime, namedImports: ['QmpCaller'] }];
  const types = [...(report.replies > 0 ? ['Commands'] : []), ...(report.events > 0 ? ['Events'] : [])];
  if (types.length > 0) out.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: './index.js', namedImports: types });
  if (report.requests > 0) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: './index.js', namespaceImport: 'api' });
  return out;
}

function checkArguments(checker: ConformanceChecker, command: Command, args: unknown): ConformanceIssue[] {
  const value = args ?? {};
  if (command.argumentsType) return checker.check(value, command.argumentsType, '$.arguments');
  return checker.checkMembers(value, command.arguments, false, '$.arguments');
}

function emptyReply(value: unknown): ConformanceIssue[] {
  return isObject(value) && Object.keys(value).length === 0
    ? []
    : [{ path: '$.return', message: `the documents state no return value, but the example returns ${JSON.stringify(value).slice(0, 60)}` }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
