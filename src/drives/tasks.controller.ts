import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import {
  DriveDetail,
  DrivePage,
  DriveParams,
  DrivesQuery,
  DriveView,
  PageQuery,
  RegisterDriveBody,
  TaskPage,
  TaskParams,
  TaskView,
} from './drives.dto';
import { DrivesService } from './drives.service';
import { HeavyReads } from '../database/heavy-reads';

/** Tracked tasks, their drives with history, and failure counts over time. */
@ApiTags('tasks')
@RequiresScope('read')
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly drives: DrivesService,
    private readonly heavy: HeavyReads,
  ) {}

  @Put(':taskId')
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Start tracking a task',
    description: '201 when tracking starts (new, or previously untracked), 200 when already tracked.',
  })
  @ApiCreatedResponse({ type: TaskView, description: 'Tracking started' })
  @ApiOkResponse({ type: TaskView, description: 'Already tracked' })
  @ApiErrors()
  async trackTask(@Param() { taskId }: TaskParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<TaskView> {
    const { task, created } = await this.drives.track(taskId);
    reply.status(created ? 201 : 200);
    return task;
  }

  @Get()
  @ApiOperation({ summary: 'List tasks in task id order' })
  @ApiOkResponse({ type: TaskPage })
  @ApiErrors()
  listTasks(@Query() { limit, cursor }: PageQuery): Promise<TaskPage> {
    return this.drives.listTasks(limit, cursor);
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'One task with its counts' })
  @ApiOkResponse({ type: TaskView })
  @ApiErrors({ notFound: 'The task is not tracked' })
  getTask(@Param() { taskId }: TaskParams): Promise<TaskView> {
    return this.drives.getTask(taskId);
  }

  @Delete(':taskId')
  @RequiresScope('write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop tracking a task; all its data is kept' })
  @ApiNoContentResponse({ description: 'No longer polled' })
  @ApiErrors({ notFound: 'The task is not tracked' })
  async untrackTask(@Param() { taskId }: TaskParams): Promise<void> {
    await this.drives.untrack(taskId);
  }

  @Get(':taskId/drives')
  @ApiOperation({ summary: 'Drives of a task, in the order first seen, with counts and failure rate' })
  @ApiOkResponse({ type: DrivePage })
  @ApiErrors({ notFound: 'The task is not tracked' })
  listDrives(@Param() { taskId }: TaskParams, @Query() { status, limit, cursor }: DrivesQuery): Promise<DrivePage> {
    return this.drives.listDrives(taskId, status, limit, cursor);
  }

  @Post(':taskId/drives')
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Register a drive the moment ZEGO gave its DriveId (for the service that asks ZEGO to speak)',
    description:
      'Recorded as queued (history source producer), the task tracked if it was not; callbacks and polls move it on. ' +
      '201 the first time, 200 after (a drive already further along keeps its status); type, requestId and ' +
      'submittedAt are kept on the drive (what was set first stays).',
  })
  @ApiCreatedResponse({ type: DriveView, description: 'Registered' })
  @ApiOkResponse({ type: DriveView, description: 'Already known' })
  @ApiErrors()
  async registerDrive(
    @Param() { taskId }: TaskParams,
    @Body() body: RegisterDriveBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DriveView> {
    const { drive, created } = await this.drives.registerDrive(taskId, body);
    reply.status(created ? 201 : 200);
    return drive;
  }

  @Get(':taskId/drives/:driveId')
  @ApiOperation({ summary: 'One drive with its full status history, oldest first' })
  @ApiOkResponse({ type: DriveDetail })
  @ApiErrors({ notFound: 'The task or the drive is not known' })
  getDrive(@Param() { taskId, driveId }: DriveParams): Promise<DriveDetail> {
    return this.drives.getDrive(taskId, driveId);
  }
}
