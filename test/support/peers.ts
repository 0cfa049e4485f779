/**
 * The QEMU releases the live tests run against ("peers"), found in, or prepared into, a cache
 * outside the repository: `$QMP_SDK_PEERS`, default `~/.cache/qmp-sdk/peers`.
 *
 * - 7.2: the system's `qemu-system-x86_64` and `qemu-ga` (Debian bookworm); nothing cached.
 * - 10.0: Debian's bookworm-backports build of 10.0.2, its packages unpacked (`dpkg -x`) into
 *   `qemu-10.0/root`; it runs beside 7.2 with `-L ROOT/usr/share/qemu`.
 * - 11.1: Debian unstable's QEMU, which needs unstable's C library: a `debootstrap` of sid in
 *   `qemu-11.1/root`, QEMU and qemu-ga run inside it with `chroot`.
 *
 * A cached peer is complete when its folder exists: preparation builds in `NAME.partial-PID`,
 * writes `peer.json` (versions, packages, time taken) there last, and renames the folder.
 * Anything else (an interrupted debootstrap, a folder without `peer.json`) is discarded and
 * prepared again, never trusted. Finding peers only reads files; `preparePeers()` (run by
 * `scripts/prepare-peers.ts`, and by `.ci/run`) downloads. No vitest here: the script uses it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

export type PeerName = '7.2' | '10.0' | '11.1';
export const PEER_NAMES: readonly PeerName[] = ['7.2', '10.0', '11.1'];

/** The versions the tests are pinned to. */
export const PINS = {
  '7.2': { qemu: '7.2', from: "the system's packages (Debian bookworm)" },
  '10.0': { qemu: '10.0.2', deb: '1:10.0.2+ds-2+deb13u1~bpo12+1', from: 'bookworm-backports' },
  '11.1': { qemu: '11.1.3', from: 'Debian unstable (sid), debootstrapped' },
} as const;

const BACKPORT_PACKAGES = ['qemu-system-x86', 'qemu-system-common', 'qemu-system-data', 'qemu-guest-agent'];
const BACKPORTS_SOURCE = '/etc/apt/sources.list.d/bookworm-backports.sources';
const MIRROR = 'http://deb.debian.org/debian';

export function peersDir(): string {
  return process.env.QMP_SDK_PEERS || join(homedir(), '.cache', 'qmp-sdk', 'peers');
}

/** What `peer.json` records. Paths are relative to the peer's folder. */
export interface PeerManifest {
  name: PeerName;
  /** QEMU's own version, as `--version` prints it (`10.0.2`). */
  version: string;
  /** Debian package → version, as installed or unpacked. */
  packages: Record<string, string>;
  from: string;
  preparedAt: string;
  seconds: number;
  /** The unpacked or debootstrapped tree. */
  root: string;
  /** 10.0: libraries fetched because the system lacks them (LD_LIBRARY_PATH), if any. */
  libraryPath?: string;
  /** Set when the pinned version was no longer offered and another was taken instead. */
  note?: string;
}

/** How to run one program of a peer: `command ...prefix ...yourArgs`, with `env` added. */
export interface Program {
  command: string;
  prefix: readonly string[];
  env: Record<string, string>;
}

export interface Peer {
  name: PeerName;
  /** QEMU's version (`7.2.22`, `10.0.2`, `11.1.3`). */
  version: string;
  major: number;
  minor: number;
  /** `QEMU 10.0.2`: what suite names carry. */
  label: string;
  qemu: Program;
  /** The guest agent of the same release; undefined (with `agentMissing`) when it is not there. */
  agent: Program | undefined;
  agentMissing?: string;
  /** The chroot a peer runs in (11.1), else undefined: paths it is given must lie inside. */
  chroot: string | undefined;
  manifest: PeerManifest | undefined;
}

export interface MissingPeer {
  name: PeerName;
  label: string;
  reason: string;
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

function versionOf(output: string): string | undefined {
  return /version (\d+\.\d+\.\d+)/.exec(output)?.[1];
}

function numbers(version: string): { major: number; minor: number } {
  const [major, minor] = version.split('.').map(Number);
  return { major: major!, minor: minor! };
}

function label(name: PeerName, version?: string): string {
  return `QEMU ${version ?? PINS[name].qemu}`;
}

/** `chroot ROOT ...` or the program itself. */
function program(binary: string, chroot: string | undefined, prefix: readonly string[] = [], env: Record<string, string> = {}): Program {
  return chroot === undefined ? { command: binary, prefix, env } : { command: 'chroot', prefix: [chroot, binary, ...prefix], env };
}

/** A path of the host as a peer in a chroot sees it (the path itself otherwise). */
export function inside(peer: Peer, path: string): string {
  if (peer.chroot === undefined) return path;
  const rel = relative(peer.chroot, path);
  if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${path} is outside ${peer.label}'s root ${peer.chroot}`);
  return `/${rel}`;
}

/** A fresh temporary directory the peer can reach: in its root's /tmp for a chroot. */
export function peerTempDir(peer: Peer | undefined, prefix: string): string {
  return mkdtempSync(join(peer?.chroot === undefined ? tmpdir() : join(peer.chroot, 'tmp'), prefix));
}

/**
 * Inside a chroot, ROOT's own absolute path leads back to its root (a relative symlink), so a
 * path under ROOT names the same file inside and out. launchQemu makes its socket under
 * `tmpdir()` and hands QEMU that host path: with TMPDIR in ROOT/tmp, the chroot'ed QEMU finds it.
 */
function ensureSelfLink(root: string): void {
  const link = join(root, root);
  const target = relative(dirname(link), root);
  try {
    if (readlinkSync(link) === target) return;
  } catch {
    // absent: made below
  }
  mkdirSync(dirname(link), { recursive: true });
  try {
    symlinkSync(target, link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function readManifest(folder: string, name: PeerName): PeerManifest | string {
  const file = join(folder, 'peer.json');
  if (!existsSync(folder)) return `not prepared: no ${folder}`;
  if (!existsSync(file)) return `incomplete: ${folder} has no peer.json`;
  let manifest: PeerManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as PeerManifest;
  } catch (error) {
    return `incomplete: ${file} does not parse (${(error as Error).message})`;
  }
  if (manifest.name !== name || typeof manifest.version !== 'string' || typeof manifest.root !== 'string') return `incomplete: ${file} is not a ${name} record`;
  return manifest;
}

function systemPeer(): Peer | MissingPeer {
  const qemu = run('qemu-system-x86_64', ['--version']);
  const version = qemu.status === 0 ? versionOf(qemu.stdout) : undefined;
  if (version === undefined) return { name: '7.2', label: label('7.2'), reason: 'qemu-system-x86_64 not installed (apt-get install qemu-system-x86)' };
  if (!version.startsWith('7.2.')) return { name: '7.2', label: label('7.2'), reason: `the system's qemu-system-x86_64 is ${version}, not 7.2` };
  const ga = ['qemu-ga', '/usr/sbin/qemu-ga', '/usr/bin/qemu-ga'].find((candidate) => run(candidate, ['--version']).status === 0);
  return {
    name: '7.2',
    version,
    ...numbers(version),
    label: label('7.2', version),
    qemu: program('qemu-system-x86_64', undefined),
    agent: ga === undefined ? undefined : program(ga, undefined),
    ...(ga === undefined ? { agentMissing: 'qemu-ga not installed (apt-get install qemu-guest-agent)' } : {}),
    chroot: undefined,
    manifest: undefined,
  };
}

function cachedPeer(name: '10.0' | '11.1', dir: string): Peer | MissingPeer {
  const folder = join(dir, `qemu-${name}`);
  const state = cacheState(folder, name);
  if (!state.complete) return { name, label: label(name), reason: `${state.reason}; prepare with node --import tsx scripts/prepare-peers.ts` };
  const { manifest } = state;
  const root = join(folder, manifest.root);
  const qemuBinary = join(root, 'usr/bin/qemu-system-x86_64');
  const gaBinary = join(root, 'usr/sbin/qemu-ga');
  const base = { name, version: manifest.version, ...numbers(manifest.version), label: label(name, manifest.version), manifest };
  if (name === '11.1') {
    if (process.getuid?.() !== 0) return { name, label: label(name), reason: 'runs in a chroot, which needs root' };
    ensureSelfLink(root);
    return { ...base, qemu: program('/usr/bin/qemu-system-x86_64', root), agent: program('/usr/sbin/qemu-ga', root), chroot: root };
  }
  // Its modules (dlopen'ed) and firmware from the unpacked tree, not the system's 7.2 ones.
  const env: Record<string, string> = { QEMU_MODULE_DIR: join(root, 'usr/lib/x86_64-linux-gnu/qemu') };
  const gaEnv: Record<string, string> = {};
  if (manifest.libraryPath !== undefined) env.LD_LIBRARY_PATH = gaEnv.LD_LIBRARY_PATH = join(folder, manifest.libraryPath);
  return {
    ...base,
    qemu: program(qemuBinary, undefined, ['-L', join(root, 'usr/share/qemu')], env),
    agent: program(gaBinary, undefined, [], gaEnv),
    chroot: undefined,
  };
}

export interface FoundPeers {
  available: Peer[];
  missing: MissingPeer[];
}

let found: FoundPeers | undefined;

/** Every peer, found once per process (only reads files: instant). */
export function findPeers(): FoundPeers {
  if (found !== undefined) return found;
  const dir = peersDir();
  const all = [systemPeer(), cachedPeer('10.0', dir), cachedPeer('11.1', dir)];
  found = {
    available: all.filter((p): p is Peer => 'qemu' in p),
    missing: all.filter((p): p is MissingPeer => 'reason' in p),
  };
  return found;
}

// ---------------------------------------------------------------------------------------------
// Preparation

export class PreparationError extends Error {
  override name = 'PreparationError';
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  if (result.error) throw new PreparationError(`${what}: ${result.error.message}`);
  if (result.status !== 0)
    throw new PreparationError(
      `${what} failed (exit ${result.status ?? result.signal}):\n${(result.stderr || result.stdout).trim().split('\n').slice(-20).join('\n')}`,
    );
  return result.stdout;
}

/** Mount points at or below `dir`, deepest first (an interrupted debootstrap leaves proc, sys). */
export function mountsBelow(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  const unescape = (path: string) => path.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map(unescape)
    .filter((point) => point === dir || point.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

/** Removes a (partial) peer folder: unmounts what is mounted in it first, and never crosses into another file system. */
export function discard(folder: string): void {
  if (!existsSync(folder)) return;
  for (const point of mountsBelow(folder)) {
    if (run('umount', [point]).status !== 0) must(run('umount', ['-l', point]), `umount -l ${point}`);
  }
  must(run('rm', ['-rf', '--one-file-system', folder]), `rm -rf ${folder}`);
}

/** Partial folders of preparations that are not running (their pid is gone). */
export function stalePartials(dir: string, alive: (pid: number) => boolean = (pid) => existsSync(`/proc/${pid}`)): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((entry) => ({ entry, pid: Number(/\.partial-(\d+)$/.exec(entry)?.[1]) }))
    .filter(({ pid }) => Number.isInteger(pid) && pid > 0 && (pid === process.pid || !alive(pid)))
    .map(({ entry }) => join(dir, entry));
}

/** Why a peer's tree is unusable, or undefined when it has what the tests run. */
export function treeProblem(root: string): string | undefined {
  for (const required of ['usr/bin/qemu-system-x86_64', 'usr/sbin/qemu-ga']) {
    if (!existsSync(join(root, required))) return `${join(root, required)} is missing`;
  }
  // debootstrap removes its own folder only when it finished
  if (existsSync(join(root, 'debootstrap'))) return `${root} holds an unfinished debootstrap`;
  return undefined;
}

/** What a cached peer folder holds: complete, or a reason to prepare it again. */
export function cacheState(folder: string, name: PeerName): { complete: true; manifest: PeerManifest } | { complete: false; reason: string } {
  const manifest = readManifest(folder, name);
  if (typeof manifest === 'string') return { complete: false, reason: manifest };
  const problem = treeProblem(join(folder, manifest.root));
  return problem === undefined ? { complete: true, manifest } : { complete: false, reason: problem };
}

function log(message: string): void {
  process.stderr.write(`prepare-peers: ${message}\n`);
}

/** bookworm-backports' 10.0.2 builds of a package, newest first (`apt-cache madison`). */
function backportVersions(pkg: string): string[] {
  const out = run('apt-cache', ['madison', pkg]).stdout ?? '';
  return out
    .split('\n')
    .map((line) => line.split('|').map((field) => field.trim()))
    .filter((fields) => fields[2]?.includes('bookworm-backports') && fields[1]?.startsWith('1:10.0.2+'))
    .map((fields) => fields[1]!);
}

function ensureBackportsSource(): void {
  if (backportVersions('qemu-system-x86').length > 0) return;
  if (!existsSync(BACKPORTS_SOURCE)) {
    log(`adding ${BACKPORTS_SOURCE}`);
    writeFileSync(
      BACKPORTS_SOURCE,
      `Types: deb\nURIs: ${MIRROR}\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
    );
  }
  log('apt-get update');
  must(run('apt-get', ['update', '-qq']), 'apt-get update');
}

function missingLibraries(binary: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return must(run('ldd', [binary], { env }), `ldd ${binary}`)
    .split('\n')
    .filter((line) => line.includes('not found'))
    .map((line) => line.trim().split(/\s/)[0]!);
}

/** The packages a backported package depends on (names only). */
function dependencies(pkg: string, version: string): string[] {
  const depends = /^Depends: (.*)$/m.exec(must(run('apt-cache', ['show', `${pkg}=${version}`]), `apt-cache show ${pkg}=${version}`))?.[1] ?? '';
  return depends
    .split(',')
    .map((dep) => dep.trim().split(/[\s|]/)[0]!)
    .filter((dep) => dep !== '' && !dep.startsWith('qemu-'));
}

function prepareBackport(partial: string): Omit<PeerManifest, 'preparedAt' | 'seconds'> {
  ensureBackportsSource();
  const offered = backportVersions('qemu-system-x86');
  if (offered.length === 0) throw new PreparationError('bookworm-backports offers no QEMU 10.0.2 build of qemu-system-x86');
  const version = offered.includes(PINS['10.0'].deb) ? PINS['10.0'].deb : offered[0]!;
  if (version !== PINS['10.0'].deb) log(`bookworm-backports no longer offers ${PINS['10.0'].deb}; taking its 10.0.2 build ${version}`);
  const debs = join(partial, 'debs');
  const root = join(partial, 'root');
  mkdirSync(debs, { recursive: true });
  log(`apt-get download ${BACKPORT_PACKAGES.map((p) => `${p}=${version}`).join(' ')}`);
  must(run('apt-get', ['download', ...BACKPORT_PACKAGES.map((p) => `${p}=${version}`)], { cwd: debs }), 'apt-get download');
  for (const deb of readdirSync(debs)) must(run('dpkg', ['-x', join(debs, deb), root]), `dpkg -x ${deb}`);
  const binaries = [join(root, 'usr/bin/qemu-system-x86_64'), join(root, 'usr/sbin/qemu-ga')];
  let libraryPath: string | undefined;
  let missing = binaries.flatMap((binary) => missingLibraries(binary));
  if (missing.length > 0) {
    // the system's libraries are older than this build wants: take bookworm-backports' ones
    log(`the system lacks ${missing.join(', ')}: taking library packages from bookworm-backports`);
    const libs = join(partial, 'libs');
    const wanted = [...new Set(BACKPORT_PACKAGES.flatMap((p) => dependencies(p, version)))].filter((dep) =>
      run('apt-cache', ['madison', dep]).stdout.includes('bookworm-backports'),
    );
    for (const dep of wanted) must(run('apt-get', ['download', `${dep}/bookworm-backports`], { cwd: debs }), `apt-get download ${dep}/bookworm-backports`);
    for (const deb of readdirSync(debs).filter((d) => !BACKPORT_PACKAGES.some((p) => d.startsWith(`${p}_`))))
      must(run('dpkg', ['-x', join(debs, deb), libs]), `dpkg -x ${deb}`);
    libraryPath = 'libs/usr/lib/x86_64-linux-gnu';
    const env = { ...process.env, LD_LIBRARY_PATH: join(partial, libraryPath) };
    missing = binaries.flatMap((binary) => missingLibraries(binary, env));
    if (missing.length > 0) throw new PreparationError(`QEMU 10.0.2 needs libraries neither the system nor bookworm-backports has: ${missing.join(', ')}`);
  }
  must(run('rm', ['-rf', debs]), 'rm debs');
  const env = { ...process.env, ...(libraryPath === undefined ? {} : { LD_LIBRARY_PATH: join(partial, libraryPath) }) };
  const qemuVersion = versionOf(must(run(binaries[0]!, ['--version'], { env }), 'qemu-system-x86_64 --version'));
  if (qemuVersion !== PINS['10.0'].qemu) throw new PreparationError(`the unpacked QEMU says it is ${qemuVersion}, not ${PINS['10.0'].qemu}`);
  return {
    name: '10.0',
    version: qemuVersion,
    packages: Object.fromEntries(BACKPORT_PACKAGES.map((p) => [p, version])),
    from: PINS['10.0'].from,
    root: 'root',
    ...(libraryPath === undefined ? {} : { libraryPath }),
    ...(version === PINS['10.0'].deb ? {} : { note: `pinned ${PINS['10.0'].deb}, prepared ${version}` }),
  };
}

function prepareSid(partial: string): Omit<PeerManifest, 'preparedAt' | 'seconds'> {
  if (run('debootstrap', ['--version']).status !== 0) {
    log('installing debootstrap');
    must(
      run('apt-get', ['install', '-y', '-qq', 'debootstrap'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }),
      'apt-get install debootstrap',
    );
  }
  const root = join(partial, 'root');
  log(`debootstrap --variant=minbase --include=qemu-system-x86,qemu-guest-agent sid ${root} ${MIRROR} (a minute or two)`);
  must(run('debootstrap', ['--variant=minbase', '--include=qemu-system-x86,qemu-guest-agent', 'sid', root, MIRROR]), 'debootstrap');
  const problem = treeProblem(root);
  if (problem !== undefined) throw new PreparationError(`debootstrap left an incomplete root: ${problem}`);
  const query = must(
    run('chroot', [
      root,
      'dpkg-query',
      '-W',
      '-f',
      '${Package} ${Version}\\n',
      'qemu-system-x86',
      'qemu-system-common',
      'qemu-system-data',
      'qemu-guest-agent',
      'libc6',
    ]),
    'dpkg-query in the root',
  );
  const packages = Object.fromEntries(
    query
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
  const qemuVersion = versionOf(must(run('chroot', [root, '/usr/bin/qemu-system-x86_64', '--version']), 'qemu-system-x86_64 --version in the root'));
  if (qemuVersion === undefined) throw new PreparationError("the root's qemu-system-x86_64 does not say its version");
  let note: string | undefined;
  if (qemuVersion !== PINS['11.1'].qemu) {
    if (!qemuVersion.startsWith('11.')) throw new PreparationError(`sid no longer offers QEMU ${PINS['11.1'].qemu} nor any 11.x: it offers ${qemuVersion}`);
    note = `sid no longer offers QEMU ${PINS['11.1'].qemu}: prepared ${qemuVersion}, the 11.x it offers`;
    log(note);
  }
  // the downloaded packages are not needed again
  run('chroot', [root, 'apt-get', 'clean']);
  return { name: '11.1', version: qemuVersion, packages, from: PINS['11.1'].from, root: 'root', ...(note === undefined ? {} : { note }) };
}

export interface Prepared {
  name: PeerName;
  version: string;
  cached: boolean;
  seconds: number;
  note?: string;
}

/** Finds or prepares one peer; throws PreparationError saying why it could not. */
export function preparePeer(name: PeerName, dir = peersDir()): Prepared {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  if (name === '7.2') {
    const peer = systemPeer();
    if ('reason' in peer) throw new PreparationError(peer.reason);
    return { name, version: peer.version, cached: true, seconds: seconds() };
  }
  mkdirSync(dir, { recursive: true });
  for (const stale of stalePartials(dir).filter((p) => p.startsWith(join(dir, `qemu-${name}.partial-`)))) {
    log(`discarding ${stale}, left by an interrupted preparation`);
    discard(stale);
  }
  const folder = join(dir, `qemu-${name}`);
  const state = cacheState(folder, name);
  if (state.complete)
    return { name, version: state.manifest.version, cached: true, seconds: seconds(), ...(state.manifest.note ? { note: state.manifest.note } : {}) };
  if (existsSync(folder)) {
    log(`${folder}: ${state.reason}; preparing it again`);
    discard(folder);
  }
  const partial = `${folder}.partial-${process.pid}`;
  discard(partial);
  mkdirSync(partial, { recursive: true });
  try {
    const made = name === '10.0' ? prepareBackport(partial) : prepareSid(partial);
    const manifest: PeerManifest = { ...made, preparedAt: new Date().toISOString(), seconds: seconds() };
    writeFileSync(join(partial, 'peer.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      renameSync(partial, folder);
    } catch (error) {
      // another preparation finished first: keep its folder if it is complete
      if (!cacheState(folder, name).complete) throw error;
      discard(partial);
    }
    if (name === '11.1') ensureSelfLink(join(folder, manifest.root));
    return { name, version: manifest.version, cached: false, seconds: manifest.seconds, ...(manifest.note ? { note: manifest.note } : {}) };
  } catch (error) {
    discard(partial);
    throw error;
  }
}
