import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { API_KEY_HEADER, ApiErrors, BEARER, ErrorDto } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import {
  CreateSloBody,
  SloHistory,
  SloHistoryQuery,
  SloList,
  SloPageQuery,
  SloParams,
  SloStatusView,
  SloView,
} from './slos.dto';
import { SlosService } from './slos.service';

/** Service level objectives over drive outcomes: SLI, error budget, burn rates and their history. */
@ApiTags('slos')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
@RequiresScope('read')
@Controller('slos')
export class SlosController {
  constructor(private readonly slos: SlosService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Add an SLO',
    description: 'Good drives finished; bad ones failed or were left unresolved. 409 past SLOS_MAX SLOs (default 200).',
  })
  @ApiCreatedResponse({ type: SloView })
  @ApiConflictResponse({ type: ErrorDto, description: 'SLOS_MAX SLOs exist already' })
  @ApiErrors()
  createSlo(@Body() body: CreateSloBody): Promise<SloView> {
    return this.slos.createSlo(body);
  }

  @Get()
  @ApiOperation({ summary: 'List SLOs, oldest first' })
  @ApiOkResponse({ type: SloList })
  @ApiErrors()
  listSlos(@Query() { limit, cursor }: SloPageQuery): Promise<SloList> {
    return this.slos.listSlos(limit, cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An SLO with its SLI, error budget and burn rates now' })
  @ApiOkResponse({ type: SloStatusView })
  @ApiErrors({ notFound: 'No such SLO' })
  getSlo(@Param() { id }: SloParams): Promise<SloStatusView> {
    return this.slos.getSlo(id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Error budget left at the end of each day (or hour)' })
  @ApiOkResponse({ type: SloHistory })
  @ApiErrors({ notFound: 'No such SLO' })
  getSloHistory(@Param() { id }: SloParams, @Query() { interval }: SloHistoryQuery): Promise<SloHistory> {
    return this.slos.getSloHistory(id, interval);
  }

  @Delete(':id')
  @RequiresScope('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an SLO', description: '409 naming the alert rules that still watch it.' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiConflictResponse({ type: ErrorDto, description: 'slo_burn alert rules watch it; delete them first' })
  @ApiErrors({ notFound: 'No such SLO' })
  async deleteSlo(@Param() { id }: SloParams): Promise<void> {
    await this.slos.deleteSlo(id);
  }
}
