import { DriveStatusCode, isTerminal } from '../zego/zego.types';

export interface StoredDrive {
  driveId: string;
  status: DriveStatusCode;
  missing: boolean;
}

export interface ObservedDrive {
  driveId: string;
  status: DriveStatusCode;
}

export interface DriveChange {
  driveId: string;
  from: DriveStatusCode | null;
  to: DriveStatusCode;
}

export interface TransitionPlan {
  /** New drives and status changes: each becomes one history entry. */
  changes: DriveChange[];
  /** Observations that would move a drive backwards; ignored. */
  regressions: Array<{ driveId: string; stored: DriveStatusCode; observed: DriveStatusCode }>;
  /** Stored drives absent from a complete observation (the upstream no longer lists them). */
  vanished: string[];
  /** Drives listed again, unchanged, after having vanished. */
  reappeared: string[];
  /** Change of the task's per-status counters. */
  countDelta: Record<DriveStatusCode, number>;
}

/** queued < playing < (failed | finished): a drive only ever moves up this order. */
const rank = (status: DriveStatusCode): number => (isTerminal(status) ? 3 : status);

/**
 * Decides what an observation of a task's drives changes, given what is stored. Pure: the same
 * inputs always give the same plan, which makes repeated polls and duplicated callbacks harmless.
 * `complete` says the observation lists every drive of the task (a poll does; a callback does not).
 */
export function planTransitions(
  stored: ReadonlyMap<string, StoredDrive>,
  observed: readonly ObservedDrive[],
  complete: boolean,
): TransitionPlan {
  const plan: TransitionPlan = {
    changes: [],
    regressions: [],
    vanished: [],
    reappeared: [],
    countDelta: { 1: 0, 2: 0, 3: 0, 4: 0 },
  };
  const current = new Map<string, DriveStatusCode>();
  const changed = new Map<string, DriveChange>();
  const seen = new Set<string>();

  for (const { driveId, status } of observed) {
    seen.add(driveId);
    const before = current.get(driveId) ?? stored.get(driveId)?.status ?? null;
    if (before === status) continue;
    if (before !== null && rank(status) <= rank(before)) {
      plan.regressions.push({ driveId, stored: before, observed: status });
      continue;
    }
    current.set(driveId, status);
    const earlier = changed.get(driveId);
    // A drive listed twice in one answer still gets one entry: from its stored status to the latest.
    changed.set(driveId, { driveId, from: earlier ? earlier.from : before, to: status });
  }

  for (const change of changed.values()) {
    plan.changes.push(change);
    if (change.from !== null) plan.countDelta[change.from] -= 1;
    plan.countDelta[change.to] += 1;
  }
  for (const drive of stored.values()) {
    if (complete && !seen.has(drive.driveId) && !drive.missing) plan.vanished.push(drive.driveId);
    if (seen.has(drive.driveId) && drive.missing && !changed.has(drive.driveId)) plan.reappeared.push(drive.driveId);
  }
  return plan;
}
