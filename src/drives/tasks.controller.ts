import { Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DriveParams, DrivesQuery, FailuresQuery, PageQuery, TaskParams } from './drives.dto';
import { DrivesService } from './drives.service';

/** Tracked tasks, their drives with history, and failure counts over time. */
@Controller('tasks')
export class TasksController {
  constructor(private readonly drives: DrivesService) {}

  @Put(':taskId')
  async track(@Param() { taskId }: TaskParams, @Res({ passthrough: true }) reply: FastifyReply) {
    const { task, created } = await this.drives.track(taskId);
    reply.status(created ? 201 : 200);
    return task;
  }

  @Get()
  list(@Query() { limit, cursor }: PageQuery) {
    return this.drives.listTasks(limit, cursor);
  }

  @Get(':taskId')
  get(@Param() { taskId }: TaskParams) {
    return this.drives.getTask(taskId);
  }

  @Delete(':taskId')
  @HttpCode(204)
  async untrack(@Param() { taskId }: TaskParams) {
    await this.drives.untrack(taskId);
  }

  @Get(':taskId/drives')
  listDrives(@Param() { taskId }: TaskParams, @Query() { status, limit, cursor }: DrivesQuery) {
    return this.drives.listDrives(taskId, status, limit, cursor);
  }

  @Get(':taskId/drives/:driveId')
  getDrive(@Param() { taskId, driveId }: DriveParams) {
    return this.drives.getDrive(taskId, driveId);
  }

  @Get(':taskId/failures')
  failures(@Param() { taskId }: TaskParams, @Query() query: FailuresQuery) {
    return this.drives.failures(taskId, query);
  }
}
