import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { Harness, startHarness } from '../support/harness';

const ROOT = join(__dirname, '..', '..');
const STALE = 'openapi.json is out of date: run `npm run openapi` and commit openapi.json and client/schema.d.ts';

/** The JSON pointer of the first place where two JSON values differ, or undefined when equal. */
function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return at || '/';
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    );
    if (found) return found;
  }
  return at || '/';
}

describe('the committed OpenAPI document and typed client', () => {
  let h: Harness;
  let served: any;
  const committed = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8'));
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false' } });
    const res = await h.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    served = res.body;
  });
  afterAll(() => h.close());

  it('openapi.json is the document the service serves at /docs-json', () => {
    const difference = firstDifference(served, committed);
    if (difference) throw new Error(`${STALE} (first difference at ${difference})`);
  });

  it('client/schema.d.ts and openapi.json are what `npm run openapi` writes', async () => {
    // The script builds the document without a database (Nest's preview mode) and regenerates the
    // client's types from it; --check compares both with the committed files.
    const run = promisify(execFile);
    await run(process.execPath, [join(ROOT, 'scripts', 'openapi.mjs'), '--check'], { cwd: ROOT }).catch(
      (err: { stderr?: string; message: string }) => {
        throw new Error(err.stderr?.trim() || err.message);
      },
    );
  });

  it('names every operation once, readably, and marks the routes open to all', () => {
    const operations = Object.entries<Record<string, any>>(served.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, ...op })),
    );
    const ids = operations.map((op) => op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    const open = operations.filter((op) => Array.isArray(op.security) && op.security.length === 0);
    expect(open.map((op) => op.route).sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'POST /callbacks/zego',
    ]);
    expect(served.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it('states the scope each operation needs, with its 403', () => {
    const scopes: Record<string, string> = {};
    for (const [path, item] of Object.entries<Record<string, any>>(served.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (Array.isArray(op.security) && op.security.length === 0) continue;
        scopes[route] = op['x-required-scope'];
        expect([route, op.description]).toEqual([
          route,
          expect.stringContaining(`the ${op['x-required-scope']} scope`),
        ]);
        expect([route, op.responses['403']?.description]).toEqual([route, expect.stringContaining('lacks the')]);
      }
    }
    for (const scope of Object.values(scopes)) expect(['metrics', 'read', 'write', 'admin']).toContain(scope);
    expect(scopes).toMatchObject({
      'GET /metrics': 'metrics',
      'GET /tasks': 'read',
      'PUT /tasks/{taskId}': 'write',
      'POST /tasks/{taskId}/drives': 'write',
      'POST /webhooks': 'admin',
      'POST /silences': 'admin',
    });
  });

  it('types every schema explicitly (no property left to the compiler’s inference)', () => {
    // A property whose type Swagger cannot see (e.g. `limit = 100`, no annotation) becomes a
    // schema named `Object`, and the build and the tests may even disagree about it.
    expect(Object.keys(served.components.schemas)).not.toContain('Object');
  });
});
