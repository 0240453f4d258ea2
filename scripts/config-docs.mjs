// `npm run config:docs`: writes docs/configuration.md and .env.example from the settings table in
// src/config/app-config.ts (through the build in dist/). `--check` writes nothing and fails when
// either committed file differs; the unit tests run the same comparison.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { renderConfigurationReference, renderEnvExample } = require(join(root, 'dist', 'config', 'config-reference.js'));
const outputs = {
  'docs/configuration.md': renderConfigurationReference(),
  '.env.example': renderEnvExample(),
};
let stale = false;
for (const [file, text] of Object.entries(outputs)) {
  const path = join(root, file);
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== text) {
      console.error(`${file} is out of date: run npm run config:docs`);
      stale = true;
    }
  } else writeFileSync(path, text);
}
process.exit(stale ? 1 : 0);
