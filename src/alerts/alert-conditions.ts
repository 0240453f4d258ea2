import type { Severity } from '../webhooks/formats/notification';
import type { EventExtras } from './alert-events';

/**
 * What each kind of alert rule watches, and when an alert fires and resolves. Pure: the evaluator
 * measures, these functions decide. Resolving needs the condition to be clearly false again
 * (hysteresis), so a value hovering at the threshold does not fire and resolve over and over.
 */
export const ALERT_KINDS = [
  'consecutive_failures',
  'failure_rate',
  'stuck_drive',
  'unresolved_drives',
  'sync_lag',
  'upstream',
  'slo_burn',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * The severity a rule of each kind gets unless it says otherwise: `critical` pages someone,
 * `warning` is a ticket for working hours, `info` is for the record. The upstream (ZEGO
 * unreachable or refusing our credentials) stops every task, so it pages; the per-task
 * symptoms and the lag are warnings. Kinds missing here (added later) default to warning.
 */
const DEFAULT_SEVERITIES: Readonly<Record<string, Severity>> = {
  consecutive_failures: 'warning',
  failure_rate: 'warning',
  stuck_drive: 'warning',
  unresolved_drives: 'warning',
  sync_lag: 'warning',
  upstream: 'critical',
  slo_burn: 'critical',
};
export const defaultSeverity = (kind: string): Severity => DEFAULT_SEVERITIES[kind] ?? 'warning';

/** Kinds measured per task (one alert per task); the others watch the whole service. */
export const PER_TASK_KINDS: readonly AlertKind[] = [
  'consecutive_failures',
  'failure_rate',
  'stuck_drive',
  'unresolved_drives',
];
export const isPerTask = (kind: AlertKind) => PER_TASK_KINDS.includes(kind);

/** A ratio alert resolves once the value is below this share of its threshold. */
export const RESOLVE_BELOW = 0.8;

export interface RuleSettings {
  kind: AlertKind;
  threshold: number | null;
  windowS: number | null;
  minSamples: number | null;
  thresholdS: number | null;
}

/** One measurement for one scope (a task, or the service). */
export interface Measurement {
  /** The number compared with the threshold (count, ratio, seconds, or 1/0 for upstream). */
  value: number;
  /** failure_rate: terminal drives in the window. */
  samples?: number;
  /** consecutive_failures: whether the task has any ended drive at all. */
  anyEnded?: boolean;
  /** slo_burn: whether a pair of the multiwindow rule holds (slo-math's burnVerdict). */
  holds?: boolean;
  /** slo_burn: the threshold of that pair, scaled to the SLO's window (the rule has none of its own). */
  threshold?: number;
  /** slo_burn: what the event carries besides the alert (severity, page or ticket, burn rates, budget). */
  extras?: EventExtras;
}

/** The threshold an alert of this rule is compared with, as stored on the alert. */
export function thresholdOf(rule: RuleSettings): number {
  switch (rule.kind) {
    case 'consecutive_failures':
    case 'failure_rate':
    case 'unresolved_drives':
      return rule.threshold ?? 0;
    case 'stuck_drive':
    case 'sync_lag':
      return rule.thresholdS ?? 0;
    case 'upstream':
      return 1;
    case 'slo_burn':
      return 0;
  }
}

/** True when a quiet scope should start firing. */
export function shouldFire(rule: RuleSettings, m: Measurement): boolean {
  switch (rule.kind) {
    case 'consecutive_failures':
      return m.value >= (rule.threshold ?? Infinity);
    case 'failure_rate':
      return (m.samples ?? 0) >= (rule.minSamples ?? 1) && m.value >= (rule.threshold ?? Infinity);
    case 'stuck_drive':
      return m.value >= 1;
    case 'unresolved_drives':
      return m.value >= (rule.threshold ?? Infinity);
    case 'sync_lag':
      return m.value > (rule.thresholdS ?? Infinity);
    case 'upstream':
      return m.value >= 1;
    case 'slo_burn':
      return m.holds === true;
  }
}

/** True when a firing alert should resolve. */
export function shouldResolve(rule: RuleSettings, m: Measurement): boolean {
  switch (rule.kind) {
    case 'consecutive_failures':
      // A finished drive ends the run of failures.
      return m.value === 0 && m.anyEnded !== false;
    case 'failure_rate':
      return m.value < (rule.threshold ?? 0) * RESOLVE_BELOW;
    case 'stuck_drive':
    case 'unresolved_drives':
      return m.value === 0;
    case 'sync_lag':
      return m.value < (rule.thresholdS ?? 0) * RESOLVE_BELOW;
    case 'upstream':
      return m.value === 0;
    case 'slo_burn':
      // The short windows of the pairs already damp flapping: once no pair holds, it is over.
      return m.holds === false;
  }
}

/** The leading failures of a task's ended drives, newest first (3 failed, 4 finished). */
export function leadingFailures(endedNewestFirst: number[]): number {
  let n = 0;
  while (n < endedNewestFirst.length && endedNewestFirst[n] === 3) n++;
  return n;
}

export interface RuleFields {
  taskId?: string | null;
  threshold?: number | null;
  windowS?: number | null;
  minSamples?: number | null;
  thresholdS?: number | null;
  sloId?: string | null;
}

type Field = 'threshold' | 'windowS' | 'minSamples' | 'thresholdS';

/** Per kind: which settings it takes, their range, whether they must be whole, and defaults. */
const FIELDS: Record<
  AlertKind,
  Partial<Record<Field, { min: number; max: number; whole: boolean; default?: number; what: string }>>
> = {
  consecutive_failures: { threshold: { min: 1, max: 1000, whole: true, what: 'failed drives in a row' } },
  failure_rate: {
    threshold: { min: Number.MIN_VALUE, max: 1, whole: false, what: 'the failed share of ended drives' },
    windowS: { min: 60, max: 604_800, whole: true, default: 3600, what: 'seconds' },
    minSamples: { min: 1, max: 100_000, whole: true, default: 10, what: 'ended drives' },
  },
  stuck_drive: { thresholdS: { min: 1, max: 604_800, whole: true, what: 'seconds' } },
  unresolved_drives: { threshold: { min: 1, max: 100_000, whole: true, default: 1, what: 'unresolved drives' } },
  sync_lag: { thresholdS: { min: 1, max: 86_400, whole: true, what: 'seconds' } },
  upstream: {},
  slo_burn: {},
};

/**
 * Checks a rule's settings against its kind: required ones present and in range, foreign ones
 * absent, defaults filled in. Returns the settings, or the problems (each naming its field).
 */
export function checkRuleSettings(
  kind: AlertKind,
  fields: RuleFields,
): { ok: true; settings: Required<Omit<RuleFields, 'taskId' | 'sloId'>> } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const own = FIELDS[kind];
  const settings = { threshold: null, windowS: null, minSamples: null, thresholdS: null } as Record<
    Field,
    number | null
  >;
  for (const field of ['threshold', 'windowS', 'minSamples', 'thresholdS'] as Field[]) {
    const value = fields[field];
    const spec = own[field];
    if (!spec) {
      if (value !== undefined && value !== null) problems.push(`${field} does not apply to ${kind} rules`);
      continue;
    }
    if (value === undefined || value === null) {
      if (spec.default === undefined) problems.push(`${field} is required for ${kind} rules (${spec.what})`);
      else settings[field] = spec.default;
      continue;
    }
    const low = spec.min === Number.MIN_VALUE ? 'above 0' : `from ${spec.min}`;
    if (value < spec.min || value > spec.max || (spec.whole && !Number.isInteger(value))) {
      problems.push(
        `${field} must be ${spec.whole ? 'a whole number ' : 'a number '}${low} to ${spec.max} (${spec.what})`,
      );
    } else settings[field] = value;
  }
  if (fields.taskId && kind === 'slo_burn') {
    problems.push('taskId does not apply to slo_burn rules: the SLO names what it counts');
  } else if (fields.taskId && !isPerTask(kind)) {
    problems.push(`taskId does not apply to ${kind} rules: they watch the whole service`);
  }
  if (kind === 'slo_burn' && !fields.sloId) problems.push('sloId is required for slo_burn rules (the SLO to watch)');
  if (kind !== 'slo_burn' && fields.sloId) problems.push(`sloId does not apply to ${kind} rules`);
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}
