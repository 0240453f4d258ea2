import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import Bottleneck from 'bottleneck';
import { AppConfig } from '../config/app-config';

/** Answered when every report slot is taken and the short queue is full: come back shortly. */
export class ReportsBusyException extends HttpException {
  constructor() {
    super('too many reports are running; try again in a moment', HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/**
 * Reports and history pages may read months of rows. At most REPORT_CONCURRENCY of them hold a
 * database connection at once, and a few more wait their turn; beyond that they are refused
 * (503 with Retry-After), so polls and callbacks always find a free connection in the pool.
 */
@Injectable()
export class HeavyReads {
  private readonly limiter: Bottleneck;

  constructor(config: AppConfig) {
    this.limiter = new Bottleneck({
      maxConcurrent: config.REPORT_CONCURRENCY,
      highWater: config.REPORT_CONCURRENCY * 2,
      strategy: Bottleneck.strategy.OVERFLOW,
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.limiter.schedule(work);
    } catch (err) {
      if (err instanceof Bottleneck.BottleneckError) throw new ReportsBusyException();
      throw err;
    }
  }
}
