/**
 * A typed client of the drive-status REST API, for internal services written in TypeScript.
 *
 * `schema.d.ts` is generated from the service's OpenAPI document (`openapi.json`) by
 * `npm run openapi`; never edit it by hand. Paths, parameters, bodies and answers, errors
 * included, are checked by the compiler:
 *
 *   const api = createDriveStatusClient({ baseUrl: 'http://drive-status:3000', apiKey });
 *   const { data, error } = await api.GET('/tasks/{taskId}', { params: { path: { taskId } } });
 *   if (error) throw new Error(`${error.statusCode} ${error.message}`);
 *   console.log(data.counts.failed);
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

type Schemas = components['schemas'];

/** A tracked task with its drive counts. */
export type Task = Schemas['TaskView'];
export type TaskPage = Schemas['TaskPage'];
export type DriveCounts = Schemas['CountsView'];
/** One drive: its current status and when it was first seen, last changed and last seen. */
export type Drive = Schemas['DriveView'];
export type DriveStatus = Drive['status'];
export type DrivePage = Schemas['DrivePage'];
/** A drive with its whole status history, oldest first. */
export type DriveDetail = Schemas['DriveDetail'];
export type DriveHistoryEntry = Schemas['HistoryView'];
export type TaskHistoryPage = Schemas['TaskHistoryPage'];
export type TaskHistoryItem = Schemas['TaskHistoryItem'];
export type FailureReport = Schemas['FailureReport'];
export type FailureReportBucket = Schemas['ReportBucket'];
/** The old names of GET /tasks/{taskId}/failures' answer: it is the failure report now (a superset). */
export type TaskFailures = FailureReport;
export type FailureBucket = FailureReportBucket;
export type TaskReport = Schemas['TaskReport'];
export type TaskReportItem = Schemas['TaskReportItem'];
export type DurationReport = Schemas['DurationReport'];
export type DurationReportBucket = Schemas['DurationBucketView'];
export type DurationSummary = Schemas['DurationSummaryView'];
export type DurationMetric = DurationReport['metric'];
export type SyncStatus = Schemas['SyncStatus'];
export type Webhook = Schemas['WebhookView'];
/** The answer to creating a webhook: the only one that shows its signing secret. */
export type CreatedWebhook = Schemas['CreatedWebhookView'];
export type WebhookAttempt = Schemas['AttemptView'];
export type AlertRule = Schemas['AlertRuleView'];
export type Alert = Schemas['AlertView'];
export type Silence = Schemas['SilenceView'];

/** What a webhook receiver gets: the JSON body of every delivery. */
export interface WebhookEvent {
  /** Stable across retries: drop a delivery whose id you have already handled. */
  id: string;
  type: 'alert.firing' | 'alert.resolved' | 'webhook.test';
  createdAt: string;
  /** Set on reminders (the rule's repeatIntervalMinutes): 1, 2, … while the alert keeps firing. */
  reminder?: number;
  alert: {
    id: string;
    ruleId: string;
    kind: AlertRule['kind'];
    taskId: string | null;
    value: number;
    threshold: number;
    firedAt: string;
    resolvedAt: string | null;
    /** The event's severity: the rule's, unless the alert kind gives its own (slo_burn). */
    severity: AlertRule['severity'];
    /** The rule's description. */
    description: string | null;
    /** Facts some kinds add (slo_burn: burn rates, budget left). */
    details?: Record<string, string | number | boolean | null>;
  } | null;
}

/**
 * For receivers: `verifyWebhook(secret, rawBody, request.headers['x-drive-status-signature'])` is
 * true when the body was signed with the endpoint's secret less than 5 minutes ago.
 */
export { verifyWebhook, SIGNATURE_HEADER, EVENT_ID_HEADER } from '../src/webhooks/webhook-signature';

/** The body of every error answer: `{ statusCode, error, message }`. */
export type ApiError = Schemas['ErrorDto'];

/**
 * JSON answers are typed; ask for CSV (`format: 'csv'` on the reports and history) with
 * `parseAs: 'text'`, which gives the text.
 */
export type DriveStatusClient = Client<paths, 'application/json'>;

export interface DriveStatusClientOptions {
  /** Where the service is, e.g. `http://drive-status:3000`. */
  baseUrl: string;
  /** One of the service's API_KEYS; sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** A fetch to use instead of the global one (tests, proxies, tracing). */
  fetch?: (request: Request) => Promise<Response>;
}

/** A client whose `GET`, `PUT`, `POST` and `DELETE` take the service's paths, typed. */
export function createDriveStatusClient({ baseUrl, apiKey, fetch }: DriveStatusClientOptions): DriveStatusClient {
  return createClient<paths, 'application/json'>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {}),
    ...(fetch ? { fetch } : {}),
  });
}
