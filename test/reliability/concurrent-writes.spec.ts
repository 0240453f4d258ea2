import { Harness, startHarness } from '../support/harness';

/** The same write sent many times at once (retries, several producers): no 5xx, one record. */
describe('concurrent identical writes', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ env: { SYNC_ENABLED: 'false' } })));
  afterAll(() => h.close());

  it('tracks a new task from 30 requests at once', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => h.request('PUT', '/tasks/race-task-1')));
    expect(answers.filter((a) => a.status !== 200 && a.status !== 201).map((a) => a.status)).toEqual([]);
    expect(answers.some((a) => a.status === 201)).toBe(true);
    const [{ n }] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM task WHERE task_id = 'race-task-1'`,
    );
    expect(n).toBe(1);
  });

  it('registers one drive from 30 requests at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        h.request('POST', '/tasks/race-task-2/drives', { body: { driveId: 'race-drive', type: 'ws' } }),
      ),
    );
    expect(answers.filter((a) => a.status !== 200 && a.status !== 201).map((a) => a.status)).toEqual([]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const drive = (await h.request('GET', '/tasks/race-task-2/drives/race-drive')).body;
    expect(drive).toMatchObject({ status: 'queued', type: 'ws' });
    expect(drive.history).toHaveLength(1);
  });
});
