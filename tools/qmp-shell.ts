#!/usr/bin/env node
/**
 * qmp-shell: an interactive QMP shell over the runtime. `command key=value ...` or raw JSON;
 * tab completion of command and argument names from the live QEMU's schema; arguments checked
 * before anything is sent; replies pretty-printed; events printed as they arrive; history kept in
 * ~/.qmp-shell_history. Reading from a pipe, it runs each line and exits (1 if any failed).
 */
import { createInterface, type Interface } from 'node:readline';
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QmpClient, QmpError, toJson, type QmpEventMessage } from '../runtime/index.js';
import { modelFromIntrospection } from '../codegen/model.js';
import { resolveAddress } from './address.js';
import { CommandCatalog } from './shell/catalog.js';
import { complete } from './shell/complete.js';
import { parseShellLine, ShellSyntaxError } from './shell/parse.js';

const usage = `usage: qmp-shell [--address] SOCKET|HOST:PORT [--no-check] [--timeout MS]
  Reads QMP commands as 'command key=value ...' or raw JSON. Without an address, $QMP_SOCKET.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { address: { type: 'string', short: 'a' }, 'no-check': { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const target = resolveAddress(values.address ?? positionals[0], 'QMP_SOCKET');
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  const client = await QmpClient.connect(target, { integers: 'bigint' });
  try {
    const catalog = await loadCatalog(client);
    const interactive = process.stdin.isTTY === true;
    return interactive
      ? await repl(client, catalog, { check: !values['no-check'], timeout })
      : await batch(client, catalog, { check: !values['no-check'], timeout });
  } finally {
    await client.close();
  }
}

/** The live schema when QEMU has `query-qmp-schema` (2.5 on); otherwise no completion, no checks. */
async function loadCatalog(client: QmpClient): Promise<CommandCatalog | undefined> {
  try {
    return new CommandCatalog(modelFromIntrospection(await client.request('query-qmp-schema'), 'query-qmp-schema'));
  } catch (error) {
    if (error instanceof QmpError) return undefined;
    throw error;
  }
}

interface RunOptions {
  check: boolean;
  timeout: number | undefined;
}

/** Runs one line; prints the reply or the error. Returns false when the line failed. */
async function runLine(
  client: QmpClient,
  catalog: CommandCatalog | undefined,
  line: string,
  options: RunOptions,
  print: (text: string) => void,
  printError: (text: string) => void,
): Promise<boolean> {
  let command;
  try {
    command = parseShellLine(line);
  } catch (error) {
    if (error instanceof ShellSyntaxError) {
      printError(`error: ${error.message}`);
      return false;
    }
    throw error;
  }
  if (!command) return true;
  if (options.check && catalog) {
    const problems = catalog.validate(command);
    if (problems.length > 0) {
      for (const p of problems) printError(`error: ${p}`);
      printError('(not sent)');
      return false;
    }
  }
  try {
    const reply = await client.request(command.name, command.args, options.timeout === undefined ? undefined : { timeout: options.timeout });
    print(toJson(reply, 2));
    return true;
  } catch (error) {
    if (error instanceof QmpError) printError(`error: ${error.errorClass}: ${error.desc}`);
    else printError(`error: ${(error as Error).message}`);
    return false;
  }
}

function formatEvent(message: QmpEventMessage): string {
  const { seconds, microseconds } = message.timestamp;
  return `event ${message.event} at ${seconds}.${String(microseconds).padStart(6, '0')}: ${toJson(message.data)}`;
}

async function batch(client: QmpClient, catalog: CommandCatalog | undefined, options: RunOptions): Promise<number> {
  const off = client.subscribe(undefined, (m) => console.log(formatEvent(m)));
  let failed = false;
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    if (
      !(await runLine(
        client,
        catalog,
        line,
        options,
        (t) => console.log(t),
        (t) => console.error(t),
      ))
    )
      failed = true;
  }
  off();
  return failed ? 1 : 0;
}

const historyFile = join(homedir(), '.qmp-shell_history');

function loadHistory(): string[] {
  try {
    return readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000);
  } catch {
    return [];
  }
}

async function repl(client: QmpClient, catalog: CommandCatalog | undefined, options: RunOptions): Promise<number> {
  const greeting = client.greeting;
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: '(QEMU) ',
    history: loadHistory(),
    historySize: 1000,
    completer: catalog ? (line: string) => complete(catalog, line) : undefined,
  });
  const print = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  // An event that arrives while the user types is printed above the prompt, which is redrawn.
  const off = client.subscribe(undefined, (m) => {
    process.stdout.write(`\r\x1b[K${formatEvent(m)}\n`);
    rl.prompt(true);
  });
  const version =
    greeting.version === undefined ? '(version not given)' : `${greeting.version.qemu.major}.${greeting.version.qemu.minor}.${greeting.version.qemu.micro}`;
  print(`Connected to QEMU ${version}${catalog ? '' : ' (no query-qmp-schema: no completion or checks)'}`);
  print("Type a command ('query-status', 'eject device=ide1-cd0') or raw JSON; Tab completes; Ctrl-D quits.");
  rl.prompt();
  const closed = new Promise<void>((resolve) => rl.once('close', resolve));
  client.onStateChange((change) => {
    if (change.state === 'closed') rl.close();
  });
  rl.on('line', (line) => {
    rl.pause();
    if (line.trim()) appendHistory(line);
    void runLine(client, catalog, line, options, print, print).finally(() => {
      rl.resume();
      rl.prompt();
    });
  });
  await closed;
  off();
  print('');
  return 0;
}

function appendHistory(line: string): void {
  try {
    appendFileSync(historyFile, `${line}\n`);
  } catch {
    // History is a convenience; an unwritable home must not stop the shell.
  }
}
