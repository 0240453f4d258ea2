import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';
import { ObservationsRepository } from '../../src/drives/observations.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { Harness, startHarness } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'dashboard-slo-key-0123456789abcdef';
const maybe = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

/** The overview's SLO section (src/dashboard/assets/slos.js) in headless Chromium. */
maybe('dashboard SLO section', () => {
  let h: Harness;
  let browser: Browser;
  const auth = { 'x-api-key': KEY };

  beforeAll(async () => {
    h = await startHarness({ env: { API_KEYS: KEY, SYNC_ENABLED: 'false' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('stays hidden without SLOs, then shows objective, SLI, budget bar, burn rates and the firing burn alert', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((k) => localStorage.setItem('drive-status.apiKey', k), KEY);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.waitForSelector('body[data-state="ok"]', { timeout: 15_000 });
    expect(await page.isHidden('[data-section="slos"]')).toBe(true);

    // 1 failed and 3 finished drives of one task, an SLO at 90 % on it and a burn rule.
    await h.app.get(TasksRepository).trackTask('dash-slo', 'manual');
    for (const [i, status] of [3, 4, 4, 4].entries())
      await h.app
        .get(ObservationsRepository)
        .applyObservation('dash-slo', [{ driveId: `d${i}`, status: status as 3 | 4 }], {
          at: new Date(),
          source: 'callback',
          complete: false,
        });
    const slo = (
      await h.request('POST', '/slos', { body: { name: 'lobby', objective: 90, taskId: 'dash-slo' }, headers: auth })
    ).body;
    await h.request('POST', '/alert-rules', { body: { kind: 'slo_burn', sloId: slo.id }, headers: auth });

    await page.reload();
    await page.waitForSelector('[data-section="slos"] table', { timeout: 15_000 });
    const cells = await page.$$eval('[data-section="slos"] tbody td', (tds) => tds.map((td) => td.textContent?.trim()));
    // 1 bad of 4 at 90 %: SLI 75 %, budget left 1 − 0.25 / 0.1 = −150 %, burn 2.5 everywhere.
    expect(cells.slice(0, 10)).toEqual([
      'lobby',
      '90 %',
      '75.00 % (1 bad of 4)',
      '-150.00 %',
      '2.50',
      '2.50',
      '2.50',
      '2.50',
      '2.50',
      '2.50',
    ]);
    expect(await page.getAttribute('[data-section="slos"] .slo-bar', 'aria-label')).toBe(
      '-150.00 % of the error budget left',
    );
    // The burn rule fires: 2.5 is over the ticket's 0.933 (under the pages' 13.44 and 5.6).
    await page.waitForFunction(
      () => document.querySelector('[data-section="slos"] tbody td:last-child')?.textContent?.includes('firing'),
      null,
      {
        timeout: 20_000,
      },
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
