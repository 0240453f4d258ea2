import type { DriveRow, TaskRow } from '../../src/drives/drive-rows';

/**
 * Rows as the repositories return them, with plausible values; a test states only the fields it is
 * about. For unit specs of services on stubbed repositories.
 */
export function taskRow(overrides: Partial<TaskRow> = {}): TaskRow {
  return {
    taskId: 'task-1',
    tracking: true,
    source: 'manual',
    createdAt: new Date('2026-11-30T08:00:00Z'),
    lastSyncedAt: null,
    lastSyncError: null,
    endedAt: null,
    taskStatus: null,
    failReason: null,
    roomId: null,
    streamId: null,
    upstreamCreatedAt: null,
    queued: 0,
    playing: 0,
    failed: 0,
    finished: 0,
    unresolved: 0,
    ...overrides,
  };
}

let nextDriveRowId = 1;

export function driveRow(overrides: Partial<DriveRow> = {}): DriveRow {
  const id = String(nextDriveRowId++);
  return {
    id,
    driveId: `drive-${id}`,
    taskId: 'task-1',
    status: 1,
    firstSeenAt: '2026-11-30T08:00:00.000Z',
    statusChangedAt: '2026-11-30T08:00:00.000Z',
    lastSeenAt: '2026-11-30T08:00:00.000Z',
    driveType: null,
    requestId: null,
    submittedAt: null,
    unresolvedAt: null,
    queuedAt: '2026-11-30T08:00:00.000Z',
    playingAt: null,
    endedAt: null,
    ...overrides,
  };
}

/** A stub of a class: only the methods a test gives exist; calling another fails loudly. */
export function stub<T extends object>(methods: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(methods, {
    get(target, name) {
      if (name in target) return (target as Record<string | symbol, unknown>)[name];
      if (name === 'then') return undefined;
      throw new Error(`the stub has no ${String(name)}: give it to stub() in the test`);
    },
  }) as unknown as T;
}
