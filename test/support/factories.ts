import type { RuleRow } from '../../src/alerts/alerts.repository';
import type { CallbackReceipt } from '../../src/drives/callback-receipts.repository';
import type { DriveRow, TaskRow } from '../../src/drives/drive-rows';
import type { WebhooksRepository } from '../../src/webhooks/webhooks.repository';

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

let nextUuid = 1;
/** A distinct, well-formed UUID per call. */
export const uuid = (): string => `00000000-0000-4000-8000-${String(nextUuid++).padStart(12, '0')}`;

export function ruleRow(overrides: Partial<RuleRow> = {}): RuleRow {
  return {
    id: uuid(),
    kind: 'consecutive_failures',
    taskId: null,
    threshold: 3,
    windowS: null,
    minSamples: null,
    thresholdS: null,
    webhookIds: [],
    description: null,
    enabled: true,
    severity: 'warning',
    repeatIntervalMinutes: null,
    sloId: null,
    createdAt: new Date('2026-11-30T08:00:00Z'),
    updatedAt: new Date('2026-11-30T08:00:00Z'),
    ...overrides,
  };
}

export type WebhookRow = NonNullable<Awaited<ReturnType<WebhooksRepository['get']>>>;

export function webhookRow(overrides: Partial<WebhookRow> = {}): WebhookRow {
  return {
    id: uuid(),
    url: 'https://hooks.example.com/drive-status',
    description: null,
    format: 'signed',
    routingKey: null,
    createdAt: new Date('2026-11-30T08:00:00Z'),
    failingSince: null,
    lastDeliveredAt: null,
    pending: 0,
    ...overrides,
  };
}

/** The receipt a verified callback comes with. */
export function callbackReceipt(overrides: Partial<CallbackReceipt> = {}): CallbackReceipt {
  return {
    signature: 'a'.repeat(40),
    timestamp: '1795996800',
    nonce: '778899',
    sentAt: new Date('2026-11-30T08:00:00Z'),
    bodySha256: Buffer.alloc(32),
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
