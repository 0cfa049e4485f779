/**
 * What a hostile peer can cost the client, against a baseline in the same run:
 * - a 64 MiB reply of integers beyond 2^53 nested in arrays (`[W,[W,[W,…]]]`), received by a
 *   QmpClient (framing, parse, the wide-integer scan, the warning; and with `integers: 'bigint'`)
 *   against plain `JSON.parse` of the same bytes: time, and peak memory above the bytes
 *   themselves. Each variant runs in a process of its own, so that its peak is its own.
 * - an unfinished message fed in small reads up to `maxMessageSize`: memory held per byte held.
 *   npm run bench hostile
 */
import { spawnSync } from 'node:child_process';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { QmpClient } from '../runtime/index.js';
import { MessageFramer } from '../runtime/framing.js';

const SIZE = 64 * 1024 * 1024;
const WIDE = '18446744073709551615';
const greeting = '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\r\n';

/** `{"return": [W,[W,…[1]…]], "id": 2}` of about `size` bytes. */
function hostileReply(size: number): Buffer {
  const depth = Math.floor((size - 40) / (WIDE.length + 3));
  return Buffer.from(`{"return": ${`[${WIDE},`.repeat(depth)}1${']'.repeat(depth)}, "id": 2}\r\n`);
}

type Variant = 'bytes' | 'json-parse' | 'client-number' | 'client-bigint';

/** In a child process: one variant, then its time and peak RSS as JSON on stdout. */
async function child(variant: Variant): Promise<void> {
  const reply = hostileReply(SIZE);
  globalThis.gc?.();
  const started = performance.now();
  if (variant === 'json-parse') JSON.parse(reply.toString('utf8'));
  else if (variant !== 'bytes') {
    const stream: Duplex = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        const request = JSON.parse(chunk.toString()) as { id: number };
        if (request.id === 1) stream.push('{"return": {}, "id": 1}\r\n');
        done();
      },
    });
    stream.push(greeting);
    const warnings: Error[] = [];
    const client = await QmpClient.connect(stream, { integers: variant === 'client-bigint' ? 'bigint' : 'number', onError: (e) => warnings.push(e) });
    const call = client.execute('guest-evil');
    for (let at = 0; at < reply.length; at += 65536) stream.push(reply.subarray(at, at + 65536));
    await call;
    if (variant === 'client-number' && warnings.length !== 1) throw new Error(`expected one warning, got ${warnings.length}`);
    await client.close();
  }
  const elapsed = performance.now() - started;
  process.stdout.write(JSON.stringify({ elapsed, maxRss: process.resourceUsage().maxRSS * 1024 }));
}

function run(variant: Variant): { elapsed: number; maxRss: number } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), variant], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${variant}: ${result.stderr}`);
  return JSON.parse(result.stdout) as { elapsed: number; maxRss: number };
}

function hugeReply(): void {
  const rounds = 3;
  const best = new Map<Variant, { elapsed: number; maxRss: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const variant of ['bytes', 'json-parse', 'client-number', 'client-bigint'] as const) {
      const r = run(variant);
      const seen = best.get(variant);
      best.set(variant, { elapsed: Math.min(seen?.elapsed ?? Infinity, r.elapsed), maxRss: Math.min(seen?.maxRss ?? Infinity, r.maxRss) });
    }
  }
  const base = best.get('bytes')!.maxRss;
  const parse = best.get('json-parse')!;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  console.log(
    `a ${mib(SIZE)} reply of nested wide integers (best of ${rounds}, each variant in its own process; memory is peak RSS above a process holding the bytes)`,
  );
  console.log(`  JSON.parse of the bytes: ${parse.elapsed.toFixed(0)} ms, ${mib(parse.maxRss - base)}`);
  for (const variant of ['client-number', 'client-bigint'] as const) {
    const r = best.get(variant)!;
    const label = variant === 'client-number' ? "QmpClient, integers: 'number' (rounded, one warning)" : "QmpClient, integers: 'bigint' (exact)";
    console.log(
      `  ${label}: ${r.elapsed.toFixed(0)} ms (${(r.elapsed / parse.elapsed).toFixed(2)}× JSON.parse), ${mib(r.maxRss - base)} (${((r.maxRss - base) / (parse.maxRss - base)).toFixed(2)}× JSON.parse)`,
    );
  }
}

/** Memory held by the framer for an unfinished message fed `readSize` bytes at a time, per byte held. */
function heldMemory(): void {
  const limit = 8 * 1024 * 1024;
  for (const readSize of [1, 16, 4096]) {
    globalThis.gc?.();
    const before = process.memoryUsage();
    let faults = 0;
    const framer = new MessageFramer(
      limit,
      () => {},
      () => faults++,
    );
    const read = Buffer.alloc(readSize, 0x78);
    framer.push(Buffer.from('{"return": "'));
    const total = limit - 64;
    for (let fed = 0; fed + readSize <= total; fed += readSize) framer.push(read);
    globalThis.gc?.();
    const after = process.memoryUsage();
    const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    if (faults !== 0) throw new Error('the framer faulted below its limit');
    console.log(
      `unfinished message of ${(total / 1024 / 1024).toFixed(0)} MiB in ${readSize}-byte reads (limit 8 MiB): ${(grown / total).toFixed(2)} bytes of memory per byte held (target ≤ 2)`,
    );
  }
}

const variant = process.argv[2] as Variant | undefined;
if (variant !== undefined) await child(variant);
else {
  hugeReply();
  heldMemory();
}
