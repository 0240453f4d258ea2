import type { SimEvent, SimulatorEngine } from './simulator.engine';

/** A room message as ZEGO's Express SDK hands it to a client in the task's room. */
export interface RoomMessageDelivery {
  /** Position in this simulator's feed, from 1. */
  seq: number;
  taskId: string;
  roomId: string;
  /** When the client got it (ms). */
  at: number;
  /** The message text, as the SDK delivers it: `{"Product":"digitalhuman","Cmd":1001,"Data":{...}}`. */
  text: string;
}

const KEPT = 10_000;

/**
 * The client side of the simulated account: what an app in a task's room would be told. ZEGO's
 * 2026 docs: a room message Cmd 1001 when the avatar starts (Status 2) or finishes (Status 4)
 * speaking a drive; nothing for queued or failed drives. Listeners are told at once (in process);
 * the last messages are also kept for `GET /_sim/rooms/messages?after=<seq>`.
 */
export class SimulatorRoom {
  readonly listeners: Array<(message: RoomMessageDelivery) => void> = [];
  private readonly kept: RoomMessageDelivery[] = [];
  private seq = 0;

  constructor(private readonly engine: SimulatorEngine) {
    engine.listeners.push((event) => this.onEvent(event));
  }

  /** Messages after `seq` (oldest first, at most `limit`). */
  since(seq: number, limit = 500): RoomMessageDelivery[] {
    return this.kept.filter((m) => m.seq > seq).slice(0, limit);
  }

  private onEvent(event: SimEvent): void {
    if (event.type !== 4 || (event.status !== 2 && event.status !== 4)) return;
    const task = this.engine.allTasks().find((t) => t.taskId === event.taskId);
    const message: RoomMessageDelivery = {
      seq: ++this.seq,
      taskId: event.taskId,
      roomId: task?.roomId ?? '',
      at: this.engine.options.now(),
      text: JSON.stringify({
        Product: 'digitalhuman',
        Cmd: 1001,
        Data: { Status: event.status, DriveId: event.driveId },
      }),
    };
    this.kept.push(message);
    if (this.kept.length > KEPT) this.kept.splice(0, this.kept.length - KEPT);
    for (const listener of this.listeners) listener(message);
  }
}
