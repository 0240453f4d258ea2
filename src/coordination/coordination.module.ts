import { Module } from '@nestjs/common';
import { BackgroundDuties } from './background-duties.service';
import { FleetLease } from './fleet-lease.service';

/** Which replica runs the fleet's background duties, and the duties' loops. */
@Module({ providers: [FleetLease, BackgroundDuties], exports: [BackgroundDuties] })
export class CoordinationModule {}
