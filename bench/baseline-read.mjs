// Baseline for the `read` scenario: what a competent engineer would write by hand — a bare
// Fastify server with one `pg` pool, running the same two queries as the service's
// GET /tasks/:taskId/drives and returning the same JSON.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });
const NAMES = ['', 'queued', 'playing', 'failed', 'finished'];

app.get('/tasks/:taskId/drives', async (req, reply) => {
  const { taskId } = req.params;
  const limit = 100;
  const t = await pool.query('SELECT task_id, queued, playing, failed, finished FROM task WHERE task_id = $1', [taskId]);
  if (!t.rows[0]) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such task' });
  const { rows } = await pool.query(
    `SELECT d.id, d.drive_id, d.task_id, d.status, d.first_seen_at, d.status_changed_at,
            CASE WHEN d.missing_since IS NULL AND t.last_synced_at > d.last_seen_at THEN t.last_synced_at ELSE d.last_seen_at END AS last_seen_at
       FROM drive d JOIN task t ON t.task_id = d.task_id
      WHERE d.task_id = $1 ORDER BY d.id LIMIT $2`,
    [taskId, limit + 1],
  );
  const task = t.rows[0];
  const decided = task.failed + task.finished;
  return {
    taskId,
    counts: { queued: task.queued, playing: task.playing, failed: task.failed, finished: task.finished, total: task.queued + task.playing + decided },
    failureRate: decided ? task.failed / decided : 0,
    items: rows.slice(0, limit).map((d) => ({
      driveId: d.drive_id,
      taskId: d.task_id,
      status: NAMES[d.status],
      statusCode: d.status,
      firstSeenAt: d.first_seen_at.toISOString(),
      statusChangedAt: d.status_changed_at.toISOString(),
      lastSeenAt: d.last_seen_at.toISOString(),
    })),
    nextCursor: rows.length > limit ? Buffer.from(JSON.stringify({ l: `drives:${taskId}`, a: String(rows[limit - 1].id) })).toString('base64url') : null,
  };
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
