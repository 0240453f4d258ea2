import { Module } from '@nestjs/common';
import { SyncLease } from './sync-lease.service';

/** Which replica talks to ZEGO. */
@Module({ providers: [SyncLease], exports: [SyncLease] })
export class CoordinationModule {}
