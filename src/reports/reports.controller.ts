import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import type { FastifyReply } from 'fastify';
import { TaskParams } from '../drives/drives.dto';
import { toCsv } from './csv';
import {
  DurationReport,
  DurationReportQuery,
  FailureReport,
  FailureReportQuery,
  HistoryQuery,
  TaskHistoryPage,
  TaskFailuresQuery,
  TaskReport,
  TaskReportQuery,
} from './reports.dto';
import { ReportsService } from './reports.service';
import { HeavyReads } from '../database/heavy-reads';

/** CSV when asked for with `Accept: text/csv` or `?format=csv`; JSON otherwise. */
function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return typeof accept === 'string' && /(^|,)\s*text\/csv/i.test(accept);
}

function sendCsv(reply: FastifyReply, name: string, csv: string): string {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`);
  return csv;
}

@ApiTags('reports')
@ApiProduces('application/json', 'text/csv')
@RequiresScope('read')
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly heavy: HeavyReads,
  ) {}

  @Get('reports/failures')
  @ApiOperation({
    summary: 'Failed and finished drives per hour, day or week, across tasks or for one; empty buckets included',
  })
  @ApiOkResponse({
    type: FailureReport,
    description: 'JSON, or CSV (start,failed,finished,failureRate,unresolved) when asked for',
  })
  @ApiErrors({ notFound: 'taskId names a task that is not tracked' })
  async getFailureReport(
    @Query() query: FailureReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FailureReport | string> {
    const report = await this.heavy.run(() => this.reports.failures(query));
    if (!wantsCsv(query.format, accept)) return report;
    return sendCsv(
      reply,
      'failures',
      toCsv(['start', 'failed', 'finished', 'failureRate', 'unresolved'], report.buckets),
    );
  }

  @Get('tasks/:taskId/failures')
  @ApiTags('tasks')
  @ApiOperation({
    summary:
      'Failed and finished drives of one task per minute, 5 minutes, hour, day or week, empty buckets included: GET /reports/failures?taskId= by its path',
  })
  @ApiOkResponse({
    type: FailureReport,
    description: 'JSON, or CSV (start,failed,finished,failureRate,unresolved) when asked for',
  })
  @ApiErrors({ notFound: 'The task is not tracked' })
  async getTaskFailures(
    @Param() { taskId }: TaskParams,
    @Query() query: TaskFailuresQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FailureReport | string> {
    return this.getFailureReport({ ...query, taskId }, accept, reply);
  }

  @Get('reports/durations')
  @ApiOperation({
    summary:
      'Percentiles (p50, p90, p95, p99, max) of queue wait or play time per hour, day or week, across tasks or for one; empty buckets included',
  })
  @ApiOkResponse({
    type: DurationReport,
    description: 'JSON, or CSV (start,count,p50,p90,p95,p99,max; ms, empty where no drive) when asked for',
  })
  @ApiErrors({ notFound: 'taskId names a task that is not tracked' })
  async getDurationReport(
    @Query() query: DurationReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DurationReport | string> {
    const report = await this.heavy.run(() => this.reports.durations(query));
    if (!wantsCsv(query.format, accept)) return report;
    return sendCsv(
      reply,
      `durations-${report.metric}`,
      toCsv(['start', 'count', 'p50', 'p90', 'p95', 'p99', 'max'], report.buckets),
    );
  }

  @Get('reports/tasks')
  @ApiOperation({
    summary: 'The tasks with the most failures, highest failure rate or longest p95 play / queue time in a range',
  })
  @ApiOkResponse({
    type: TaskReport,
    description: 'JSON, or CSV (taskId,failed,finished,failureRate,p95PlayMs,p95QueueWaitMs) when asked for',
  })
  @ApiErrors()
  async getTaskReport(
    @Query() query: TaskReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskReport | string> {
    const report = await this.heavy.run(() => this.reports.tasks(query));
    if (!wantsCsv(query.format, accept)) return report;
    return sendCsv(
      reply,
      'tasks',
      toCsv(['taskId', 'failed', 'finished', 'failureRate', 'p95PlayMs', 'p95QueueWaitMs'], report.items),
    );
  }

  @Get('tasks/:taskId/history')
  @ApiTags('tasks')
  @ApiOperation({ summary: 'Every status change of every drive of a task, oldest first' })
  @ApiOkResponse({
    type: TaskHistoryPage,
    description: 'JSON, or CSV when asked for (the next cursor then comes in X-Next-Cursor)',
  })
  @ApiErrors({ notFound: 'The task is not tracked' })
  async getTaskHistory(
    @Param() { taskId }: TaskParams,
    @Query() query: HistoryQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskHistoryPage | string> {
    const page = await this.heavy.run(() => this.reports.history(taskId, query));
    if (!wantsCsv(query.format, accept)) return page;
    if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
    return sendCsv(
      reply,
      `history-${taskId}`,
      toCsv(['driveId', 'status', 'statusCode', 'previousStatus', 'observedAt', 'source'], page.items),
    );
  }
}
