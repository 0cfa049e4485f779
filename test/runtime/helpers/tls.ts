/**
 * Certificates for TLS tests, made with `openssl` in a temp dir: a CA, a server certificate
 * for 127.0.0.1/localhost (in `qemuDir` under the names QEMU's tls-creds-x509 reads:
 * ca-cert.pem, server-cert.pem, server-key.pem), a client certificate signed by the CA, and
 * a second, unrelated CA with its own client certificate (for the failure cases).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// No vitest import here: `npm run bench` uses these helpers too.

export const haveOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

export interface Certificates {
  dir: string;
  /** The directory to give QEMU's `-object tls-creds-x509,dir=…`. */
  qemuDir: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  otherCa: Buffer;
  otherClientCert: Buffer;
  otherClientKey: Buffer;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}-key.pem`,
    '-out',
    `${name}-cert.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
}

function makeLeaf(dir: string, name: string, ca: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}-cert.pem`,
    '-CAkey',
    `${ca}-key.pem`,
    '-CAcreateserial',
    '-out',
    `${name}-cert.pem`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  );
}

export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(
    dir,
    'server',
    'ca',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  const clientExt = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
  makeLeaf(dir, 'client', 'ca', clientExt);
  makeLeaf(dir, 'other-client', 'other-ca', clientExt);
  const qemuDir = join(dir, 'qemu');
  mkdirSync(qemuDir);
  for (const file of ['ca-cert.pem', 'server-cert.pem', 'server-key.pem']) copyFileSync(join(dir, file), join(qemuDir, file));
  const read = (file: string) => readFileSync(join(dir, file));
  return {
    dir,
    qemuDir,
    ca: read('ca-cert.pem'),
    clientCert: read('client-cert.pem'),
    clientKey: read('client-key.pem'),
    otherCa: read('other-ca-cert.pem'),
    otherClientCert: read('other-client-cert.pem'),
    otherClientKey: read('other-client-key.pem'),
  };
}

/** QEMU arguments for a TLS QMP monitor listening on 127.0.0.1:`port` with mutual TLS. */
export function tlsMonitorArgs(qemuDir: string, port: number, id = 'mon0'): string[] {
  return [
    '-object',
    `tls-creds-x509,id=tls0,dir=${qemuDir},endpoint=server,verify-peer=on`,
    '-chardev',
    `socket,id=${id},host=127.0.0.1,port=${port},server=on,wait=off,tls-creds=tls0`,
    '-mon',
    `chardev=${id},mode=control`,
  ];
}

/** A TCP port on 127.0.0.1 that was free a moment ago (QEMU's chardev cannot take port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
