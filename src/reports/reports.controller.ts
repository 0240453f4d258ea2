import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { TaskParams } from '../drives/drives.dto';
import { toCsv } from './csv';
import { FailureReportQuery, HistoryQuery, TaskReportQuery } from './reports.dto';
import { ReportsService } from './reports.service';

/** CSV when asked for with `Accept: text/csv` or `?format=csv`; JSON otherwise. */
function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return typeof accept === 'string' && /(^|,)\s*text\/csv/i.test(accept);
}

function sendCsv(reply: FastifyReply, name: string, csv: string): string {
  void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
  return csv;
}

@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('reports/failures')
  async failures(@Query() query: FailureReportQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.failures(query);
    if (!wantsCsv(query.format, accept)) return report;
    return sendCsv(reply, 'failures', toCsv(['start', 'failed', 'finished', 'failureRate'], report.buckets));
  }

  @Get('reports/tasks')
  async tasks(@Query() query: TaskReportQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.tasks(query);
    if (!wantsCsv(query.format, accept)) return report;
    return sendCsv(reply, 'tasks', toCsv(['taskId', 'failed', 'finished', 'failureRate'], report.items));
  }

  @Get('tasks/:taskId/history')
  async history(
    @Param() { taskId }: TaskParams,
    @Query() query: HistoryQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const page = await this.reports.history(taskId, query);
    if (!wantsCsv(query.format, accept)) return page;
    if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
    return sendCsv(reply, `history-${taskId}`, toCsv(['driveId', 'status', 'statusCode', 'previousStatus', 'observedAt', 'source'], page.items));
  }
}
