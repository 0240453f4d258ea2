import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';
import { eventually, Harness, startHarness } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'dashboard-key-0123456789abcdef';
// CI installs Debian's chromium (.ci/run); on a machine without it this file says so and skips.
const maybe = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
if (!existsSync(CHROMIUM) && !process.env.CI)
  console.warn(`dashboard test skipped: no browser at ${CHROMIUM} (apt-get install chromium)`);

maybe('dashboard in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness({ env: { API_KEYS: KEY } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('asks for the key once, then charts the real failure numbers and shows a drive’s history', async () => {
    const sim = h.simulator.engine;
    const task = sim.createTask();
    await h.request('PUT', `/tasks/${task.taskId}`, { headers: { 'x-api-key': KEY } });
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 4; i++) sim.drive(task.taskId, 'text');
    await eventually(async () => {
      const c = (await h.request('GET', `/tasks/${task.taskId}`, { headers: { 'x-api-key': KEY } })).body.counts;
      return c.failed + c.finished === 4;
    }, 30_000);
    const report = (await h.request('GET', '/reports/failures?interval=hour', { headers: { 'x-api-key': KEY } })).body;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.waitForSelector('#key-form:not([hidden])');
    await page.fill('#key', KEY);
    await page.click('#key-form button');
    await page.waitForSelector(`#tasks tr[data-task-id="${task.taskId}"]`);
    await page.waitForSelector('#chart canvas');
    expect(await page.getAttribute('#chart', 'data-failed')).toBe(String(report.totals.failed));
    expect(await page.getAttribute('#chart', 'data-finished')).toBe(String(report.totals.finished));
    expect(await page.textContent('#totals')).toContain(
      `${report.totals.failed} failed, ${report.totals.finished} finished`,
    );
    // The chart really drew something: the canvas is not blank.
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);

    await page.click(`#tasks tr[data-task-id="${task.taskId}"]`);
    await page.waitForSelector('#drives tbody tr');
    await page.click('#drives tbody tr');
    await page.waitForSelector('#history li');
    const steps = await page.$$eval('#history li', (items) => items.map((li) => li.textContent ?? ''));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps[steps.length - 1]).toMatch(/^(failed|finished)/);

    // The key is kept: a reload needs no typing.
    await page.reload();
    await page.waitForSelector(`#tasks tr[data-task-id="${task.taskId}"]`);
    expect(await page.isHidden('#key-form')).toBe(true);
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/drive-status-dashboard.png`, fullPage: true });
    await context.close();
  });
});
