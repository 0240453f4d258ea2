import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  Max,
  Min,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ID_EXAMPLE, TIME_EXAMPLE } from '../common/api-docs';
import { ID_PATTERN, ID_RULE } from '../common/ids';
import { CursorParam, LimitParam } from '../common/paging';
import { SEVERITIES, Severity } from '../webhooks/formats/notification';
import { ALERT_KINDS, AlertKind } from './alert-conditions';

const REPEAT_RULE =
  'repeatIntervalMinutes must be a whole number of minutes from 1 to 10080 (a week), or null for no reminders';

const KIND_RULE = `kind must be one of ${ALERT_KINDS.join(', ')}`;
const NUMBER = (field: string) => ({ message: `${field} must be a number` });

/** The settings a rule may change after it is created (its kind and scope are fixed). */
export class UpdateAlertRuleBody {
  @ApiPropertyOptional({
    description:
      'consecutive_failures: failed drives in a row (1-1000); failure_rate: the failed share of ended drives, above 0 and at most 1',
    example: 3,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, NUMBER('threshold'))
  threshold?: number;

  @ApiPropertyOptional({ description: 'failure_rate: the window, seconds (60 to 604800; default 3600)', example: 3600 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, NUMBER('windowS'))
  windowS?: number;

  @ApiPropertyOptional({
    description: 'failure_rate: ended drives the window must hold before it can fire (1 to 100000; default 10)',
    example: 10,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, NUMBER('minSamples'))
  minSamples?: number;

  @ApiPropertyOptional({
    description:
      'stuck_drive: seconds a drive may stay queued or playing (1 to 604800); sync_lag: seconds of lag (1 to 86400)',
    example: 300,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, NUMBER('thresholdS'))
  thresholdS?: number;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Webhook endpoints to notify (at most 20)' })
  @IsOptional()
  @IsArray({ message: 'webhookIds must be a list of webhook ids' })
  @ArrayMaxSize(20, { message: 'webhookIds may hold at most 20 webhooks' })
  @IsUUID('all', { each: true, message: 'webhookIds must hold webhook ids (UUIDs)' })
  webhookIds?: string[];

  @ApiPropertyOptional({ maxLength: 500, example: 'avatar failing in the lobby room' })
  @IsOptional()
  @IsString({ message: 'description must be text' })
  @MaxLength(500, { message: 'description must be at most 500 characters' })
  description?: string;

  @ApiPropertyOptional({ description: 'false: not evaluated; its firing alerts resolve' })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @ApiPropertyOptional({
    enum: SEVERITIES,
    description:
      'How urgent its alerts are: PagerDuty severity, Alertmanager `severity` label, the wording in Slack and Teams. Default per kind: upstream critical, the others warning',
  })
  @IsOptional()
  @IsIn(SEVERITIES, { message: `severity must be one of ${SEVERITIES.join(', ')}` })
  severity?: Severity;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 10080,
    example: 60,
    description:
      'While an alert of this rule fires, notify its webhooks again every this many minutes (an `alert.firing` event with `reminder`: 1, 2, …). Unset or null: once. Not needed for pagerduty (the incident stays open) nor alertmanager (re-sent every 30 s anyway; Alertmanager repeats by its own repeat_interval)',
  })
  @IsOptional()
  @IsInt({ message: REPEAT_RULE })
  @Min(1, { message: REPEAT_RULE })
  @Max(10080, { message: REPEAT_RULE })
  repeatIntervalMinutes?: number | null;
}

export class CreateAlertRuleBody extends UpdateAlertRuleBody {
  @ApiProperty({ enum: ALERT_KINDS, example: 'consecutive_failures' })
  @IsIn(ALERT_KINDS, { message: KIND_RULE })
  kind: AlertKind;

  @ApiPropertyOptional({
    description: `One task (${ID_RULE}); unset: every task. Not allowed for sync_lag and upstream, which watch the service`,
    pattern: ID_PATTERN.source,
    example: ID_EXAMPLE,
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'slo_burn: the SLO to watch (required for that kind only)' })
  @IsOptional()
  @IsUUID('all', { message: 'sloId must be an SLO id (a UUID)' })
  sloId?: string;
}

export class RuleParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be an alert rule id (a UUID)' })
  id: string;
}

export class SilenceParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a silence id (a UUID)' })
  id: string;
}

export class PageQuery {
  @LimitParam(50)
  limit = 50;

  @CursorParam()
  cursor?: string;
}

export class AlertsQuery {
  @ApiPropertyOptional({ enum: ['firing', 'resolved'], description: 'Unset: both' })
  @IsOptional()
  @IsIn(['firing', 'resolved'], { message: 'state must be firing or resolved' })
  state?: 'firing' | 'resolved';

  @LimitParam(50)
  limit = 50;

  @CursorParam()
  cursor?: string;
}

export class CreateSilenceBody {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this rule; unset: every rule' })
  @IsOptional()
  @IsUUID('all', { message: 'ruleId must be an alert rule id (a UUID)' })
  ruleId?: string;

  @ApiPropertyOptional({ description: 'Only this task; unset: every task', pattern: ID_PATTERN.source })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now', example: TIME_EXAMPLE })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO-8601 time' })
  startsAt?: string;

  @ApiProperty({ format: 'date-time', description: 'After startsAt, at most 90 days ahead', example: TIME_EXAMPLE })
  @IsISO8601({ strict: true }, { message: 'endsAt must be an ISO-8601 time' })
  endsAt: string;

  @ApiProperty({ example: 'ZEGO maintenance, 02:00-04:00', maxLength: 500 })
  @IsString({ message: 'reason must be text' })
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason: string;
}

// ------------------------------------------------------------------ answers

export class AlertRuleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: every task, or the service' }) taskId: string | null;
  @ApiProperty({ nullable: true, type: Number }) threshold: number | null;
  @ApiProperty({ nullable: true, type: Number }) windowS: number | null;
  @ApiProperty({ nullable: true, type: Number }) minSamples: number | null;
  @ApiProperty({ nullable: true, type: Number }) thresholdS: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'slo_burn: the SLO watched' })
  sloId: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) webhookIds: string[];
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: SEVERITIES }) severity: Severity;
  @ApiProperty({ nullable: true, type: Number, description: 'Minutes between reminders; null: none' })
  repeatIntervalMinutes: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AlertRuleList {
  @ApiProperty({ type: [AlertRuleView] }) items: AlertRuleView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AlertView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ruleId: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a service-wide alert' }) taskId: string | null;
  @ApiProperty({ enum: ['firing', 'resolved'] }) state: 'firing' | 'resolved';
  @ApiProperty({ description: 'The value that fired it', example: 3 }) value: number;
  @ApiProperty({ example: 3 }) threshold: number;
  @ApiProperty({ format: 'date-time' }) firedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The value when it resolved (null: its rule was disabled)',
  })
  resolvedValue: number | null;
}

export class AlertPage {
  @ApiProperty({ type: [AlertView] }) items: AlertView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SilenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ruleId: string | null;
  @ApiProperty({ nullable: true, type: String }) taskId: string | null;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SilenceList {
  @ApiProperty({ type: [SilenceView] }) items: SilenceView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
