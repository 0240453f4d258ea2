import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Tracing off must cost nothing: the SDK and its instrumentations are loaded by one file, which
 * main.ts imports only when tracing is configured, and before the application's modules (which it
 * imports dynamically after that, so that the instrumentations can patch http and pg as they load).
 */
describe('the OpenTelemetry SDK is loaded only when tracing is on', () => {
  const files = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

  it('only the tracing set-up and the files only it loads import the SDK or an instrumentation', () => {
    const offenders = files
      .filter((f) => /from '@opentelemetry\/(sdk-|instrumentation|exporter-|resources)/.test(f.text))
      .map((f) => f.path);
    expect(offenders.sort()).toEqual([
      'tracing/export-worker.ts',
      'tracing/sampling.ts',
      'tracing/tracing.ts',
      'tracing/worker-span-processor.ts',
    ]);
    const importersOf = (name: string) =>
      files.filter((f) => new RegExp(`from '\\.{1,2}/(tracing/)?${name}'`).test(f.text)).map((f) => f.path);
    expect(importersOf('sampling')).toEqual(['tracing/tracing.ts']);
    expect(importersOf('statement-spans')).toEqual(['tracing/tracing.ts']);
    // worker-span-processor.ts is also imported by the worker, for its message types only.
    expect(importersOf('worker-span-processor').sort()).toEqual(['tracing/export-worker.ts', 'tracing/tracing.ts']);
    expect(files.find((f) => f.path === 'tracing/export-worker.ts')!.text).toMatch(
      /import type \{[^}]*\} from '\.\/worker-span-processor'/,
    );
    // The worker is started by its path, never imported.
    expect(importersOf('export-worker')).toEqual([]);
  });

  it('main.ts loads it with a dynamic import, under the endpoint check, before the application', () => {
    const main = files.find((f) => f.path === 'main.ts')!.text;
    const statics = [...main.matchAll(/^import (?!type )[^;]*from '(\.[^']+)'/gm)].map((m) => m[1]);
    expect(statics).not.toContain('./tracing/tracing');
    for (const appModule of ['./app/create-app', './drives/drives.service', './demo/demo.driver'])
      expect(statics).not.toContain(appModule);
    const check = main.indexOf('if (config.OTEL_EXPORTER_OTLP_ENDPOINT)');
    const load = main.indexOf("await import('./tracing/tracing.js')");
    const app = main.indexOf("import('./app/create-app.js')");
    expect(check).toBeGreaterThan(0);
    expect(load).toBeGreaterThan(check);
    expect(app).toBeGreaterThan(load);
  });
});
