// Baseline for the `callbacks` scenario: a plain `pg` script that records each event with the same
// insert + update transaction the service performs (task, drive, history, hourly outcome, counter), at the same
// concurrency, with no HTTP in between. Prints events per second and the p99 of an event's time
// (from asking the pool for a connection to its COMMIT: what a caller would wait for).
import pg from 'pg';

const { DATABASE_URL, CONNECTIONS = '50', DURATION_S = '10', TASKS = '1000' } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(CONNECTIONS) });
const end = Date.now() + Number(DURATION_S) * 1000;
let done = 0;
let n = 0;
const times = [];

async function worker() {
  while (Date.now() < end) {
    const i = n++;
    const taskId = `base-task-${i % Number(TASKS)}`;
    const status = 1 + (i % 4);
    const started = performance.now();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO task (task_id, source) VALUES ($1, 'callback') ON CONFLICT (task_id) DO NOTHING`,
        [taskId],
      );
      const { rows } = await client.query(
        `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
         VALUES ($1, $2, $3, now(), now(), now())
         ON CONFLICT (task_id, drive_id) DO UPDATE SET status = EXCLUDED.status RETURNING id`,
        [taskId, `base-drive-${i}`, status],
      );
      await client.query(
        `INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source) VALUES ($1, $2, $3, NULL, now(), 'callback')`,
        [rows[0].id, taskId, status],
      );
      if (status >= 3) {
        await client.query(
          `INSERT INTO drive_outcome_hourly AS o (task_id, hour, failed, finished) VALUES ($1, date_trunc('hour', now(), 'UTC'), $2, $3)
           ON CONFLICT (task_id, hour) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished`,
          [taskId, status === 3 ? 1 : 0, status === 4 ? 1 : 0],
        );
      }
      await client.query(`UPDATE task SET queued = queued + 1 WHERE task_id = $1`, [taskId]);
      await client.query('COMMIT');
      done += 1;
      times.push(performance.now() - started);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: Number(CONNECTIONS) }, worker));
times.sort((a, b) => a - b);
const p99 = times.length ? times[Math.min(times.length - 1, Math.floor(0.99 * times.length))] : 0;
process.stdout.write(
  JSON.stringify({ events: done, perSecond: done / ((Date.now() - started) / 1000), p99: +p99.toFixed(1) }),
);
await pool.end();
