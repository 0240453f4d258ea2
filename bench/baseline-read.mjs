// Baseline for the `read` scenario: what a competent engineer would write by hand — a bare
// Fastify server with one `pg` pool, running the service's statement for
// GET /tasks/:taskId/drives (the task's counters and its first page of drives in one prepared
// statement) and returning the same JSON, with pg's default type parsing.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });
const NAMES = ['', 'queued', 'playing', 'failed', 'finished'];
const PAGE = `SELECT t.queued, t.playing, t.failed, t.finished, d.*
    FROM task t
    LEFT JOIN LATERAL (
      SELECT d.id, d.drive_id, d.task_id, d.status, d.first_seen_at, d.status_changed_at,
             CASE WHEN d.missing_since IS NULL AND t.last_synced_at > d.last_seen_at THEN t.last_synced_at ELSE d.last_seen_at END AS last_seen_at
        FROM drive d WHERE d.task_id = t.task_id ORDER BY d.id LIMIT $2
    ) d ON true
   WHERE t.task_id = $1
   ORDER BY d.id`;

app.get('/tasks/:taskId/drives', async (req, reply) => {
  const { taskId } = req.params;
  const limit = 100;
  const { rows } = await pool.query({ name: 'drive-page', text: PAGE, values: [taskId, limit + 1] });
  if (!rows[0]) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such task' });
  const task = rows[0];
  const drives = task.id === null ? [] : rows;
  const decided = task.failed + task.finished;
  return {
    taskId,
    counts: {
      queued: task.queued,
      playing: task.playing,
      failed: task.failed,
      finished: task.finished,
      total: task.queued + task.playing + decided,
    },
    failureRate: decided ? task.failed / decided : 0,
    items: drives.slice(0, limit).map((d) => ({
      driveId: d.drive_id,
      taskId: d.task_id,
      status: NAMES[d.status],
      statusCode: d.status,
      firstSeenAt: d.first_seen_at.toISOString(),
      statusChangedAt: d.status_changed_at.toISOString(),
      lastSeenAt: d.last_seen_at.toISOString(),
    })),
    nextCursor:
      drives.length > limit
        ? Buffer.from(JSON.stringify({ l: `drives:${taskId}`, a: String(drives[limit - 1].id) })).toString('base64url')
        : null,
  };
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
