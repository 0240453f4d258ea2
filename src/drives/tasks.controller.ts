import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
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

/** How the conditional reads are documented: the ETag given, If-None-Match taken, 304 answered. */
const ETAG_HEADER = {
  ETag: {
    description: 'The answer’s version: send it back as If-None-Match to be told 304 while it is unchanged',
    schema: { type: 'string', example: '"Qm9vdHN0cmFw"' },
  },
};
const IfNoneMatch = () =>
  ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of an answer already held: 304 (no body) when it is still the current one',
  });
const NotModified = () =>
  ApiResponse({
    status: 304,
    description: 'Unchanged since the ETag sent in If-None-Match (no body)',
    headers: ETAG_HEADER,
  });

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
  @IfNoneMatch()
  @ApiOkResponse({ type: TaskView, headers: ETAG_HEADER })
  @NotModified()
  @ApiErrors({ notFound: 'The task is not tracked' })
  async getTask(
    @Param() { taskId }: TaskParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskView | undefined> {
    const { etag, task } = await this.drives.getTaskIfChanged(taskId, ifNoneMatch);
    void reply.header('etag', etag);
    if (!task) return void reply.status(304);
    return task;
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
  @IfNoneMatch()
  @ApiOkResponse({ type: DrivePage, headers: ETAG_HEADER })
  @NotModified()
  @ApiErrors({ notFound: 'The task is not tracked' })
  async listDrives(
    @Param() { taskId }: TaskParams,
    @Query() { status, limit, cursor }: DrivesQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    // The hot read: its answer is JSON already (rendered for its shape, or kept from before: page-cache.ts).
    const { etag, body } = await this.drives.drivePage(taskId, status, limit, cursor, ifNoneMatch);
    void reply.header('etag', etag);
    if (!body) return void reply.status(304);
    void reply.header('content-type', 'application/json; charset=utf-8');
    return body;
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
