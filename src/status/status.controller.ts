import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-docs';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
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

class DutyView {
  @ApiProperty({ example: 'alert-evaluation' }) name: string;
  @ApiProperty({ enum: ['lease-holder', 'every-replica'] }) runOn: string;
}

class BackgroundDutiesView {
  @ApiProperty({ description: 'True on the one replica of the fleet that runs the background duties now' })
  leaseHolder: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When this replica took the lease' })
  leaseHeldSince: string | null;
  @ApiProperty({ type: [DutyView], description: 'The duties this replica runs when it holds the lease' })
  duties: DutyView[];
}

class SyncStatus {
  @ApiProperty({
    description:
      'SYNC_ENABLED: false means nothing polls or discovers through ZEGO (callbacks, alerts and webhooks still work)',
  })
  syncEnabled: boolean;
  @ApiProperty({ example: 12, description: 'Tracked tasks not ended' }) trackedTasks: number;
  @ApiProperty({ example: 0.4, description: 'How long the most overdue task has waited for its poll' })
  syncLagSeconds: number;
  @ApiProperty({ example: 60, description: 'SYNC_LAG_THRESHOLD_S: a sync_lag alert rule is the way to be told' })
  syncLagThresholdSeconds: number;
  @ApiProperty({ description: 'True while upstream calls are paused after repeated failures' }) circuitOpen: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: "Why ZEGO refuses this service's credentials or account, when its last word was a refusal",
  })
  upstreamCredentialsProblem: string | null;
  @ApiProperty({ type: DriveTotals }) drives: DriveTotals;
  @ApiProperty({ type: DriveSourceView, description: 'As this replica sees it (the lease holder decides)' })
  driveSource: DriveSourceView;
  @ApiProperty({ type: BackgroundDutiesView, description: 'As this replica sees it' })
  backgroundDuties: BackgroundDutiesView;
}

/**
 * The sync's state in one small JSON document (the dashboard's header). The upstream's state and
 * the sync lag live here and in the metrics and alert rules, not in readiness: a ZEGO outage must not
 * take replicas out of rotation (their callback route included).
 */
@ApiTags('operations')
@RequiresScope('read')
@Controller('status')
export class StatusController {
  constructor(
    private readonly state: StatusService,
    private readonly zego: ZegoClient,
    private readonly source: DriveSourceService,
    private readonly duties: BackgroundDuties,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Sync state: tracked tasks, sync lag, upstream circuit and credentials, drives by status, background duties',
  })
  @ApiOkResponse({ type: SyncStatus })
  @ApiErrors()
  async getStatus(): Promise<SyncStatus> {
    const s = await this.state.snapshot();
    return {
      syncEnabled: this.config.SYNC_ENABLED,
      trackedTasks: s.tracked,
      syncLagSeconds: s.lagSeconds,
      syncLagThresholdSeconds: this.config.SYNC_LAG_THRESHOLD_S,
      circuitOpen: this.zego.circuitOpen,
      upstreamCredentialsProblem: this.zego.credentialsProblem,
      drives: s.drives,
      driveSource: this.source.state,
      backgroundDuties: this.duties.view(),
    };
  }
}
