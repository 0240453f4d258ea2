import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER, ApiErrors, BEARER } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import { ZegoClient } from '../zego/zego.client';
import { DriveSourceService } from '../sync/drive-source.service';
import { StatusService } from './status.service';

class DriveTotals {
  @ApiProperty() queued: number;
  @ApiProperty() playing: number;
  @ApiProperty() failed: number;
  @ApiProperty() finished: number;
  @ApiProperty({ description: 'Of the queued and playing drives, those marked unresolved' }) unresolved: number;
}

class DriveSourceView {
  @ApiProperty({ enum: ['poll', 'callbacks'], description: 'Where drive statuses come from now' }) mode: string;
  @ApiProperty({ enum: ['auto', 'poll', 'callbacks'], description: 'DRIVE_STATUS_SOURCE' }) configured: string;
  @ApiProperty({ example: 'auto: GetDriveStatus answers' }) reason: string;
  @ApiProperty({ format: 'date-time' }) since: string;
}

class SyncStatus {
  @ApiProperty({ example: 12, description: 'Tracked tasks not ended' }) trackedTasks: number;
  @ApiProperty({ example: 0.4, description: 'How long the most overdue task has waited for its poll' })
  syncLagSeconds: number;
  @ApiProperty({ description: 'True while upstream calls are paused after repeated failures' }) circuitOpen: boolean;
  @ApiProperty({ type: DriveTotals }) drives: DriveTotals;
  @ApiProperty({ type: DriveSourceView, description: 'As this replica sees it (the lease holder decides)' })
  driveSource: DriveSourceView;
}

/** The sync's state in one small JSON document (the dashboard's header). */
@ApiTags('operations')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
@RequiresScope('read')
@Controller('status')
export class StatusController {
  constructor(
    private readonly state: StatusService,
    private readonly zego: ZegoClient,
    private readonly source: DriveSourceService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Sync state: tracked tasks, sync lag, circuit, drives by status' })
  @ApiOkResponse({ type: SyncStatus })
  @ApiErrors()
  async status(): Promise<SyncStatus> {
    const s = await this.state.snapshot();
    return {
      trackedTasks: s.tracked,
      syncLagSeconds: s.lagSeconds,
      circuitOpen: this.zego.circuitOpen,
      drives: s.drives,
      driveSource: this.source.state,
    };
  }
}
