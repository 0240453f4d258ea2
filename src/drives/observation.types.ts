import type { CallbackReceipt } from './callback-receipts.repository';
import type { ObservedDrive, TransitionPlan } from './drive-transitions';

export interface ObservationResult {
  plan: TransitionPlan;
  /** Drives of the task that are not yet terminal after this observation. */
  active: number;
  total: number;
  /** Drives this observation ended (not counting those already marked unresolved): for the metric. */
  ended?: { failed: number; finished: number };
}

/** Where an observation comes from (drive_history.source). */
export type ObservationSource = 'poll' | 'callback' | 'producer' | 'client';

/** What the producer of a drive (the service that asked ZEGO to speak) says about it. */
export interface DriveRegistration {
  driveId: string;
  type: string | null;
  requestId: string | null;
  submittedAt: Date | null;
}

export interface ObservationOptions {
  at: Date;
  source: ObservationSource;
  complete: boolean;
  /** Polls: when the request was sent (a poll sent after the task ended is its last). */
  startedAt?: Date;
  nextPoll?: { active: Date; idle: Date };
  /** Create the task (tracked, with this source) when it is not known, or track it again. */
  ensureTask?: string;
  /** A producer's registration: its metadata is kept on the drive, in the same transaction. */
  registration?: DriveRegistration;
}

/** One observation to write (a callback's, with its receipt). */
export interface ObservationJob {
  taskId: string;
  observed: readonly ObservedDrive[];
  options: ObservationOptions;
  receipt?: CallbackReceipt;
}

/** Thrown inside the write's transaction to roll it back when a callback's receipt was taken. */
export class ReceiptTaken extends Error {}
