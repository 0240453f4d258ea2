import type { Drive } from '../generated/prisma/client';
import { DRIVE_STATUS, DriveStatusCode, isTerminal, TerminalDriveStatus } from '../zego/zego.types';
import { ObservedDrive, planTransitions, StoredDrive, TransitionPlan } from './drive-transitions';
import { DriveTimings, HistogramDelta, MINUTE_MS, NO_TIMINGS, planTimings } from './durations';

/** A drive as a batch finds it under its task's lock (drive-sql.ts, STORED_DRIVE). */
export interface BatchDrive extends DriveTimings, Pick<Drive, 'taskId' | 'driveId' | 'driveType'> {
  status: DriveStatusCode;
  missing: boolean;
  unresolved: boolean;
}

/** One partial observation (a callback's) of one task, at its own time, from its source. */
export interface BatchEvent {
  taskId: string;
  observed: readonly ObservedDrive[];
  at: number;
  /** drive_history.source of the changes it makes. */
  source: string;
}

/** Everything a batch of events writes, in one statement (ObservationsRepository.applyBatch). */
export interface BatchWrite {
  /** Drives whose status changed: their final state (first seen at `firstAt` when new). */
  saved: Array<{
    taskId: string;
    driveId: string;
    status: DriveStatusCode;
    firstAt: number;
    changedAt: number;
    timings: DriveTimings;
  }>;
  /** One history entry per change, in the order the events came. */
  history: Array<{
    taskId: string;
    driveId: string;
    to: DriveStatusCode;
    from: DriveStatusCode | null;
    at: number;
    source: string;
  }>;
  /** Drives not changed whose timings moved, or that were listed again after vanishing. */
  touched: Array<{ taskId: string; driveId: string; timings: DriveTimings; reappearedAt: number | null }>;
  /** Per task: counter changes (unresolved: marks cleared). */
  counters: Map<string, { 1: number; 2: number; 3: number; 4: number; resolved: number }>;
  /** Drives that ended, per task and UTC minute of the event (the hourly rows take its hour). */
  outcomes: Array<{ taskId: string; minute: number; failed: number; finished: number }>;
  /** Drives of a registered type that ended, per type and minute. */
  typed: Array<{ type: string; minute: number; status: TerminalDriveStatus }>;
  /** Histogram cells per task. */
  durations: Array<HistogramDelta & { taskId: string }>;
  /** Each event's plan, in the order given. */
  plans: TransitionPlan[];
  /** Drives that ended in this batch, those marked unresolved before left out (the metric counts each end once). */
  ended: { failed: number; finished: number };
}

const pickTimings = ({ queuedAt, playingAt, endedAt }: DriveTimings): DriveTimings => ({
  queuedAt,
  playingAt,
  endedAt,
});
const key = (taskId: string, driveId: string) => `${taskId}\u0000${driveId}`;

/**
 * Plans a batch of events as if each had been written alone, one after another in the order
 * given: each event is planned against the state the previous ones left (the same rules,
 * planTransitions and planTimings), and the batch's writes are the sum of theirs. Pure.
 */
export function planBatch(stored: readonly BatchDrive[], events: readonly BatchEvent[]): BatchWrite {
  const state = new Map(stored.map((d) => [key(d.taskId, d.driveId), { ...d }]));
  const out: BatchWrite = {
    saved: [],
    history: [],
    touched: [],
    counters: new Map(),
    outcomes: [],
    typed: [],
    durations: [],
    plans: [],
    ended: { failed: 0, finished: 0 },
  };
  const saved = new Map<string, BatchWrite['saved'][number]>();
  const touched = new Map<string, BatchWrite['touched'][number]>();
  for (const event of events) {
    const mine = new Map<string, StoredDrive & { timings: DriveTimings }>();
    for (const o of event.observed) {
      const d = state.get(key(event.taskId, o.driveId));
      if (d) mine.set(o.driveId, { driveId: d.driveId, status: d.status, missing: d.missing, timings: pickTimings(d) });
    }
    const plan = planTransitions(mine, event.observed, false);
    const timed = planTimings(mine, event.observed, plan, event.at);
    out.plans.push(plan);
    const counters = out.counters.get(event.taskId) ?? { 1: 0, 2: 0, 3: 0, 4: 0, resolved: 0 };
    out.counters.set(event.taskId, counters);
    for (const s of [1, 2, 3, 4] as const) counters[s] += plan.countDelta[s];
    const minute = event.at - (event.at % MINUTE_MS);
    let failed = 0;
    let finished = 0;
    for (const c of plan.changes) {
      const k = key(event.taskId, c.driveId);
      const before = state.get(k);
      const timings = timed.timings.get(c.driveId) ?? pickTimings(before ?? NO_TIMINGS);
      if (before?.unresolved) counters.resolved += 1;
      else if (c.to === DRIVE_STATUS.failed) out.ended.failed += 1;
      else if (c.to === DRIVE_STATUS.finished) out.ended.finished += 1;
      const next: BatchDrive = {
        taskId: event.taskId,
        driveId: c.driveId,
        status: c.to,
        missing: false,
        unresolved: false,
        driveType: before?.driveType ?? null,
        queuedAt: timings.queuedAt,
        playingAt: timings.playingAt,
        endedAt: timings.endedAt,
      };
      state.set(k, next);
      const first = saved.get(k);
      saved.set(k, {
        taskId: event.taskId,
        driveId: c.driveId,
        status: c.to,
        firstAt: first?.firstAt ?? event.at,
        changedAt: event.at,
        timings,
      });
      touched.delete(k);
      out.history.push({
        taskId: event.taskId,
        driveId: c.driveId,
        to: c.to,
        from: c.from,
        at: event.at,
        source: event.source,
      });
      if (c.to === DRIVE_STATUS.failed) failed += 1;
      if (c.to === DRIVE_STATUS.finished) finished += 1;
      if (isTerminal(c.to) && next.driveType) out.typed.push({ type: next.driveType, minute, status: c.to });
    }
    if (failed + finished) out.outcomes.push({ taskId: event.taskId, minute, failed, finished });
    // Drives that did not change but whose timings did, or that were listed again after vanishing.
    for (const driveId of new Set([...timed.timings.keys(), ...plan.reappeared])) {
      if (plan.changes.some((c) => c.driveId === driveId)) continue;
      const k = key(event.taskId, driveId);
      const d = state.get(k)!;
      Object.assign(d, pickTimings(timed.timings.get(driveId) ?? d));
      const reappeared = plan.reappeared.includes(driveId);
      if (reappeared) d.missing = false;
      const earlier = saved.get(k);
      if (earlier) {
        // Changed by an earlier event of this batch: its saved row carries the new timings.
        earlier.timings = pickTimings(d);
        continue;
      }
      const prior = touched.get(k);
      touched.set(k, {
        taskId: event.taskId,
        driveId,
        timings: pickTimings(d),
        reappearedAt: reappeared ? event.at : (prior?.reappearedAt ?? null),
      });
    }
    for (const delta of timed.deltas) out.durations.push({ ...delta, taskId: event.taskId });
  }
  out.saved = [...saved.values()];
  out.touched = [...touched.values()];
  return out;
}
