import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER, ApiErrors, BEARER } from '../common/api-docs';
import { ZegoClient } from '../zego/zego.client';
import { StatusService } from './status.service';

class DriveTotals {
  @ApiProperty() queued: number;
  @ApiProperty() playing: number;
  @ApiProperty() failed: number;
  @ApiProperty() finished: number;
}

class SyncStatus {
  @ApiProperty({ example: 12, description: 'Tracked tasks not ended' }) trackedTasks: number;
  @ApiProperty({ example: 0.4, description: 'How long the most overdue task has waited for its poll' })
  syncLagSeconds: number;
  @ApiProperty({ description: 'True while upstream calls are paused after repeated failures' }) circuitOpen: boolean;
  @ApiProperty({ type: DriveTotals }) drives: DriveTotals;
}

/** The sync's state in one small JSON document (the dashboard's header). */
@ApiTags('operations')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
@Controller('status')
export class StatusController {
  constructor(
    private readonly state: StatusService,
    private readonly zego: ZegoClient,
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
    };
  }
}
