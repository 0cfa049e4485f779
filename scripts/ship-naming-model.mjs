// A build step: the model of the newest bundled QEMU release, written where an installed package
// (which has no spec/) finds it, so that `qmp-codegen generate --from` names a live QEMU's types
// and documents them from that release there too (codegen/generate/names-from.ts). The newest
// only: it is the default, and each model is about 1.5 MB; another is named by its schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bundledNamingTargets } = await import(join(root, 'dist/codegen/generate/names-from.js'));
const { readTarget } = await import(join(root, 'dist/codegen/generate/read-target.js'));
const newest = bundledNamingTargets().at(-1);
if (newest === undefined) throw new Error('no bundled QEMU release to ship names from');
const out = join(root, 'dist/generated', newest.name, 'model.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(readTarget(newest, root)));
