/**
 * Finds or prepares every QEMU the live tests run against (test/support/peers.ts): instant when
 * cached. `node --import tsx scripts/prepare-peers.ts [7.2 10.0 11.1]`; the cache is
 * $QMP_SDK_PEERS, default ~/.cache/qmp-sdk/peers. Exits 1 when a peer could not be prepared.
 */
import { PEER_NAMES, peersDir, preparePeer, PreparationError, type PeerName } from '../test/support/peers.js';

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(PEER_NAMES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`prepare-peers: unknown peer ${unknown.join(', ')} (known: ${PEER_NAMES.join(', ')})`);
  process.exit(2);
}
const names = asked.length > 0 ? (asked as PeerName[]) : PEER_NAMES;
const started = performance.now();
let failed = false;
console.log(`peers in ${peersDir()}`);
for (const name of names) {
  try {
    const prepared = preparePeer(name);
    console.log(
      `  ${name}: QEMU ${prepared.version}, ${prepared.cached ? 'cached' : `prepared in ${prepared.seconds} s`}${prepared.note ? ` (${prepared.note})` : ''}`,
    );
  } catch (error) {
    if (!(error instanceof PreparationError)) throw error;
    failed = true;
    console.log(`  ${name}: not prepared: ${error.message}`);
  }
}
console.log(`peer preparation took ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
