import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StatusModule } from '../status/status.module';
import { HealthController } from './health.controller';

/** Liveness and readiness. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), StatusModule],
  controllers: [HealthController],
})
export class HealthModule {}
