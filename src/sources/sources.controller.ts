import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-docs';
import { HeavyReads } from '../database/heavy-reads';
import { SourcesQuery, SourcesReport } from './sources.dto';
import { SourcesService } from './sources.service';
import { RequiresScope } from '../common/scope.decorator';

@ApiTags('reports')
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
