// `npm run sql:snapshots`: writes prisma/queries/<statement>.sql, the text of every hand-written
// statement (src/database/sql-snapshots.ts, through the build in dist/), and deletes snapshots of
// statements that are gone. `--check` writes nothing and fails when the folder differs; the unit
// tests run the same comparison.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { renderSqlSnapshots, SNAPSHOT_DIR } = require(join(root, 'dist', 'database', 'sql-snapshots.js'));
const dir = join(root, SNAPSHOT_DIR);
const check = process.argv.includes('--check');
const wanted = renderSqlSnapshots();
mkdirSync(dir, { recursive: true });
const present = readdirSync(dir).filter((f) => f.endsWith('.sql'));
let stale = [];
for (const file of present) {
  if (wanted.has(file)) continue;
  if (check) stale.push(`${file} (no such statement)`);
  else rmSync(join(dir, file));
}
for (const [file, text] of wanted) {
  const path = join(dir, file);
  let current = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // not written yet
  }
  if (current === text) continue;
  if (check) stale.push(file);
  else writeFileSync(path, text);
}
if (stale.length) console.error(`Out of date in ${SNAPSHOT_DIR}: ${stale.join(', ')}. Run npm run sql:snapshots.`);
else if (!check) console.log(`${wanted.size} statements in ${SNAPSHOT_DIR}`);
process.exit(stale.length ? 1 : 0);
