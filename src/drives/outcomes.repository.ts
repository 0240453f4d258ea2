import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { OutcomeRow } from './drive-rows';

/** The hourly outcome aggregates of one task (written with each change by ObservationsRepository). */
@Injectable()
export class OutcomesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Hourly counts of drives that reached failed / finished, hours in [from, to). */
  async outcomes(taskId: string, from: Date, to: Date): Promise<OutcomeRow[]> {
    return this.prisma.driveOutcomeHourly.findMany({
      where: { taskId, hour: { gte: from, lt: to } },
      orderBy: { hour: 'asc' },
      select: { hour: true, failed: true, finished: true },
    });
  }
}
