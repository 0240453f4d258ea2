import { Logger } from '@nestjs/common';
import { DrivesService } from '../drives/drives.service';
import { SimulatorEngine } from '../simulator/simulator.engine';

/**
 * Demo mode only: keeps a few simulated stream tasks busy, the way a producer service would,
 * and registers them for tracking, so a fresh start has drives changing status to look at.
 */
export class DemoDriver {
  private readonly logger = new Logger(DemoDriver.name);
  private timer?: NodeJS.Timeout;
  private taskIds: string[] = [];

  constructor(
    private readonly engine: SimulatorEngine,
    private readonly tracker: Pick<DrivesService, 'track'>,
    private readonly taskCount = 3,
  ) {}

  async start(): Promise<void> {
    await this.refill();
    this.timer = setInterval(
      () => void this.step().catch((err: Error) => this.logger.warn(`demo step failed: ${err.message}`)),
      3000,
    );
    this.timer.unref();
    this.logger.log(
      `demo: ${this.taskIds.length} simulated tasks are being driven and tracked: ${this.taskIds.join(', ')}`,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async refill(): Promise<void> {
    const running = new Set(this.engine.runningTasks().map((t) => t.taskId));
    this.taskIds = this.taskIds.filter((id) => running.has(id));
    while (this.taskIds.length < this.taskCount) {
      const task = this.engine.createTask();
      this.taskIds.push(task.taskId);
      await this.tracker.track(task.taskId);
    }
  }

  private async step(): Promise<void> {
    await this.refill();
    for (const taskId of this.taskIds) {
      const task = this.engine.findTask(taskId);
      const pending = task.drives.filter((d) => d.status === 1 || d.status === 2).length;
      if (task.status === 3 && pending < 3 && Math.random() < 0.7) {
        this.engine.drive(taskId, Math.random() < 0.8 ? 'text' : 'audio', Math.random() < 0.05);
      }
    }
  }
}
