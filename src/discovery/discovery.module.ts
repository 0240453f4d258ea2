import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { DrivesModule } from '../drives/drives.module';
import { DiscoveryService } from './discovery.service';

/** Finds the account's running stream tasks and starts tracking them. */
@Module({ imports: [DrivesModule, CoordinationModule], providers: [DiscoveryService] })
export class DiscoveryModule {}
