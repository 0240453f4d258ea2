import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { fingerprint } from '../../src/config/api-keys';
import { ObservationsRepository } from '../../src/drives/observations.repository';
import { eventually, Harness, startHarness } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'dashboard-key-0123456789abcdef'; // a bare key: admin
const READ_KEY = 'viewer-key-0123456789abcdef';
const METRICS_KEY = 'scraper-key-0123456789abcdef';
const SHOTS = process.env.DASHBOARD_SCREENSHOTS ?? join(process.env.TMPDIR ?? '/tmp', 'drive-status-dashboard');
// CI installs Debian's chromium (.ci/run); on a machine without it this file says so and skips.
const maybe = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
if (!existsSync(CHROMIUM) && !process.env.CI)
  console.warn(`dashboard test skipped: no browser at ${CHROMIUM} (apt-get install chromium)`);

const WIDTHS = { desktop: 1280, phone: 390 } as const;
/** The page's own ES modules (index.html loads main.js, which imports the rest). */
const MODULES = readdirSync(join(__dirname, '..', '..', 'src', 'dashboard', 'assets')).filter((f) => f.endsWith('.js'));

maybe('dashboard in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let taskId: string;
  let counts: { failed: number; finished: number };
  const auth = { headers: { 'x-api-key': KEY } };

  /** A page at one width, in light or dark mode, with the key already kept by the browser (or not). */
  async function open(width: number, options: { key?: string; dark?: boolean } = {}) {
    const context: BrowserContext = await browser.newContext({
      viewport: { width, height: 900 },
      colorScheme: options.dark ? 'dark' : 'light',
    });
    if (options.key !== undefined)
      await context.addInitScript((k) => localStorage.setItem('drive-status.apiKey', k), options.key);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    return { context, page, errors };
  }
  const state = (page: Page, s: string) => page.waitForSelector(`body[data-state="${s}"]`, { timeout: 15_000 });
  /** Nothing sticks out sideways: the page fits its width (tables scroll inside their own box). */
  const fitsWidth = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startHarness({
      env: {
        API_KEYS: `${KEY},read:${READ_KEY},metrics:${METRICS_KEY}`,
        WEBHOOK_RETRY_BASE_MS: '200',
        WEBHOOK_TIMEOUT_MS: '1000',
        // The test's webhook points at loopback (refused by the egress policy otherwise).
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
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
    const sim = h.simulator.engine;
    taskId = sim.createTask().taskId;
    await h.request('PUT', `/tasks/${taskId}`, auth);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 6; i++) sim.drive(taskId, 'text');
    await eventually(async () => {
      const c = (await h.request('GET', `/tasks/${taskId}`, auth)).body.counts;
      counts = c;
      return c.failed + c.finished === 6;
    }, 40_000);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('serves the page with a strict script policy, also at a task’s address', async () => {
    for (const path of ['/dashboard', `/dashboard/tasks/${taskId}`]) {
      const res = await h.request('GET', path);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it('serves the page’s modules as JavaScript, revalidated by ETag, and nothing else of its folder', async () => {
    expect(MODULES).toContain('main.js');
    for (const file of [...MODULES, 'uplot.js', 'dashboard.css']) {
      const res = await h.request('GET', `/dashboard/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(file.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      // A module held from before an upgrade must not run beside newer ones: always revalidated.
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const etag = res.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      const again = await h.request('GET', `/dashboard/${file}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      const changed = await h.request('GET', `/dashboard/${file}`, { headers: { 'if-none-match': '"other"' } });
      expect(changed.status).toBe(200);
    }
    for (const file of ['index.html', 'schema.d.ts', 'app.js', '..%2Fdashboard.controller.ts'])
      expect((await h.request('GET', `/dashboard/${file}`)).status).toBe(404);
  });

  it('loads every module on both pages, with no console error and no failed request', async () => {
    const { context, page, errors } = await open(WIDTHS.desktop, { key: KEY });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
    });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const scripts = new Map<string, number>();
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/dashboard/') && path.endsWith('.js'))
        scripts.set(path.slice('/dashboard/'.length), r.status());
    });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'ok');
    expect([...scripts.keys()].sort()).toEqual([...MODULES, 'uplot.js'].sort());
    expect([...scripts.values()].every((s) => s === 200)).toBe(true);
    // The sections' containers are in place, on both pages.
    expect(await page.$$('#overview-sections')).toHaveLength(1);
    await page.goto(`${h.baseUrl}/dashboard/tasks/${taskId}`);
    await state(page, 'ok');
    expect(await page.$$('#task-sections')).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('mounts a section listed in sections.js on both pages, told the page, task and range', async () => {
    const { context, page, errors } = await open(WIDTHS.desktop, { key: KEY });
    // Lists a probe section (as slos.js would be) in the page's own module instance, then refreshes;
    // a string, so that the test's compiler leaves the browser's dynamic import() as it is.
    const addProbe = () =>
      page.evaluate(`(async () => {
        const { SECTIONS } = await import('/dashboard/sections.js');
        SECTIONS.push({
          name: 'probe',
          render: (el, ctx) => {
            el.textContent = JSON.stringify({ page: ctx.page, taskId: ctx.taskId, query: ctx.query });
          },
        });
        document.dispatchEvent(new Event('dashboard:refresh'));
      })()`);
    const probe = async (holder: string) =>
      JSON.parse(
        (await (await page.waitForSelector(`#${holder} > section[data-section="probe"]:not(:empty)`)).textContent())!,
      );
    await page.goto(`${h.baseUrl}/dashboard?range=7d`);
    await state(page, 'ok');
    await addProbe();
    const overview = await probe('overview-sections');
    expect(overview).toMatchObject({ page: 'overview', taskId: null, query: { interval: 'day' } });
    expect(Date.parse(overview.query.to) - Date.parse(overview.query.from)).toBe(7 * 24 * 3600_000);
    await page.goto(`${h.baseUrl}/dashboard/tasks/${taskId}?range=1h`);
    await state(page, 'ok');
    await addProbe();
    expect(await probe('task-sections')).toMatchObject({ page: 'task', taskId, query: { interval: 'minute' } });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws the range controls at one height, "Custom" included', async () => {
    const { context, page } = await open(WIDTHS.desktop, { key: KEY });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'ok');
    const boxes = await page.$$eval('#ranges button[data-range], #custom summary', (els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { top: Math.round(r.top), height: Math.round(r.height) };
      }),
    );
    expect(boxes).toHaveLength(6);
    expect(boxes.map((b) => b.height)).toEqual(boxes.map(() => boxes[0].height));
    expect(boxes.map((b) => b.top)).toEqual(boxes.map(() => boxes[0].top));
    await context.close();
  });

  it('asks for a key, says when a kept key is refused, then shows the overview', async () => {
    const { context, page, errors } = await open(WIDTHS.desktop, { key: 'a-wrong-key-0123456789' });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'key');
    expect(await page.textContent('#key-reason')).toContain('refused');
    expect(await page.isVisible('#key-form')).toBe(true);
    await page.fill('#key', KEY);
    await page.click('#key-form button');
    await state(page, 'ok');
    expect(await page.isHidden('#key-form')).toBe(true);
    expect(await page.isHidden('#message')).toBe(true);
    await page.waitForSelector(`#tasks tr[data-task-id="${taskId}"]`);
    // The default range is the last 24 hours, hourly; the drives ended minutes ago.
    expect(await page.getAttribute('#ranges button[data-range="24h"]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('#chart', 'data-interval')).toBe('hour');
    expect(await page.getAttribute('#chart', 'data-failed')).toBe(String(counts.failed));
    expect(await page.getAttribute('#chart', 'data-finished')).toBe(String(counts.finished));
    expect(await page.textContent('#totals')).toContain(`${counts.failed}failed`);
    expect(await page.$$eval('#ranked tbody tr', (rows) => rows.length)).toBe(1);
    // The chart really drew something: the canvas is not blank.
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    // Beside it, play and queue-wait percentiles for the same range, as the report gives them.
    const play = (await h.request('GET', '/reports/durations?metric=play', auth)).body;
    expect(play.totals.count).toBeGreaterThan(0);
    expect(await page.getAttribute('#duration-chart', 'data-played')).toBe(String(play.totals.count));
    expect(await page.isVisible('#duration-chart canvas')).toBe(true);
    expect(await page.textContent('#duration-totals')).toMatch(/\d(\.\d)? (ms|s|min)/);
    expect(await page.$$eval('#ranked tbody tr td', (cells) => cells.length)).toBe(6);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'overview-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('switches the range from the keyboard, keeps it in the address, and a reload shows the same', async () => {
    const { context, page } = await open(WIDTHS.desktop, { key: KEY });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'ok');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.focus('#ranges button[data-range="30d"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#chart')?.getAttribute('data-interval') === 'day');
    expect(new URL(page.url()).searchParams.get('range')).toBe('30d');
    expect(requests.some((u) => u.includes('/reports/failures?') && u.includes('interval=day'))).toBe(true);
    expect(Number(await page.getAttribute('#chart', 'data-buckets'))).toBeGreaterThanOrEqual(30);
    expect(await page.getAttribute('#chart', 'data-failed')).toBe(String(counts.failed));
    // A shared link opens on the same range.
    await page.reload();
    await state(page, 'ok');
    expect(await page.getAttribute('#ranges button[data-range="30d"]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('#chart', 'data-interval')).toBe('day');
    // A custom range, hourly because it is short.
    await page.click('#custom summary');
    await page.fill('#custom-from', '2026-01-01T00:00');
    await page.fill('#custom-to', '2026-01-02T00:00');
    await page.click('#custom-form button');
    await page.waitForFunction(() => document.querySelector('#chart')?.getAttribute('data-interval') === 'hour');
    expect(await page.getAttribute('#chart', 'data-failed')).toBe('0');
    expect(new URL(page.url()).searchParams.get('from')).toBeTruthy();
    expect(await page.isVisible('#chart-empty')).toBe(true);
    await context.close();
  });

  it('picks the bucket from the range, minutes for the last hour, and marks the bucket under way', async () => {
    const { context, page, errors } = await open(WIDTHS.desktop, { key: KEY });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${h.baseUrl}/dashboard?range=1h`);
    await state(page, 'ok');
    await page.waitForFunction(() => document.querySelector('#chart')?.getAttribute('data-interval') === 'minute');
    expect(requests.some((u) => u.includes('/reports/durations?') && u.includes('interval=minute'))).toBe(true);
    expect(Number(await page.getAttribute('#chart', 'data-buckets'))).toBeGreaterThanOrEqual(60);
    expect(await page.getAttribute('#chart', 'data-failed')).toBe(String(counts.failed));
    expect(await page.getAttribute('#chart', 'data-finished')).toBe(String(counts.finished));
    expect(await page.textContent('#range-title .range-label')).toBe('in the last hour, by minute');
    // The last bucket is the minute under way, on both charts.
    const current = Date.parse((await page.getAttribute('#chart', 'data-current')) ?? '');
    expect(current % 60_000).toBe(0);
    expect(Date.now() - current).toBeLessThan(2 * 60_000);
    expect(await page.getAttribute('#duration-chart', 'data-current')).toBe(new Date(current).toISOString());
    // The legend says so when the cursor is on it (the last bar, half a bucket from the right edge).
    const over = (await page.locator('#chart .u-over').boundingBox())!;
    const halfBucket = over.width / Number(await page.getAttribute('#chart', 'data-buckets')) / 2;
    await page.mouse.move(over.x + over.width - halfBucket, over.y + over.height / 2);
    await page.waitForFunction(() =>
      /in progress/.test(document.querySelector('#chart .u-legend .u-series:first-child')?.textContent ?? ''),
    );

    await page.click('#ranges button[data-range="6h"]');
    await page.waitForFunction(() => document.querySelector('#chart')?.getAttribute('data-interval') === '5m');
    expect(await page.textContent('#range-title .range-label')).toBe('in the last 6 hours, by 5 minutes');
    expect(Number(await page.getAttribute('#chart', 'data-current')?.then((v) => Date.parse(v ?? '')))).toBeGreaterThan(
      0,
    );
    await page.click('#ranges button[data-range="24h"]');
    await page.waitForFunction(() => document.querySelector('#chart')?.getAttribute('data-interval') === 'hour');

    // The task page of the last hour: minutes too.
    await page.goto(`${h.baseUrl}/dashboard/tasks/${taskId}?range=1h`);
    await state(page, 'ok');
    await page.waitForFunction(() => document.querySelector('#task-chart')?.getAttribute('data-interval') === 'minute');
    expect(await page.getAttribute('#task-chart', 'data-failed')).toBe(String(counts.failed));
    expect(await page.getAttribute('#task-chart', 'data-current')).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('has a linkable page per task with its drives, a status filter and a drive’s history', async () => {
    const { context, page, errors } = await open(WIDTHS.desktop, { key: KEY });
    await page.goto(`${h.baseUrl}/dashboard?range=7d`);
    await state(page, 'ok');
    await page.click(`#tasks tr[data-task-id="${taskId}"] a`);
    await page.waitForSelector('#task-page:not([hidden])');
    await state(page, 'ok');
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/dashboard/tasks/${taskId}`);
    expect(url.searchParams.get('range')).toBe('7d');
    expect(await page.textContent('#task-id')).toBe(taskId);
    expect(await page.$$eval('#drives tbody tr', (rows) => rows.length)).toBe(6);
    expect(await page.getAttribute('#task-chart', 'data-failed')).toBe(String(counts.failed));

    await page.selectOption('#status-filter', 'failed');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('#drives tbody tr').length === n ||
        (n === 0 && !!document.querySelector('#drives-empty:not([hidden])')),
      counts.failed,
    );
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    await page.selectOption('#status-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('#drives tbody tr').length === 6);

    await page.click('#drives tbody tr button');
    await page.waitForSelector('#history li');
    const steps = await page.$$eval('#history li', (items) => items.map((li) => li.textContent ?? ''));
    expect(steps[steps.length - 1]).toMatch(/^(failed|finished)/);
    expect(await page.textContent('#history-timings')).toMatch(/^queue wait .+ · play .+ · ended /);
    expect(await page.$$eval('#drives thead th', (cells) => cells.map((c) => c.textContent))).toEqual([
      'drive',
      'status',
      'first seen',
      'status changed',
      'queue wait',
      'play',
    ]);
    await page.screenshot({ path: join(SHOTS, 'task-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works at phone width, in dark mode', async () => {
    const { context, page, errors } = await open(WIDTHS.phone, { key: KEY, dark: true });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'ok');
    expect(await fitsWidth(page)).toBe(true);
    const [bg, fg] = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return [s.backgroundColor, s.color];
    });
    expect(bg).toBe('rgb(18, 21, 26)');
    expect(fg).toBe('rgb(228, 231, 236)');
    await page.screenshot({ path: join(SHOTS, 'overview-390-dark.png'), fullPage: true });
    await page.goto(`${h.baseUrl}/dashboard/tasks/${encodeURIComponent(taskId)}`);
    await state(page, 'ok');
    expect(await fitsWidth(page)).toBe(true);
    expect(await page.$$eval('#drives tbody tr', (rows) => rows.length)).toBe(6);
    await page.screenshot({ path: join(SHOTS, 'task-390-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so when the service cannot be reached or a task is unknown, and recovers', async () => {
    const { context, page } = await open(WIDTHS.desktop, { key: KEY });
    await page.route('**/status', (route) => route.abort('connectionrefused'));
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'unreachable');
    expect(await page.textContent('#message')).toContain('cannot be reached');
    await page.unroute('**/status');
    await page.click('#ranges button[data-range="24h"]');
    await state(page, 'ok');
    expect(await page.isHidden('#message')).toBe(true);

    await page.goto(`${h.baseUrl}/dashboard/tasks/no-such-task`);
    await state(page, 'not-found');
    expect(await page.textContent('#message')).toContain('no-such-task');
    await context.close();
  });

  it('pauses while the tab is hidden and refreshes when it is shown again, one request round at a time', async () => {
    const { context, page } = await open(WIDTHS.desktop, { key: KEY });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'ok');
    const hide = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await hide(true);
    await state(page, 'paused');
    const before = Number(await page.getAttribute('body', 'data-refreshes'));
    // Slow answers: while one round waits, showing the tab again twice starts no second round.
    let statusCalls = 0;
    await page.route('**/status', async (route) => {
      statusCalls++;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await hide(false);
    await hide(true);
    await hide(false);
    await page.waitForFunction((n) => Number(document.body.dataset.refreshes) > n, before);
    await state(page, 'ok');
    expect(statusCalls).toBe(1);
    await context.close();
  });
  it('shows firing alerts and the webhooks that carry them', async () => {
    const sim = h.simulator.engine;
    const other = sim.createTask().taskId;
    await h.request('PUT', `/tasks/${other}`, auth);
    const hook = (
      await h.request('POST', '/webhooks', {
        ...auth,
        body: { url: 'http://127.0.0.1:9/nowhere', description: 'on-call' },
      })
    ).body;
    const rule = await h.request('POST', '/alert-rules', {
      ...auth,
      body: { kind: 'consecutive_failures', threshold: 1, taskId: other, webhookIds: [hook.id] },
    });
    expect(rule.status).toBe(201);
    await new Promise((r) => setTimeout(r, 400));
    sim.drive(other, 'text').willFail = true;
    await eventually(
      async () => (await h.request('GET', '/alerts?state=firing', auth)).body.items.length === 1,
      30_000,
    );
    await eventually(
      async () => (await h.request('GET', `/webhooks/${hook.id}`, auth)).body.state === 'failing',
      30_000,
    );

    const { context, page, errors } = await open(WIDTHS.desktop, { key: KEY });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'ok');
    const row = await page.waitForSelector('#alerts tbody tr');
    expect(await row.textContent()).toContain('consecutive failures');
    expect(await row.textContent()).toContain(other);
    expect(await page.textContent('#now')).toContain('1alerts firing');
    expect(await page.textContent(`#webhooks tr[data-webhook-id="${hook.id}"]`)).toMatch(/on-call.*failing since/);
    expect(await page.isHidden('#alerts-empty')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'overview-alerts-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a read key no control that needs more, and an admin key its controls', async () => {
    /** Elements that need a scope and are on screen. */
    const visibleControls = (page: Page) =>
      page.$$eval('[data-needs]', (els) =>
        els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.id || el.tagName),
      );
    const viewer = await open(WIDTHS.desktop, { key: READ_KEY });
    await viewer.page.goto(`${h.baseUrl}/dashboard`);
    await state(viewer.page, 'ok');
    await viewer.page.waitForSelector('#alerts tbody tr');
    expect(await viewer.page.getAttribute('body', 'data-scope')).toBe('read');
    expect(await viewer.page.textContent('#key-info')).toBe(`read key · ${fingerprint(READ_KEY)}`);
    expect(await viewer.page.isHidden('#track-form')).toBe(true);
    expect(await viewer.page.$$('#alerts button')).toHaveLength(0);
    expect(await visibleControls(viewer.page)).toEqual([]);
    await viewer.page.screenshot({ path: join(SHOTS, 'overview-read-key-1280.png'), fullPage: true });
    expect(viewer.errors).toEqual([]);
    await viewer.context.close();

    const admin = await open(WIDTHS.desktop, { key: KEY });
    await admin.page.goto(`${h.baseUrl}/dashboard`);
    await state(admin.page, 'ok');
    expect(await admin.page.getAttribute('body', 'data-scope')).toBe('admin');
    expect(await admin.page.isVisible('#track-form')).toBe(true);
    // Silencing the firing alert from the page creates the silence, and the row says so.
    await admin.page.click('#alerts tbody tr button.silence');
    await admin.page.waitForFunction(() =>
      /silenced until/.test(document.querySelector('#alerts tbody tr')?.textContent ?? ''),
    );
    const silences = (await h.request('GET', '/silences', auth)).body.items;
    expect(silences).toHaveLength(1);
    expect(silences[0].reason).toContain('dashboard');
    // Tracking a task from the page.
    const newTask = h.simulator.engine.createTask().taskId;
    await admin.page.fill('#track-task', newTask);
    await admin.page.click('#track-form button');
    await admin.page.waitForSelector(`#tasks tr[data-task-id="${newTask}"]`);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it('tells the holder of a metrics key that the page needs a read key', async () => {
    const { context, page } = await open(WIDTHS.desktop, { key: METRICS_KEY });
    await page.goto(`${h.baseUrl}/dashboard`);
    await state(page, 'key');
    expect(await page.textContent('#key-reason')).toMatch(/has the metrics scope.*Enter a read key/);
    await context.close();
  });

  it('shows an incident of the last hour minute by minute: when failures started and when they stopped', async () => {
    // An hour of a busy task: about 5 % failures, then 60 % from 35 to 20 minutes ago (the
    // incident), then a fix. Written through the service's own write path at those times.
    const incident = h.simulator.engine.createTask().taskId;
    await h.request('PUT', `/tasks/${incident}`, auth);
    const observations = h.app.get(ObservationsRepository);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    let failed = 0;
    let n = 0;
    for (let back = 59; back >= 0; back--) {
      const bad = back <= 35 && back > 20;
      for (let i = 0; i < 3 + ((back * 7) % 5); i++) {
        const end = minute - back * 60_000 + i * 9_000 + 1_000;
        if (end > Date.now()) continue;
        const drive = `inc-${n++}`;
        const fails = bad ? n % 5 < 3 : n % 20 === 0;
        if (fails) failed += 1;
        for (const [status, at] of [
          [1, end - 14_000 - (n % 4) * 1_500],
          [2, end - 12_000 + (bad ? 9_000 : 0)],
          [fails ? 3 : 4, end],
        ] as const)
          await observations.applyObservation(incident, [{ driveId: drive, status }], {
            at: new Date(at),
            source: 'callback',
            complete: false,
          });
      }
    }
    const { context, page, errors } = await open(WIDTHS.desktop, { key: KEY });
    await page.goto(`${h.baseUrl}/dashboard/tasks/${incident}?range=1h`);
    await state(page, 'ok');
    await page.waitForFunction(() => document.querySelector('#task-chart')?.getAttribute('data-interval') === 'minute');
    expect(await page.getAttribute('#task-chart', 'data-failed')).toBe(String(failed));
    // Its page with both timing charts, down to the first drives.
    expect(await page.getAttribute('#task-duration-chart', 'data-played')).not.toBe('0');
    const rows = (await page.locator('#drives tbody tr:nth-child(8)').boundingBox())!;
    await page.screenshot({
      path: join(SHOTS, 'incident-task-1h-1280.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: WIDTHS.desktop, height: rows.y + rows.height + 16 },
    });
    await page.goto(`${h.baseUrl}/dashboard?range=1h`);
    await state(page, 'ok');
    await page.waitForFunction(() => document.querySelector('#chart')?.getAttribute('data-interval') === 'minute');
    const over = (await page.locator('#chart .u-over').boundingBox())!;
    const halfBucket = over.width / Number(await page.getAttribute('#chart', 'data-buckets')) / 2;
    await page.mouse.move(over.x + over.width - halfBucket, over.y + over.height / 3);
    await page.waitForFunction(() =>
      /in progress/.test(document.querySelector('#chart .u-legend .u-series:first-child')?.textContent ?? ''),
    );
    // The page down to the duration chart: the header, the counts, both charts.
    const bottom = (await page.locator('#duration-chart').boundingBox())!;
    await page.screenshot({
      path: join(SHOTS, 'incident-1h-1280.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: WIDTHS.desktop, height: bottom.y + bottom.height + 16 },
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
