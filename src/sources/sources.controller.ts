import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER, ApiErrors, BEARER } from '../common/api-docs';
import { HeavyReads } from '../database/heavy-reads';
import { SourcesQuery, SourcesReport } from './sources.dto';
import { SourcesService } from './sources.service';
import { RequiresScope } from '../common/scope.decorator';

@ApiTags('reports')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
@RequiresScope('read')
@Controller('reports')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly heavy: HeavyReads,
  ) {}

  @Get('sources')
  @ApiOperation({
    summary:
      'How many drive ends each route reported (callback, poll, client relay, producer) in a range of at most 31 days',
    description:
      'Counts each drive that reached failed or finished in [from, to) once, by the source of that change: the route ' +
      'that told the service first. unresolved: drives no route reported an end for.',
  })
  @ApiOkResponse({ type: SourcesReport })
  @ApiErrors()
  report(@Query() query: SourcesQuery): Promise<SourcesReport> {
    return this.heavy.run(() => this.sources.report(query));
  }
}
