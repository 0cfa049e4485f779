#!/usr/bin/env node
/**
 * qmp-codegen: parse | generate | docs | diff | history. Flags and dispatch only; each command's work is in
 * codegen/commands/.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Handler = (args: { values: Record<string, unknown>; positionals: string[] }) => Promise<number>;

interface Subcommand {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run: () => Promise<Handler>;
}

const subcommands: Record<string, Subcommand> = {
  parse: {
    summary: 'read QMP documents and print or write their intermediate model (IR JSON)',
    usage:
      'qmp-codegen parse INPUT... [--out model.json] [--if CONFIG]...\n  INPUT: text documents (.txt, .hx), a schema entry file, a query-qmp-schema reply, IR JSON, or a running QEMU (its socket: PATH or unix:PATH; HOST:PORT)',
    options: {
      out: { type: 'string', short: 'o' },
      if: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
    },
    run: async () => (await import('./commands/parse.js')).parseCommand,
  },
  generate: {
    summary: 'generate typed bindings: every configured target from spec/, or one from given documents',
    usage:
      'qmp-codegen generate [--target NAME]... [--check | --watch] [--verbose]\n' +
      '       qmp-codegen generate (--commands F [--events F] | --schema ENTRY.json | --from SOCKET|unix:PATH|HOST:PORT | DOCUMENT...) --out DIR\n' +
      '                            [--if CONFIG]... [--runtime-import SPECIFIER] [--check | --watch]\n' +
      '         a running QEMU (--from) or a saved query-qmp-schema reply takes the names and docs of --names-from TARGET|SCHEMA|none\n' +
      '         (default: the newest bundled release) wherever that release documents the same shape\n' +
      '       qmp-codegen generate (--range FROM..TO | --merge INPUT INPUT...) --out DIR [...]\n' +
      '         bindings true for every release: --range takes the releases in spec/ (7.2..11.1), --merge one release per INPUT, oldest first',
    options: {
      commands: { type: 'string' },
      events: { type: 'string' },
      schema: { type: 'string' },
      from: { type: 'string' },
      'names-from': { type: 'string' },
      out: { type: 'string', short: 'o' },
      check: { type: 'boolean' },
      watch: { type: 'boolean', short: 'w' },
      target: { type: 'string', multiple: true, short: 't' },
      if: { type: 'string', multiple: true },
      'runtime-import': { type: 'string' },
      range: { type: 'string' },
      merge: { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
    },
    run: async () => (await import('./commands/generate.js')).generateCommand,
  },
  docs: {
    summary: 'write a static HTML reference (and Markdown) of the documents',
    usage: 'qmp-codegen docs INPUT... --out DIR [--title TEXT] [--if CONFIG]...\n       qmp-codegen docs            (every configured target, into reference/)',
    options: {
      out: { type: 'string', short: 'o' },
      title: { type: 'string' },
      if: { type: 'string', multiple: true },
    },
    run: async () => (await import('./commands/docs.js')).docsCommand,
  },
  diff: {
    summary: 'what changed for a client between two interfaces (exit 1 when something breaks)',
    usage:
      'qmp-codegen diff OLD NEW [--json | --format text|json|md] [--out FILE] [--if CONFIG]...\n' +
      '  OLD, NEW: IR JSON, a schema entry file, text documents (comma-joined), a release folder,\n' +
      '            or a running QEMU (its socket: PATH or unix:PATH; HOST:PORT; read with query-qmp-schema)',
    options: {
      json: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string', short: 'o' },
      if: { type: 'string', multiple: true },
    },
    run: async () => (await import('./commands/diff.js')).diffCommand,
  },
  history: {
    summary: 'the releases of spec/ that have a command, event, type or member, and what changed when',
    usage:
      'qmp-codegen history NAME [--json] [--family qemu|qga] [--spec DIR]\n' +
      '       qmp-codegen history --findings [--json] [--family qemu|qga] [--spec DIR]\n' +
      '  NAME: a command, event or type, or OWNER.PART (migrate.blk, MigrationCapability.block);\n' +
      "  computed from every release's documents in spec/ (or DIR); --findings lists the Since: lines that disagree",
    options: {
      json: { type: 'boolean' },
      findings: { type: 'boolean' },
      family: { type: 'string' },
      spec: { type: 'string' },
    },
    run: async () => (await import('./commands/history.js')).historyCommand,
  },
};

function usage(): string {
  const lines = ['usage: qmp-codegen <command> [options]', '', 'commands:'];
  for (const [name, sub] of Object.entries(subcommands)) lines.push(`  ${name.padEnd(9)} ${sub.summary}`);
  lines.push('', "Run 'qmp-codegen <command> --help' for a command's options.");
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const sub = subcommands[name];
  if (!sub) {
    console.error(`qmp-codegen: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${sub.usage}`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: sub.options, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`qmp-codegen ${name}: ${(error as Error).message}\nusage: ${sub.usage}`);
    return 2;
  }
  const handler = await sub.run();
  return handler({ values: parsed.values, positionals: parsed.positionals });
}
