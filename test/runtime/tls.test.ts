/**
 * TLS to QEMU 7.2's monitor (`tls-creds-x509`, `verify-peer=on`: mutual TLS), with
 * certificates made here by openssl.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionClosedError, QmpClient, QmpTimeoutError } from '../../runtime/index.js';
import { describeWithQemu, MINIMAL_ARGS, QEMU, accepts } from './helpers/qemu.js';
import { freePort, haveOpenssl, makeCertificates, tlsMonitorArgs, type Certificates } from './helpers/tls.js';


/** Needs QEMU and openssl: skips without them, except under CI, where it fails. */
function describeTls(name: string, body: () => void): void {
  if (haveOpenssl) describeWithQemu(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('needs openssl, which CI must provide', () => {
        throw new Error('openssl not found, and CI is set');
      });
    });
  } else describe.skip(`${name} (openssl not installed)`, body);
}

let certs: Certificates;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }
});

/** A QEMU whose only monitor is TLS on a free port; resolves once it listens. */
async function tlsQemu(): Promise<number> {
  const port = await freePort();
  const child = spawn(QEMU, [...MINIMAL_ARGS, ...tlsMonitorArgs(certs.qemuDir, port)], { stdio: 'ignore' });
  children.push(child);
  // a plain TCP probe: QEMU drops it at the handshake, which is fine
  for (let waited = 0; !(await accepts({ host: '127.0.0.1', port })); waited += 20) {
    if (waited > 10_000 || child.exitCode !== null) throw new Error('QEMU did not open its TLS monitor');
    await new Promise((r) => setTimeout(r, 20));
  }
  return port;
}

describeTls('QmpClient over TLS to QEMU 7.2', () => {
  beforeAll(() => {
    certs = makeCertificates();
  });
  afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

  it('negotiates with mutual TLS and runs commands one after another', async () => {
    const port = await tlsQemu();
    await using client = await QmpClient.connect({ host: '127.0.0.1', port, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    expect(client.greeting.version?.qemu.major).toBe(7);
    // each of these would wait for the next write without the whitespace record
    for (let i = 0; i < 20; i++) expect(await client.execute('query-status', {}, { timeout: 5000 })).toMatchObject({ running: true });
    const calls = Array.from({ length: 200 }, (_, i) => client.execute('human-monitor-command', { 'command-line': `print ${i + 1}` }, { timeout: 10_000 }));
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 200 }, (_, i) => `0x${(i + 1).toString(16)}\r\n`));
  });

  it('checks the server name: localhost matches the certificate', async () => {
    const port = await tlsQemu();
    await using client = await QmpClient.connect({ host: 'localhost', port, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    expect(await client.execute('query-status', {}, { timeout: 5000 })).toMatchObject({ running: true });
  });

  it('pins the QEMU 7.2 quirk: without the whitespace record a reply waits for the next write', async () => {
    const port = await tlsQemu();
    // qmp_capabilities is written and nothing after it: its reply never comes
    const client = await QmpClient.connect({ host: '127.0.0.1', port, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, nudge: false } }, { connectTimeout: 1000 }).catch((e: unknown) => e);
    expect(client).toBeInstanceOf(QmpTimeoutError); // qmp_capabilities was never answered
  });

  it('fails clearly, without hanging, when the server\'s certificate is not from the given CA', async () => {
    const port = await tlsQemu();
    const started = performance.now();
    const error = (await QmpClient.connect({ host: '127.0.0.1', port, tls: { ca: certs.otherCa, cert: certs.clientCert, key: certs.clientKey } }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.message).toMatch(/^cannot connect to tls:127\.0\.0\.1:\d+: (self[- ]signed certificate|unable to verify|unable to get local issuer)/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('fails clearly when the client has no certificate, or one QEMU does not trust', async () => {
    const port = await tlsQemu();
    for (const tls of [{ ca: certs.ca }, { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }]) {
      const started = performance.now();
      const error = (await QmpClient.connect({ host: '127.0.0.1', port, tls }).catch((e: unknown) => e)) as Error;
      console.log(`TLS without a trusted client certificate: "${error.message}" (cause: ${String((error.cause as Error | undefined)?.message)}) after ${(performance.now() - started).toFixed(0)} ms`);
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect(error.message).toMatch(/^tls:127\.0\.0\.1:\d+: .* before greeting \(a TLS server that rejects the client certificate/);
    }
  });
});
