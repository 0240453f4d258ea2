/**
 * What every body format starts from: the stored event (the signed JSON, exactly as queued)
 * read back into one shape, with the words and links the formats share. Pure: no I/O.
 */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const isSeverity = (v: unknown): v is Severity => SEVERITIES.includes(v as Severity);

export const WEBHOOK_FORMATS = ['signed', 'slack', 'teams', 'pagerduty', 'alertmanager'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The `alert` object of an alert event's body (see AlertsRepository). */
export interface AlertInfo {
  id: string;
  ruleId: string;
  kind: string;
  taskId: string | null;
  value: number;
  threshold: number;
  firedAt: string;
  resolvedAt: string | null;
  description: string | null;
  /** Extra numbers or words an alert kind carries (slo_burn: burn rates, budget left). */
  details: Record<string, string | number | boolean | null>;
}

export interface Notification {
  eventId: string;
  type: string;
  createdAt: string;
  state: 'firing' | 'resolved' | 'test';
  alert: AlertInfo | null;
  /** The event's own severity when it carries one, else the rule's (stored on the event too). */
  severity: Severity;
  /** 0 for the first notice; n for the n-th reminder (repeatIntervalMinutes). */
  reminder: number;
  links: { task: string | null; alerts: string | null };
}

/** Words for each kind, for people (unknown kinds show as they are). */
const KIND_TITLES: Record<string, string> = {
  consecutive_failures: 'Failed drives in a row',
  failure_rate: 'Drive failure rate',
  stuck_drive: 'Stuck drives',
  unresolved_drives: 'Unresolved drives',
  sync_lag: 'Sync lag',
  upstream: 'ZEGO upstream unavailable',
  slo_burn: 'SLO error budget burn',
};

export const kindTitle = (kind: string) => KIND_TITLES[kind] ?? kind;

/** Reads an event body back; throws on a body that is not an event (never queued by this service). */
export function readNotification(body: string, type: string, publicUrl: string | undefined): Notification {
  const event = JSON.parse(body) as Record<string, unknown>;
  const raw = (event.alert ?? null) as Record<string, unknown> | null;
  const alert: AlertInfo | null = raw
    ? {
        id: String(raw.id),
        ruleId: String(raw.ruleId),
        kind: String(raw.kind),
        taskId: typeof raw.taskId === 'string' ? raw.taskId : null,
        value: Number(raw.value),
        threshold: Number(raw.threshold),
        firedAt: String(raw.firedAt),
        resolvedAt: typeof raw.resolvedAt === 'string' ? raw.resolvedAt : null,
        description: typeof raw.description === 'string' && raw.description ? raw.description : null,
        details: flatDetails(raw.details),
      }
    : null;
  const state = type === 'alert.resolved' ? 'resolved' : alert ? 'firing' : 'test';
  const base = publicUrl?.replace(/\/+$/, '');
  return {
    eventId: String(event.id),
    type,
    createdAt: String(event.createdAt),
    state,
    alert,
    severity: isSeverity(raw?.severity) ? raw.severity : isSeverity(event.severity) ? event.severity : 'warning',
    reminder: typeof event.reminder === 'number' ? event.reminder : 0,
    links: {
      task: base && alert?.taskId ? `${base}/dashboard/tasks/${encodeURIComponent(alert.taskId)}` : null,
      alerts: base ? `${base}/dashboard#alerts-title` : null,
    },
  };
}

function flatDetails(raw: unknown): AlertInfo['details'] {
  const out: AlertInfo['details'] = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as string | number | boolean;
    else out[k] = JSON.stringify(v);
  }
  return out;
}

/** A number as people read it: at most 4 significant digits past the point, no trailing zeros. */
export function shownNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/** `FIRING`, `RESOLVED`, `REMINDER 2`, `TEST`. */
export function stateWord(n: Notification): string {
  if (n.state === 'resolved') return 'RESOLVED';
  if (n.state === 'test') return 'TEST';
  return n.reminder ? `STILL FIRING (reminder ${n.reminder})` : 'FIRING';
}

/** One line that says it all: state, severity, what, where, value and threshold. */
export function summaryLine(n: Notification): string {
  if (!n.alert) return 'drive-status test notification: this endpoint is set up';
  const a = n.alert;
  const where = a.taskId ? `task ${a.taskId}` : 'service';
  const what = a.description ? `${kindTitle(a.kind)} (${a.description})` : kindTitle(a.kind);
  return `[${stateWord(n)}] ${n.severity}: ${what} on ${where}: value ${shownNumber(a.value)}, threshold ${shownNumber(a.threshold)}`;
}

/** Cuts text to `max` characters (UTF-16 units, as the tools count), marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}
