// Copies each target's schema.json into dist/generated/ (tsc copies no JSON it does not import),
// where the package exports it as `qmp-sdk/<target>/schema.json`.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const generated = join(root, 'generated');
for (const target of existsSync(generated) ? readdirSync(generated) : []) {
  const schema = join(generated, target, 'schema.json');
  if (!existsSync(schema)) continue;
  mkdirSync(join(root, 'dist/generated', target), { recursive: true });
  copyFileSync(schema, join(root, 'dist/generated', target, 'schema.json'));
}
