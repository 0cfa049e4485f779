/**
 * TLS to each QEMU peer's monitor (7.2, 10.0.2, 11.1.3; `tls-creds-x509`, `verify-peer=on`:
 * mutual TLS), with certificates made here by openssl.
 */
import { type ChildProcess } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ConnectionClosedError, QmpClient, QmpTimeoutError } from '../../runtime/index.js';
import { describeWithPeers, inside, MINIMAL_ARGS, accepts, spawnQemu, tempDir, type Peer } from './helpers/qemu.js';
import { freePort, haveOpenssl, makeCertificates, tlsMonitorArgs, type Certificates } from './helpers/tls.js';

/** Needs the peer and openssl: skips without openssl, except under CI, where it fails. */
function describeTls(name: (peer: Peer) => string, body: (peer: Peer) => void): void {
  if (haveOpenssl) return describeWithPeers(name, body);
  describeWithPeers(
    (peer) => `${name(peer)} (needs openssl)`,
    () => {
      it.skipIf(!process.env.CI)('needs openssl, which CI must provide', () => {
        throw new Error('openssl not found, and CI is set');
      });
    },
  );
}

let certs: Certificates;
/** The server's credentials where the peer reads them (inside its root for a chroot). */
let qemuDir: string;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }
});

/** A QEMU whose only monitor is TLS on a free port; resolves once it listens. */
async function tlsQemu(peer: Peer): Promise<number> {
  const port = await freePort();
  const child = spawnQemu(peer, [...MINIMAL_ARGS, ...tlsMonitorArgs(inside(peer, qemuDir), port)], { stdio: 'ignore' });
  children.push(child);
  // a plain TCP probe: QEMU drops it at the handshake, which is fine
  for (let waited = 0; !(await accepts({ host: '127.0.0.1', port })); waited += 20) {
    if (waited > 10_000 || child.exitCode !== null) throw new Error('QEMU did not open its TLS monitor');
    await new Promise((r) => setTimeout(r, 20));
  }
  return port;
}

describeTls(
  (peer) => `QmpClient over TLS to ${peer.label}`,
  (peer) => {
    beforeAll(() => {
      certs = makeCertificates();
      qemuDir = tempDir('qmp-tls-', peer);
      cpSync(certs.qemuDir, qemuDir, { recursive: true });
    });
    afterAll(() => {
      rmSync(certs.dir, { recursive: true, force: true });
      rmSync(qemuDir, { recursive: true, force: true });
    });

    it('negotiates with mutual TLS and runs commands one after another', async () => {
      const port = await tlsQemu(peer);
      await using client = await QmpClient.connect({ host: '127.0.0.1', port, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
      expect(client.greeting.version?.qemu.major).toBe(peer.major);
      // each of these would wait for the next write without the whitespace record
      for (let i = 0; i < 20; i++) expect(await client.execute('query-status', {}, { timeout: 5000 })).toMatchObject({ running: true });
      const calls = Array.from({ length: 200 }, (_, i) => client.execute('human-monitor-command', { 'command-line': `print ${i + 1}` }, { timeout: 10_000 }));
      expect(await Promise.all(calls)).toEqual(Array.from({ length: 200 }, (_, i) => `0x${(i + 1).toString(16)}\r\n`));
    });

    it('checks the server name: localhost matches the certificate', async () => {
      const port = await tlsQemu(peer);
      await using client = await QmpClient.connect({ host: 'localhost', port, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
      expect(await client.execute('query-status', {}, { timeout: 5000 })).toMatchObject({ running: true });
    });

    // 7.2's TLS monitor watches the socket, not what GnuTLS has already decrypted, so a command's
    // record waits for the next one (runtime/transport.ts, `nudge`); 10.0.2 and 11.1.3 read
    // what the TLS layer holds and answer at once.
    const repliesWaitForNextWrite = peer.major === 7;
    it(`without the whitespace record, ${repliesWaitForNextWrite ? 'a reply waits for the next write (the 7.2 quirk)' : 'replies come at once (no 7.2 quirk)'}`, async () => {
      const port = await tlsQemu(peer);
      // qmp_capabilities is written and nothing after it
      const client = await QmpClient.connect(
        { host: '127.0.0.1', port, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, nudge: false } },
        { connectTimeout: 1000 },
      ).catch((e: unknown) => e);
      if (repliesWaitForNextWrite) {
        expect(client).toBeInstanceOf(QmpTimeoutError); // qmp_capabilities was never answered
        return;
      }
      expect(client).toBeInstanceOf(QmpClient);
      await using open = client as QmpClient;
      for (let i = 0; i < 5; i++) expect(await open.execute('query-status', {}, { timeout: 5000 })).toMatchObject({ running: true });
    });

    it("fails clearly, without hanging, when the server's certificate is not from the given CA", async () => {
      const port = await tlsQemu(peer);
      const started = performance.now();
      const error = (await QmpClient.connect({ host: '127.0.0.1', port, tls: { ca: certs.otherCa, cert: certs.clientCert, key: certs.clientKey } }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect(error.message).toMatch(/^cannot connect to tls:127\.0\.0\.1:\d+: (self[- ]signed certificate|unable to verify|unable to get local issuer)/);
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('fails clearly when the client has no certificate, or one QEMU does not trust', async () => {
      const port = await tlsQemu(peer);
      for (const tls of [{ ca: certs.ca }, { ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey }]) {
        const started = performance.now();
        const error = (await QmpClient.connect({ host: '127.0.0.1', port, tls }).catch((e: unknown) => e)) as Error;
        console.log(
          `TLS without a trusted client certificate: "${error.message}" (cause: ${String((error.cause as Error | undefined)?.message)}) after ${(performance.now() - started).toFixed(0)} ms`,
        );
        expect(error).toBeInstanceOf(ConnectionClosedError);
        expect(error.message).toMatch(/^tls:127\.0\.0\.1:\d+: .* before greeting \(a TLS server that rejects the client certificate/);
      }
    });
  },
);
