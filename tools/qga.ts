#!/usr/bin/env node
/**
 * qga: a guest agent client on the typed QEMU 7.2 guest agent bindings, as QEMU's qemu-ga-client:
 *   qga ping | info | fsfreeze status|freeze|thaw | cat FILE | ifconfig | shutdown [--mode M] | reboot
 * It synchronises with the agent (`guest-sync-delimited`) before each command and gives up after
 * 3 s by default (`--timeout MS`). Address: --address ADDR (unix socket path or host:port), or
 * $QGA_CLIENT_ADDRESS. --json prints JSON.
 */
import { parseArgs } from 'node:util';
import { QgaClient, toJson } from '../runtime/index.js';
import * as qga from '../generated/qga-7.2.0/index.js';
import { resolveAddress } from './address.js';

const usage = `usage: qga [--address ADDR] [--timeout MS] [--json] COMMAND
  ping                           is the agent there?
  info                           the agent's version and the commands it has
  fsfreeze status|freeze|thaw    freeze or thaw the guest's file systems
  cat FILE                       print a file of the guest
  ifconfig                       the guest's network interfaces
  shutdown [--mode powerdown|halt|reboot]
  reboot`;

type Client = QgaClient<qga.Commands>;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      address: { type: 'string', short: 'a' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const timeout = values.timeout === undefined ? 3000 : Number(values.timeout);
  if (!(timeout > 0)) throw new Error(`--timeout must be a positive number of milliseconds, not ${values.timeout}`);
  const print = (value: unknown, text: () => string): void => console.log(values.json ? toJson(value, 2) : text());
  await using client: Client = await QgaClient.connect<qga.Commands>(resolveAddress(values.address, 'QGA_CLIENT_ADDRESS'), {
    connectTimeout: timeout,
    callTimeout: timeout,
    integers: 'bigint',
  });
  switch (command) {
    case 'ping':
      await qga.guestPing(client);
      print({}, () => 'the agent answers');
      return 0;
    case 'info': {
      const info = await qga.guestInfo(client);
      print(info, () =>
        [`version: ${info.version}`, 'commands:', ...info.supported_commands.map((c) => `  ${c.name}${c.enabled ? '' : ' (disabled)'}`)].join('\n'),
      );
      return 0;
    }
    case 'fsfreeze':
      return await fsfreeze(client, rest[0], print);
    case 'cat':
      if (rest[0] === undefined) throw new Error('cat: name the file');
      await cat(client, rest[0]);
      return 0;
    case 'ifconfig': {
      const interfaces = await qga.guestNetworkGetInterfaces(client);
      print(interfaces, () =>
        interfaces
          .map((i) =>
            [
              `${i.name}${i['hardware-address'] ? `  ${i['hardware-address']}` : ''}`,
              ...(i['ip-addresses'] ?? []).map((a) => `  ${a['ip-address-type']} ${a['ip-address']}/${a.prefix}`),
            ].join('\n'),
          )
          .join('\n'),
      );
      return 0;
    }
    case 'shutdown':
    case 'reboot': {
      const mode = command === 'reboot' ? 'reboot' : (values.mode ?? 'powerdown');
      if (!['powerdown', 'halt', 'reboot'].includes(mode)) throw new Error(`--mode is powerdown, halt or reboot, not ${mode}`);
      await qga.guestShutdown(client, { mode });
      print({}, () => `${mode} requested`);
      return 0;
    }
    default:
      console.error(`qga: unknown command '${command}'\n${usage}`);
      return 2;
  }
}

async function fsfreeze(client: Client, verb: string | undefined, print: (value: unknown, text: () => string) => void): Promise<number> {
  switch (verb) {
    case 'status': {
      const status = await qga.guestFsfreezeStatus(client);
      print(status, () => status);
      return 0;
    }
    case 'freeze': {
      const count = await qga.guestFsfreezeFreeze(client);
      print(count, () => `${count} file systems frozen`);
      return 0;
    }
    case 'thaw': {
      const count = await qga.guestFsfreezeThaw(client);
      print(count, () => `${count} file systems thawed`);
      return 0;
    }
    default:
      console.error(`qga fsfreeze: expected status, freeze or thaw${verb ? `, not '${verb}'` : ''}`);
      return 2;
  }
}

/** Reads the file in chunks, as binary, straight to stdout; the handle is always closed. */
async function cat(client: Client, path: string): Promise<void> {
  const handle = await qga.guestFileOpen(client, { path, mode: 'r' });
  try {
    for (;;) {
      const chunk = await qga.guestFileRead(client, { handle, count: 65536 });
      if (chunk.count > 0) process.stdout.write(Buffer.from(chunk['buf-b64'], 'base64'));
      if (chunk.eof || chunk.count === 0) break;
    }
  } finally {
    await qga.guestFileClose(client, { handle });
  }
}
