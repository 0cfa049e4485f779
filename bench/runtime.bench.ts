/**
 * The runtime against a minimal raw client, on one real QEMU in the same run:
 * - 20 000 sequential `query-status` and 20 000 with 100 in flight, QmpClient vs a raw Node
 *   socket client (JSON lines, numeric ids, a Map of resolvers: no library);
 * - events parsed and dispatched per second from a peer (another process) streaming
 *   1 000 000 events, QmpClient (`on` and `events()`) vs raw line splitting + JSON.parse;
 * - how long after `kill -9` of QEMU, and after sending `quit`, every pending call has been rejected;
 * - sequential query-status over mutual TLS against plain TCP, one QEMU;
 * - 200 QEMUs driven from this process (`QMP_BENCH_VMS` to change): JS heap per idle
 *   connection, and 200 × 100 interleaved query-status, QmpClient against raw clients.
 * Calls alternate between the two clients in slices of 500 (see `compare`); event rates
 * are the better of two rounds. Client CPU time per call is printed too: it is the steadier
 * signal on a shared machine, where QEMU's latency dominates the rate.
 *   npm run bench runtime
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { QmpClient, schemaValidator, type TargetJsonSchema } from '../runtime/index.js';
import { freePort, makeCertificates, tlsMonitorArgs } from '../test/runtime/helpers/tls.js';

const QEMU = 'qemu-system-x86_64';
const N = 20_000;
const WINDOW = 100;
const EVENTS = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'qmp-bench-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Address = string | { host: string; port: number };

function accepts(address: Address): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = typeof address === 'string' ? connect(address) : connect(address.port, address.host);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Starts QEMU (`-machine none`) with `monitorArgs`; resolves once every address in `ready` accepts. */
async function startQemuWith(monitorArgs: string[], ready: Address[]): Promise<ChildProcess> {
  const child = spawn(QEMU, ['-machine', 'none', '-nodefaults', '-display', 'none', ...monitorArgs], { stdio: 'ignore' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  for (const address of ready) {
    for (let waited = 0; !(typeof address !== 'string' || existsSync(address)) || !(await accepts(address)); waited += 10) {
      if (waited > 30_000 || child.exitCode !== null) throw new Error('QEMU did not start');
      await sleep(10);
    }
  }
  return child;
}

/** One QEMU; a QMP monitor serves one client at a time, so it gets two (raw client, QmpClient). */
async function startQemu(name: string): Promise<{ socket: string; second: string; child: ChildProcess }> {
  const socket = join(dir, `${name}.sock`);
  const second = join(dir, `${name}-2.sock`);
  const child = await startQemuWith(['-qmp', `unix:${socket},server=on,wait=off`, '-qmp', `unix:${second},server=on,wait=off`], [socket, second]);
  return { socket, second, child };
}

/** The baseline: what anyone would write in twenty lines. */
class RawClient {
  private readonly pending = new Map<number, (message: { return?: unknown; error?: unknown }) => void>();
  private id = 0;
  private rest = '';
  onEvent: (message: unknown) => void = () => {};

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const text = this.rest + chunk.toString('utf8');
      let start = 0;
      let end: number;
      while ((end = text.indexOf('\n', start)) !== -1) {
        const message = JSON.parse(text.slice(start, end)) as { id?: number; event?: string; return?: unknown; error?: unknown };
        start = end + 1;
        if (message.event !== undefined) this.onEvent(message);
        else if (message.id !== undefined) {
          const resolve = this.pending.get(message.id);
          this.pending.delete(message.id);
          resolve?.(message);
        }
      }
      this.rest = text.slice(start);
    });
  }

  static async connect(path: string): Promise<RawClient> {
    const socket = connect(path);
    await new Promise((resolve) => socket.once('data', resolve)); // the greeting
    const client = new RawClient(socket);
    await client.call('qmp_capabilities');
    return client;
  }

  call(name: string): Promise<{ return?: unknown; error?: unknown }> {
    const id = ++this.id;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.write(`{"execute":"${name}","id":${id}}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs `count` calls one after another. */
async function sequential(call: () => Promise<unknown>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await call();
}

/** Runs `count` calls keeping WINDOW in flight. */
async function pipelined(call: () => Promise<unknown>, count: number): Promise<void> {
  let issued = 0;
  const lane = async () => {
    while (issued < count) {
      issued++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
}

interface Tally {
  ms: number;
  cpuMicros: number;
}

interface Contender {
  connect(path: string): Promise<{ call: () => Promise<unknown>; close(): Promise<void> | void }>;
}

const rawContender: Contender = {
  async connect(path) {
    const raw = await RawClient.connect(path);
    return { call: () => raw.call('query-status'), close: () => raw.close() };
  },
};

const clientContender: Contender = {
  async connect(path) {
    const client = await QmpClient.connect(path);
    return { call: () => client.execute('query-status'), close: () => client.close() };
  },
};

/** QmpClient checking each reply against qemu-7.2.0's schema.json with Ajv (the `validate` option). */
const schema72 = JSON.parse(readFileSync(new URL('../generated/qemu-7.2.0/schema.json', import.meta.url), 'utf8')) as TargetJsonSchema;
/** One validator for every connection, as an application would keep it: query-status compiles once. */
const validator72 = schemaValidator(new Ajv({ allErrors: true, strict: false }), schema72);
const validatingContender: Contender = {
  async connect(path) {
    const client = await QmpClient.connect(path, { validate: validator72 });
    return { call: () => client.execute('query-status'), close: () => client.close() };
  },
};

/**
 * N calls through each client, in slices of 500 that alternate raw and QmpClient. The
 * machine is shared and QEMU's latency drifts; alternating puts both under the same drift.
 * Which client goes first, and which of QEMU's two monitors each uses, also alternate
 * (each slice reconnects, untimed): measured raw against raw, a fixed order showed a bias
 * of ~4 % against the second.
 */
async function compare(
  mode: (call: () => Promise<unknown>, count: number) => Promise<void>,
  monitors: [string, string],
  [rawSide, libSide]: [Contender, Contender] = [rawContender, clientContender],
) {
  const slice = 500;
  const tallies = { raw: { ms: 0, cpuMicros: 0 }, lib: { ms: 0, cpuMicros: 0 } };
  const timed = async (tally: Tally, call: () => Promise<unknown>) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await mode(call, slice);
    tally.ms += performance.now() - start;
    const used = process.cpuUsage(cpu);
    tally.cpuMicros += used.user + used.system;
  };
  for (let i = 0; i * slice < N; i++) {
    const [rawPath, libPath] = i % 2 === 0 ? monitors : [monitors[1], monitors[0]];
    const raw = await rawSide.connect(rawPath);
    const lib = await libSide.connect(libPath);
    if (Math.floor(i / 2) % 2 === 0) {
      await timed(tallies.raw, raw.call);
      await timed(tallies.lib, lib.call);
    } else {
      await timed(tallies.lib, lib.call);
      await timed(tallies.raw, raw.call);
    }
    await raw.close();
    await lib.close();
  }
  return {
    raw: N / (tallies.raw.ms / 1000),
    lib: N / (tallies.lib.ms / 1000),
    rawCpu: tallies.raw.cpuMicros / N,
    libCpu: tallies.lib.cpuMicros / N,
  };
}

function line(label: string, value: number, unit: string, baseline?: number, target?: string): void {
  const ratio = baseline === undefined ? '' : ` (${(value / baseline).toFixed(3)} ×baseline${target === undefined ? '' : `, target ${target}`})`;
  console.log(`${label}: ${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)} ${unit}${ratio}`);
}

async function throughput(): Promise<void> {
  const { socket, second } = await startQemu('throughput');
  // warm-up (JIT) for both
  for (const contender of [rawContender, clientContender]) {
    const c = await contender.connect(socket);
    await sequential(c.call, 2000);
    await pipelined(c.call, 2000);
    await c.close();
  }
  const seq = await compare(sequential, [socket, second]);
  line('raw socket client, 20 000 sequential query-status', seq.raw, 'calls/s');
  line('QmpClient, 20 000 sequential query-status', seq.lib, 'calls/s', seq.raw, '≥ 0.95');
  line('  client CPU per sequential call, raw', seq.rawCpu, 'µs');
  line('  client CPU per sequential call, QmpClient', seq.libCpu, 'µs', seq.rawCpu);
  const pipe = await compare(pipelined, [socket, second]);
  line(`raw socket client, 20 000 query-status, ${WINDOW} in flight`, pipe.raw, 'calls/s');
  line(`QmpClient, 20 000 query-status, ${WINDOW} in flight`, pipe.lib, 'calls/s', pipe.raw, '≥ 0.97');
  line('  client CPU per pipelined call, raw', pipe.rawCpu, 'µs');
  line('  client CPU per pipelined call, QmpClient', pipe.libCpu, 'µs', pipe.rawCpu);
}

/**
 * What the `validate` option costs: sequential and pipelined query-status, QmpClient with Ajv
 * validating each reply against QmpClient without (the baseline, here as "raw").
 */
async function validation(): Promise<void> {
  const { socket, second } = await startQemu('validation');
  for (const contender of [clientContender, validatingContender]) {
    const c = await contender.connect(socket);
    await sequential(c.call, 2000);
    await c.close();
  }
  const seq = await compare(sequential, [socket, second], [clientContender, validatingContender]);
  line('QmpClient, 20 000 sequential query-status', seq.raw, 'calls/s');
  line('QmpClient validating replies (Ajv), 20 000 sequential query-status', seq.lib, 'calls/s', seq.raw, '≥ 0.95');
  line('  client CPU per call validating, against not', seq.libCpu, 'µs', seq.rawCpu);
  const pipe = await compare(pipelined, [socket, second], [clientContender, validatingContender]);
  line(`QmpClient, 20 000 query-status, ${WINDOW} in flight`, pipe.raw, 'calls/s');
  line(`QmpClient validating replies (Ajv), ${WINDOW} in flight`, pipe.lib, 'calls/s', pipe.raw, '≥ 0.95');
  line('  client CPU per pipelined call validating, against not', pipe.libCpu, 'µs', pipe.rawCpu);
}

/** A peer in its own process: greets, negotiates, then on `stream` sends EVENTS events and a reply. */
const STREAMER = `
const net = require('node:net');
const event = '{"timestamp": {"seconds": 1795397406, "microseconds": 493322}, "event": "BLOCK_IO_ERROR", "data": {"device": "ide0-hd0", "node-name": "#block163", "operation": "write", "action": "report", "nospace": false, "reason": "No space left on device"}}\\r\\n';
const batch = Buffer.from(event.repeat(1000));
const server = net.createServer((socket) => {
  socket.write('{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}\\r\\n');
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk;
    let end;
    while ((end = text.indexOf('\\n')) !== -1) {
      const request = JSON.parse(text.slice(0, end));
      text = text.slice(end + 1);
      if (request.execute !== 'stream') { socket.write('{"return": {}, "id": ' + JSON.stringify(request.id) + '}\\r\\n'); continue; }
      let sent = 0;
      const pump = () => {
        while (sent < ${EVENTS} / 1000) { sent++; if (!socket.write(batch)) return socket.once('drain', pump); }
        socket.write('{"return": {}, "id": ' + JSON.stringify(request.id) + '}\\r\\n');
      };
      pump();
    }
  });
});
server.listen(process.argv[1], () => process.stdout.write('ready\\n'));
`;

async function events(): Promise<void> {
  const socket = join(dir, 'events.sock');
  const child = spawn(process.execPath, ['-e', STREAMER, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  await new Promise((resolve) => child.stdout.once('data', resolve));

  const rawRate = async () => {
    const raw = await RawClient.connect(socket);
    let count = 0;
    raw.onEvent = () => count++;
    const start = performance.now();
    await raw.call('stream');
    const rate = count / ((performance.now() - start) / 1000);
    raw.close();
    if (count !== EVENTS) throw new Error(`raw client saw ${count} events`);
    return rate;
  };
  const onRate = async () => {
    const client = await QmpClient.connect(socket);
    let count = 0;
    client.on('BLOCK_IO_ERROR', () => count++);
    const start = performance.now();
    await client.execute('stream');
    const rate = count / ((performance.now() - start) / 1000);
    await client.close();
    if (count !== EVENTS) throw new Error(`QmpClient on() saw ${count} of ${EVENTS} events`);
    return rate;
  };
  const iteratorRate = async () => {
    const client = await QmpClient.connect(socket, { eventStreamLimit: EVENTS });
    const stream = client.events('BLOCK_IO_ERROR');
    let count = 0;
    const start = performance.now();
    const done = client.execute('stream');
    for await (const message of stream) {
      if (message.data['device'] === 'ide0-hd0') count++;
      if (count === EVENTS) break;
    }
    await done;
    const rate = count / ((performance.now() - start) / 1000);
    await client.close();
    if (count !== EVENTS) throw new Error(`QmpClient events() saw ${count} of ${EVENTS} events`);
    return rate;
  };
  let raw = 0;
  let on = 0;
  let iterator = 0;
  for (let round = 0; round < 2; round++) {
    raw = Math.max(raw, await rawRate());
    on = Math.max(on, await onRate());
    iterator = Math.max(iterator, await iteratorRate());
  }
  line('raw split + JSON.parse, 1 000 000 events', raw, 'events/s');
  line('QmpClient on(), 1 000 000 events, all delivered', on, 'events/s', raw, '≥ 200 000/s');
  line('QmpClient events() iterator, 1 000 000 events, all delivered', iterator, 'events/s', raw, '≥ 200 000/s');
  child.kill('SIGKILL');
}

async function killLatency(): Promise<void> {
  const figures: number[] = [];
  for (let round = 0; round < 5; round++) {
    const { socket, child } = await startQemu(`kill${round}`);
    const client = await QmpClient.connect(socket);
    const calls = Array.from({ length: 1000 }, () => client.execute('query-status').catch(() => 'rejected'));
    await sleep(1);
    const killed = performance.now();
    child.kill('SIGKILL');
    const results = await Promise.all(calls);
    figures.push(performance.now() - killed);
    if (!results.includes('rejected')) round--; // every call was answered before the kill: again
  }
  figures.sort((a, b) => a - b);
  console.log(
    `kill -9 with 1 000 calls in flight, every pending call rejected after: median ${figures[2]!.toFixed(1)} ms, max ${figures[4]!.toFixed(1)} ms (target < 100 ms)`,
  );
}

/** quit with 1 000 calls behind it: how long from sending quit until every one is rejected. */
async function quitLatency(): Promise<void> {
  const figures: number[] = [];
  for (let round = 0; round < 5; round++) {
    const { socket } = await startQemu(`quit${round}`);
    const client = await QmpClient.connect(socket);
    await client.execute('query-status');
    const sent = performance.now();
    const quit = client.execute('quit').catch(() => 'lost');
    const calls = Array.from({ length: 1000 }, () =>
      client.execute('query-status').then(
        () => 'answered',
        () => 'rejected',
      ),
    );
    const results = await Promise.all(calls);
    figures.push(performance.now() - sent);
    await quit;
    if (results.includes('answered')) throw new Error('a call behind quit was answered');
  }
  figures.sort((a, b) => a - b);
  console.log(
    `quit with 1 000 calls behind it, all rejected after (from sending quit, QEMU's exit included): median ${figures[2]!.toFixed(1)} ms, max ${figures[4]!.toFixed(1)} ms (target < 100 ms)`,
  );
}

/** Sequential query-status over TLS against plain TCP, two monitors of one QEMU, alternating slices. */
async function tlsThroughput(): Promise<void> {
  const { qemuDir, ca, clientCert: cert, clientKey: key } = makeCertificates();
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const child = await startQemuWith(
    [
      '-chardev',
      `socket,id=plain,host=127.0.0.1,port=${plainPort},server=on,wait=off`,
      '-mon',
      'chardev=plain,mode=control',
      ...tlsMonitorArgs(qemuDir, tlsPort, 'tls'),
    ],
    [{ host: '127.0.0.1', port: plainPort }],
  );
  await sleep(200); // the TLS monitor cannot be probed without a handshake; it listens by now
  const plain = await QmpClient.connect({ host: '127.0.0.1', port: plainPort });
  const tls = await QmpClient.connect({ host: '127.0.0.1', port: tlsPort, tls: { ca, cert, key } });
  const plainCall = () => plain.execute('query-status');
  const tlsCall = () => tls.execute('query-status');
  await sequential(plainCall, 1000);
  await sequential(tlsCall, 1000);
  const total = 10_000;
  const slice = 500;
  let plainMs = 0;
  let tlsMs = 0;
  for (let i = 0; i * slice < total; i++) {
    const order = i % 2 === 0 ? [plainCall, tlsCall] : [tlsCall, plainCall];
    for (const call of order) {
      const start = performance.now();
      await sequential(call, slice);
      if (call === plainCall) plainMs += performance.now() - start;
      else tlsMs += performance.now() - start;
    }
  }
  line('QmpClient over plain TCP, 10 000 sequential query-status', total / (plainMs / 1000), 'calls/s');
  line(
    'QmpClient over mutual TLS (whitespace record after each write), 10 000 sequential query-status',
    total / (tlsMs / 1000),
    'calls/s',
    total / (plainMs / 1000),
    '≥ 0.6',
  );
  await plain.close();
  await tls.close();
  child.kill('SIGKILL');
}

/**
 * VMS QEMUs driven from this process: JS heap per idle QmpClient, and 100 sequential
 * query-status per VM with all VMs interleaved, QmpClient against raw clients (rounds
 * alternate which goes first and which of each QEMU's two monitors each uses).
 */
async function fleet(): Promise<void> {
  const vms = Number(process.env.QMP_BENCH_VMS ?? 200);
  const perVm = 100;
  const gc = (globalThis as { gc?: () => void }).gc;
  const machines: { a: string; b: string; child: ChildProcess }[] = [];
  const started = performance.now();
  for (let i = 0; i < vms; i += 20) {
    const batch = Array.from({ length: Math.min(20, vms - i) }, async (_, k) => {
      const { socket, second, child } = await startQemu(`vm${i + k}`);
      machines.push({ a: socket, b: second, child });
    });
    await Promise.all(batch);
  }
  console.log(`(${vms} QEMUs started in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  // heap per idle connection: connected one by one (no burst of promises), measured after full GCs
  const heap = async () => {
    await sleep(50);
    for (let i = 0; i < 3; i++) gc?.();
    return process.memoryUsage().heapUsed;
  };
  const beforeRaw = await heap();
  let raws: RawClient[] = [];
  for (const m of machines) raws.push(await RawClient.connect(m.b));
  const perRaw = ((await heap()) - beforeRaw) / vms;
  const before = await heap();
  let clients: QmpClient[] = [];
  for (const m of machines) clients.push(await QmpClient.connect(m.a));
  const perClient = ((await heap()) - before) / vms;
  if (gc === undefined) console.log('(run with --expose-gc for a steady heap figure)');
  line(`JS heap per idle raw client (socket included), ${vms} connected`, perRaw / 1024, 'KiB');
  line(`JS heap per idle QmpClient (socket included), ${vms} connected`, perClient / 1024, 'KiB', perRaw / 1024, '≤ 64 KiB');

  let rawMs = 0;
  let libMs = 0;
  const drive = async (calls: (() => Promise<unknown>)[]) => {
    const start = performance.now();
    await Promise.all(
      calls.map(async (call) => {
        for (let i = 0; i < perVm; i++) await call();
      }),
    );
    return performance.now() - start;
  };
  for (let round = 0; round < 4; round++) {
    if (round === 2) {
      // swap monitors: QmpClients on b, raw clients on a
      await Promise.all(clients.map((c) => c.close()));
      for (const r of raws) r.close();
      await sleep(50);
      raws = await Promise.all(machines.map((m) => RawClient.connect(m.a)));
      clients = await Promise.all(machines.map((m) => QmpClient.connect(m.b)));
    }
    const rawCalls = raws.map((r) => () => r.call('query-status'));
    const libCalls = clients.map((c) => () => c.execute('query-status'));
    if (round % 2 === 0) {
      rawMs += await drive(rawCalls);
      libMs += await drive(libCalls);
    } else {
      libMs += await drive(libCalls);
      rawMs += await drive(rawCalls);
    }
  }
  const total = 4 * vms * perVm;
  line(`raw clients, ${vms} QEMUs × ${perVm} sequential query-status, interleaved`, total / (rawMs / 1000), 'calls/s');
  line(`QmpClient, ${vms} QEMUs × ${perVm} sequential query-status, interleaved`, total / (libMs / 1000), 'calls/s', total / (rawMs / 1000), '≥ 0.9');
  await Promise.all(clients.map((c) => c.close()));
  for (const r of raws) r.close();
  for (const m of machines) m.child.kill('SIGKILL');
}

await throughput();
await validation();
await events();
await killLatency();
await quitLatency();
await tlsThroughput();
await fleet();
process.exit(0);
