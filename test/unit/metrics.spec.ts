import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MetricsService } from '../../src/metrics/metrics.service';

const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('Prometheus metrics', () => {
  it('are defined in src/metrics only: no other file makes a metric of its own', () => {
    const elsewhere = sourceFiles(SRC)
      .filter((file) => !relative(SRC, file).startsWith('metrics/'))
      .filter((file) => /from 'prom-client'|new (Counter|Gauge|Histogram|Summary)\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(elsewhere).toEqual([]);
  });

  it('reads a gauge at scrape time from the reader its feature gave, the last one given', async () => {
    const metrics = new MetricsService();
    const firing = async () => (await metrics.registry.getSingleMetricAsString('drive_status_alerts_firing')).trim();
    expect(await firing()).toMatch(/^drive_status_alerts_firing 0$/m);
    let count = 3;
    metrics.alertsFiring.readFrom((gauge) => gauge.set(count));
    expect(await firing()).toMatch(/^drive_status_alerts_firing 3$/m);
    count = 5;
    expect(await firing()).toMatch(/^drive_status_alerts_firing 5$/m);
    metrics.driveSource.readFrom((gauge) => gauge.set({ mode: 'poll' }, 1));
    expect(await metrics.registry.getSingleMetricAsString('drive_status_drive_source')).toMatch(
      /^drive_status_drive_source\{mode="poll"\} 1$/m,
    );
  });
});
