import { inconsistencies } from '../support/processes';
import { Harness, startHarness } from '../support/harness';
import { driveCallback } from '../support/callbacks';

/**
 * Group commit: callbacks that arrive together share one transaction, yet each is answered on its
 * own. One that the database refuses (a trigger stands in for any failure of one event's write) is
 * rolled back alone; a callback sent twice at once is applied once; aggregates come out the same.
 */
const SECRET = 'group-commit-callback-secret-1';

describe('group commit of callbacks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { SYNC_ENABLED: 'false', ZEGO_CALLBACK_SECRET: SECRET, GROUP_COMMIT_WINDOW_MS: '20' },
    });
    await h.db.query(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.drive_id LIKE 'poison%' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON drive FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
  });
  afterAll(() => h.close());

  const body = (taskId: string, driveId: string, status: number, at = Date.now()) =>
    driveCallback(SECRET, taskId, driveId, status, at);
  const send = (b: unknown) => h.request('POST', '/callbacks/zego', { body: b });
  const batches = async () => {
    const text = (await h.request('GET', '/metrics')).body as string;
    const count = Number(/drive_status_group_commit_batch_size_count (\d+)/.exec(text)?.[1] ?? 0);
    const sum = Number(/drive_status_group_commit_batch_size_sum (\d+)/.exec(text)?.[1] ?? 0);
    return { count, sum };
  };

  it('answers each callback of a shared transaction on its own; a failing one alone is refused', async () => {
    const before = await batches();
    const t0 = Date.now() - 60_000;
    const bodies = [];
    for (let i = 0; i < 40; i++) {
      const taskId = `gc-task-${i % 7}`;
      bodies.push(body(taskId, `gc-drive-${i}`, 1, t0), body(taskId, `gc-drive-${i}`, 2, t0 + 1000 + i));
    }
    bodies.splice(17, 0, body('gc-task-3', 'poison-1', 2));
    const duplicate = body('gc-task-5', 'gc-drive-dup', 4, t0 + 5000);
    bodies.push(duplicate, { ...duplicate });
    const answers = await Promise.all(bodies.map(send));

    const after = await batches();
    // Fewer transactions than callbacks: they were shared.
    expect(after.sum - before.sum).toBe(bodies.length);
    expect(after.count - before.count).toBeLessThan(bodies.length / 2);

    const poison = answers[17];
    expect(poison.status).toBe(500);
    expect(JSON.stringify(poison.body)).not.toContain('refused by the test'); // no internals in the answer
    const others = answers.filter((_, i) => i !== 17);
    expect(others.map((a) => a.status)).toEqual(others.map(() => 200));
    expect(
      answers
        .slice(-2)
        .map((a) => a.body.outcome)
        .sort(),
    ).toEqual(['duplicate', 'recorded']);

    const [{ n }] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM drive WHERE drive_id LIKE 'poison%'`,
    );
    expect(n).toBe(0);
    const drives = await h.db.query<{ status: number; queued_at: Date; playing_at: Date }>(
      `SELECT status, queued_at, playing_at FROM drive WHERE drive_id LIKE 'gc-drive-%' AND drive_id <> 'gc-drive-dup'`,
    );
    expect(drives.length).toBe(40);
    expect(drives.every((d) => d.status === 2 && d.queued_at.getTime() === t0)).toBe(true);
    const [{ waits }] = await h.db.query<{ waits: number }>(
      `SELECT sum(drives)::int AS waits FROM drive_duration_hourly WHERE metric = 1`,
    );
    expect(waits).toBe(40);
    expect(await inconsistencies((sql) => h.db.query(sql))).toEqual([]);
  });

  it('keeps counters and aggregates exact under a flood of concurrent callbacks on shared tasks', async () => {
    const t0 = Date.now() - 120_000;
    const events = [];
    for (let i = 0; i < 300; i++) {
      const taskId = `flood-${i % 5}`;
      events.push(body(taskId, `f-${i}`, 1, t0 + i), body(taskId, `f-${i}`, 2, t0 + 10_000 + i));
      events.push(body(taskId, `f-${i}`, i % 4 === 0 ? 3 : 4, t0 + 20_000 + i));
    }
    // Sent in waves, a drive's three events in different waves (so never reordered).
    for (let wave = 0; wave < 3; wave++) {
      const mine = events.filter((_, i) => i % 3 === wave);
      const answers = await Promise.all(mine.map(send));
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
    const [task] = await h.db.query<{ failed: number; finished: number }>(
      `SELECT sum(failed)::int AS failed, sum(finished)::int AS finished FROM task WHERE task_id LIKE 'flood-%'`,
    );
    expect(task).toEqual({ failed: 75, finished: 225 });
    const [plays] = await h.db.query<{ n: number }>(
      `SELECT sum(drives)::int AS n FROM drive_duration_hourly WHERE task_id LIKE 'flood-%' AND metric = 2`,
    );
    expect(plays.n).toBe(300);
    expect(await inconsistencies((sql) => h.db.query(sql))).toEqual([]);
  });
});
