import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER, ApiErrors, BEARER } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
@RequiresScope('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text format. Needs the API key when keys are set. */
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiErrors()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
