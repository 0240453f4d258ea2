import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { MaintenanceRepository } from './maintenance.repository';
import { MaintenanceService } from './maintenance.service';

/** Housekeeping of the database on the lease holder: folded histograms. */
@Module({
  imports: [CoordinationModule],
  providers: [MaintenanceRepository, MaintenanceService],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
