import type { AlertInfo, Severity } from '../webhooks/formats/notification';

/** What an alert kind may add to its events beyond the rule's settings. */
export interface EventExtras {
  /** Overrides the rule's severity for this event (slo_burn: the severity of the pair that fired). */
  severity?: Severity;
  /** Flat facts shown by every format (slo_burn: burn rates, budget left). */
  details?: Record<string, string | number | boolean | null>;
  /** slo_burn: the SLO, the pair that holds (or null), its burn rates and budget left, as `slo` in the event. */
  slo?: Record<string, unknown>;
}

/** The event body's `slo` member, for the kinds that have one. */
export function sloFacts(extras: EventExtras): { slo?: Record<string, unknown> } {
  return extras.slo ? { slo: extras.slo } : {};
}

/** An alert as the repository holds it when it writes an event (times as dates, the rule's severity). */
export type AlertEventFields = Omit<AlertInfo, 'firedAt' | 'resolvedAt' | 'details'> & {
  firedAt: Date;
  resolvedAt: Date | null;
  severity: Severity;
};

/** The body's `alert` object of an alert event (what the formats read back at send time). */
export function alertPayload(a: AlertEventFields, extras: EventExtras = {}) {
  return {
    id: a.id,
    ruleId: a.ruleId,
    kind: a.kind,
    taskId: a.taskId,
    value: a.value,
    threshold: a.threshold,
    firedAt: a.firedAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    severity: extras.severity ?? a.severity,
    description: a.description,
    ...(extras.details ? { details: extras.details } : {}),
  };
}
