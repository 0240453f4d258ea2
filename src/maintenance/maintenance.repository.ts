import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** Database housekeeping that keeps reads cheap as data grows. */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Folds the cross-task duration histograms of hours before `before` into one packed row per
   * metric and hour (the migration's fold_duration_histograms). Returns the rows packed.
   */
  async foldDurationHistograms(before: Date): Promise<number> {
    const [{ folded }] = await this.prisma.$queryRaw<Array<{ folded: number }>>`
      SELECT fold_duration_histograms(${before}) AS folded`;
    return folded;
  }
}
