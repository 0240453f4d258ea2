import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { trustedEventTime } from '../callbacks/zego-callback';
import { parseTime } from '../common/time';
import { ObservationJob, ObservationsRepository } from '../drives/observations.repository';
import { MetricsService } from '../metrics/metrics.service';
import { DRIVE_STATUS_NAMES } from '../zego/zego.types';
import { ClientMessageResult, ClientMessagesAnswer, ClientMessagesBody } from './client-relay.dto';
import { parseRoomMessage, RoomMessage, RoomMessageError } from './room-message';

/**
 * Room messages relayed by the app's backend: the drive statuses ZEGO now tells clients rather than
 * servers. They go through the same write as callbacks and polls (history source `client`), so a
 * status only moves forward and a repeat changes nothing.
 */
@Injectable()
export class ClientRelayService {
  private readonly logger = new Logger(ClientRelayService.name);

  constructor(
    private readonly observations: ObservationsRepository,
    private readonly metrics: MetricsService,
  ) {}

  async relay(taskId: string, body: ClientMessagesBody, now = Date.now()): Promise<ClientMessagesAnswer> {
    // Every message is read before anything is written: one bad message refuses the whole request.
    let parsed: RoomMessage[];
    try {
      parsed = body.messages.map((m, i) => parseRoomMessage(m, `messages[${i}]`));
    } catch (err) {
      if (err instanceof RoomMessageError) {
        this.metrics.clientMessages.inc({ outcome: 'refused' }, body.messages.length);
        throw new BadRequestException(err.message);
      }
      throw err;
    }
    const at = new Date(this.receivedAt(body.receivedAt, now));
    const drives = parsed.flatMap((m) => (m.kind === 'drive' ? [m] : []));
    // One job per message, each planned after the one before: "playing" then "finished" in one
    // request gives both history entries, and each message its own outcome.
    const jobs: ObservationJob[] = drives.map((m) => ({
      taskId,
      observed: [{ driveId: m.driveId, status: m.status }],
      options: { at, source: 'client', complete: false, ensureTask: 'client' },
    }));
    const written = await this.observations.applyInOrder(jobs);
    let next = 0;
    const results: ClientMessageResult[] = parsed.map((m) => {
      if (m.kind === 'ignored') return { outcome: 'ignored', reason: m.reason };
      const result = written[next++];
      const changed = !!result?.plan.changes.length;
      for (const r of result?.plan.regressions ?? []) {
        this.logger.debug(
          `task ${taskId} drive ${r.driveId}: client says ${DRIVE_STATUS_NAMES[r.observed]} after ${DRIVE_STATUS_NAMES[r.stored]}; ignored`,
        );
      }
      return { outcome: changed ? 'recorded' : 'duplicate', driveId: m.driveId, status: DRIVE_STATUS_NAMES[m.status] };
    });
    const count = (o: ClientMessageResult['outcome']) => results.filter((r) => r.outcome === o).length;
    for (const outcome of ['recorded', 'duplicate', 'ignored'] as const) {
      if (count(outcome)) this.metrics.clientMessages.inc({ outcome }, count(outcome));
    }
    return {
      taskId,
      observedAt: at.toISOString(),
      recorded: count('recorded'),
      duplicate: count('duplicate'),
      ignored: count('ignored'),
      results,
    };
  }

  /** The client's receipt time when believable (the bounds of a callback's EventTime), else now. */
  private receivedAt(value: string | number | undefined, now: number): number {
    if (value === undefined) return now;
    let ms: number;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value))
        throw new BadRequestException('receivedAt must be whole milliseconds since the epoch or an ISO-8601 time');
      ms = value;
    } else if (typeof value === 'string') {
      ms = parseTime('receivedAt', value);
    } else {
      throw new BadRequestException('receivedAt must be an ISO-8601 time or milliseconds since the epoch');
    }
    return trustedEventTime(ms, now)?.getTime() ?? now;
  }
}
