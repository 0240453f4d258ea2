import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_KEY_HEADER, ApiErrors, BEARER } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import {
  DriveDetail,
  DrivePage,
  DriveParams,
  DrivesQuery,
  DriveView,
  FailuresQuery,
  PageQuery,
  RegisterDriveBody,
  TaskFailures,
  TaskPage,
  TaskParams,
  TaskView,
} from './drives.dto';
import { DrivesService } from './drives.service';
import { HeavyReads } from '../database/heavy-reads';

/** Tracked tasks, their drives with history, and failure counts over time. */
@ApiTags('tasks')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
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
  async track(@Param() { taskId }: TaskParams, @Res({ passthrough: true }) reply: FastifyReply) {
    const { task, created } = await this.drives.track(taskId);
    reply.status(created ? 201 : 200);
    return task;
  }

  @Get()
  @ApiOperation({ summary: 'List tasks in task id order' })
  @ApiOkResponse({ type: TaskPage })
  @ApiErrors()
  list(@Query() { limit, cursor }: PageQuery) {
    return this.drives.listTasks(limit, cursor);
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'One task with its counts' })
  @ApiOkResponse({ type: TaskView })
  @ApiErrors({ notFound: 'The task is not tracked' })
  get(@Param() { taskId }: TaskParams) {
    return this.drives.getTask(taskId);
  }

  @Delete(':taskId')
  @RequiresScope('write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop tracking a task; all its data is kept' })
  @ApiNoContentResponse({ description: 'No longer polled' })
  @ApiErrors({ notFound: 'The task is not tracked' })
  async untrack(@Param() { taskId }: TaskParams) {
    await this.drives.untrack(taskId);
  }

  @Get(':taskId/drives')
  @ApiOperation({ summary: 'Drives of a task, in the order first seen, with counts and failure rate' })
  @ApiOkResponse({ type: DrivePage })
  @ApiErrors({ notFound: 'The task is not tracked' })
  listDrives(@Param() { taskId }: TaskParams, @Query() { status, limit, cursor }: DrivesQuery) {
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
  ) {
    const { drive, created } = await this.drives.registerDrive(taskId, body);
    reply.status(created ? 201 : 200);
    return drive;
  }

  @Get(':taskId/drives/:driveId')
  @ApiOperation({ summary: 'One drive with its full status history, oldest first' })
  @ApiOkResponse({ type: DriveDetail })
  @ApiErrors({ notFound: 'The task or the drive is not known' })
  getDrive(@Param() { taskId, driveId }: DriveParams) {
    return this.drives.getDrive(taskId, driveId);
  }

  @Get(':taskId/failures')
  @ApiOperation({
    summary: 'Drives of a task that reached failed / finished, per hour or day (empty buckets included)',
  })
  @ApiOkResponse({ type: TaskFailures })
  @ApiErrors({ notFound: 'The task is not tracked' })
  failures(@Param() { taskId }: TaskParams, @Query() query: FailuresQuery) {
    return this.heavy.run(() => this.drives.failures(taskId, query));
  }
}
