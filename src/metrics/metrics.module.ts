import { Global, Module } from '@nestjs/common';
import { UPSTREAM_OBSERVER } from '../zego/upstream-observer';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Global: every feature may count what it does; the upstream client sees only its observer interface. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, { provide: UPSTREAM_OBSERVER, useExisting: MetricsService }],
  exports: [MetricsService, UPSTREAM_OBSERVER],
})
export class MetricsModule {}
