import { Harness, startHarness } from '../support/harness';
import { driveCallback } from '../support/callbacks';

/**
 * The service that asks ZEGO to speak registers each drive the moment it has its DriveId; the
 * record then follows it through callbacks like any other drive, with its metadata kept.
 */
const CALLBACK_SECRET = 'producer-callback-secret-77aa';
const KEY = 'producer-api-key-000000000001';
const auth = { authorization: `Bearer ${KEY}` };

describe('producer registration', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false', ZEGO_CALLBACK_SECRET: CALLBACK_SECRET, API_KEYS: KEY } });
  });
  afterAll(() => h.close());
  const register = (taskId: string, body: unknown) =>
    h.request('POST', `/tasks/${encodeURIComponent(taskId)}/drives`, { body, headers: auth });
  const get = (path: string) => h.request('GET', path, { headers: auth });
  const callback = (taskId: string, driveId: string, status: number) =>
    h.request('POST', '/callbacks/zego', { body: driveCallback(CALLBACK_SECRET, taskId, driveId, status) });

  it('records a drive as queued, once, tracks its task, and keeps its metadata', async () => {
    const submittedAt = new Date(Date.now() - 2000).toISOString();
    const first = await register('producer-task-1', {
      driveId: 'p-drive-1',
      type: 'text',
      requestId: 'req-1',
      submittedAt,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      driveId: 'p-drive-1',
      taskId: 'producer-task-1',
      status: 'queued',
      type: 'text',
      requestId: 'req-1',
      submittedAt,
      firstSeenAt: submittedAt,
    });
    const again = await register('producer-task-1', { driveId: 'p-drive-1', type: 'audio', requestId: 'req-2' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ type: 'text', requestId: 'req-1' }); // what was set first stays

    const task = (await get('/tasks/producer-task-1')).body;
    expect(task).toMatchObject({ tracking: true, source: 'producer', counts: { queued: 1, total: 1 } });
    const detail = (await get('/tasks/producer-task-1/drives/p-drive-1')).body;
    expect(detail.history).toEqual([
      expect.objectContaining({ status: 'queued', previousStatus: null, source: 'producer', observedAt: submittedAt }),
    ]);
  });

  it('lets callbacks move a registered drive on, and reports count it by type', async () => {
    expect((await register('producer-task-2', { driveId: 'p-drive-2', type: 'audio' })).status).toBe(201);
    expect((await register('producer-task-2', { driveId: 'p-drive-3', type: 'audio' })).status).toBe(201);
    await callback('producer-task-2', 'p-drive-2', 2);
    await callback('producer-task-2', 'p-drive-2', 3);
    await callback('producer-task-2', 'p-drive-3', 4);
    const drives = (await get('/tasks/producer-task-2/drives')).body;
    expect(drives.items.map((d: any) => [d.driveId, d.status, d.type])).toEqual([
      ['p-drive-2', 'failed', 'audio'],
      ['p-drive-3', 'finished', 'audio'],
    ]);
    const audio = (await get('/reports/failures?type=audio')).body;
    expect(audio).toMatchObject({ type: 'audio', totals: { failed: 1, finished: 1 } });
    expect((await get('/reports/failures?type=rtc')).body.totals).toMatchObject({ failed: 0, finished: 0 });
    // A drive registered after it already ended keeps its status and is counted under its type.
    await callback('producer-task-2', 'p-drive-4', 3);
    const late = await register('producer-task-2', { driveId: 'p-drive-4', type: 'audio' });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ status: 'failed', type: 'audio' });
    expect((await get('/reports/failures?type=audio')).body.totals).toMatchObject({ failed: 2, finished: 1 });
    const csv = await h.request('GET', '/reports/failures?type=audio&format=csv', { headers: auth });
    expect(csv.body).toMatch(/^start,failed,finished,failureRate,unresolved\r\n/);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['producer-task-3', {}, /driveId must be 1-128/],
      ['producer-task-3', { driveId: 'bad id' }, /driveId must be 1-128/],
      ['producer-task-3', { driveId: 'x'.repeat(129) }, /driveId must be 1-128/],
      ['producer-task-3', { driveId: 'ok', type: 'video' }, /type must be one of text, audio, ws, rtc/],
      ['producer-task-3', { driveId: 'ok', requestId: 'has space' }, /requestId must be/],
      ['producer-task-3', { driveId: 'ok', submittedAt: 'yesterday' }, /submittedAt must be an ISO-8601 time/],
      [
        'producer-task-3',
        { driveId: 'ok', submittedAt: '2020-01-01T00:00:00Z' },
        /submittedAt must be within the last 24 hours/,
      ],
      ['producer-task-3', { driveId: 'ok', status: 'finished' }, /unknown parameter status/],
      ['bad task id!', { driveId: 'ok' }, /taskId must be 1-128/],
      ['producer-task-3', [[[{ driveId: 'ok' }]]], /the body must be a JSON object/],
      ['producer-task-3', '"p-drive-9"', /the body must be a JSON object/],
    ];
    for (const [taskId, body, message] of cases) {
      const res = await register(taskId, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.message).toMatch(message);
    }
    expect((await get('/tasks/producer-task-3')).status).toBe(404);
    expect((await get('/reports/failures?type=audio&taskId=producer-task-2')).status).toBe(400);
    expect((await get('/reports/failures?type=video')).body.message).toMatch(/type must be one of/);
    expect((await h.request('POST', '/tasks/producer-task-3/drives', { body: { driveId: 'ok' } })).status).toBe(401);
  });
});
