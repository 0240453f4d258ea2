import { Logger } from '@nestjs/common';
import type { RoomMessageDelivery, SimulatorRoom } from '../simulator/simulator.room';

/**
 * Demo mode only: plays the app's backend. The simulator's room messages (what a client in the
 * room would receive through the Express SDK) are relayed, as received, to the service's
 * `POST /tasks/:taskId/client-messages` over HTTP, as a real app's backend would relay what its
 * clients report (a browser never calls the service itself: it would need the API key).
 */
export class DemoRelay {
  private readonly logger = new Logger(DemoRelay.name);
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly room: Pick<SimulatorRoom, 'listeners'>,
    private readonly serviceUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  start(): void {
    this.room.listeners.push((message) => {
      if (this.stopped) return;
      const sent = this.send(message).finally(() => this.pending.delete(sent));
      this.pending.add(sent);
    });
    this.logger.log(`demo: room messages are relayed to ${this.serviceUrl}/tasks/:taskId/client-messages`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.pending]);
  }

  private async send(message: RoomMessageDelivery): Promise<void> {
    try {
      const res = await fetch(`${this.serviceUrl}/tasks/${encodeURIComponent(message.taskId)}/client-messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: JSON.stringify({ messages: [message.text], receivedAt: message.at }),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.failures = 0;
    } catch (err) {
      // One warning per run of failures, not one per message.
      if (this.failures++ === 0) this.logger.warn(`demo: relaying a room message failed: ${(err as Error).message}`);
    }
  }
}
