import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ErrorDto } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import {
  AlertPage,
  AlertRuleList,
  AlertRuleView,
  AlertsQuery,
  CreateAlertRuleBody,
  CreateSilenceBody,
  PageQuery,
  RuleParams,
  SilenceList,
  SilenceParams,
  SilenceView,
  UpdateAlertRuleBody,
} from './alerts.dto';
import { AlertsService } from './alerts.service';

/** What to watch: a kind, a threshold, a scope (one task or all), and where to send events. */
@ApiTags('alerts')
@RequiresScope('read')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly alerts: AlertsService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({ summary: 'Add an alert rule', description: '409 past ALERT_RULES_MAX rules (default 500).' })
  @ApiCreatedResponse({ type: AlertRuleView })
  @ApiConflictResponse({ type: ErrorDto, description: 'ALERT_RULES_MAX rules exist already' })
  @ApiErrors()
  createAlertRule(@Body() body: CreateAlertRuleBody): Promise<AlertRuleView> {
    return this.alerts.createRule(body);
  }

  @Get()
  @ApiOperation({ summary: 'List alert rules, oldest first' })
  @ApiOkResponse({ type: AlertRuleList })
  @ApiErrors()
  listAlertRules(@Query() { limit, cursor }: PageQuery): Promise<AlertRuleList> {
    return this.alerts.listRules(limit, cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert rule' })
  @ApiOkResponse({ type: AlertRuleView })
  @ApiErrors({ notFound: 'No such rule' })
  getAlertRule(@Param() { id }: RuleParams): Promise<AlertRuleView> {
    return this.alerts.getRule(id);
  }

  @Patch(':id')
  @RequiresScope('admin')
  @ApiOperation({ summary: 'Change a rule’s settings, webhooks or enabled state (not its kind or scope)' })
  @ApiOkResponse({ type: AlertRuleView })
  @ApiErrors({ notFound: 'No such rule' })
  updateAlertRule(@Param() { id }: RuleParams, @Body() body: UpdateAlertRuleBody): Promise<AlertRuleView> {
    return this.alerts.updateRule(id, body);
  }

  @Delete(':id')
  @RequiresScope('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a rule and its alerts (no resolved event is sent)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors({ notFound: 'No such rule' })
  async deleteAlertRule(@Param() { id }: RuleParams): Promise<void> {
    await this.alerts.deleteRule(id);
  }
}

/** Alert instances: one per rule and task (or the service) from firing to resolved. */
@ApiTags('alerts')
@RequiresScope('read')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'Alerts, newest first' })
  @ApiOkResponse({ type: AlertPage })
  @ApiErrors()
  listAlerts(@Query() { state, limit, cursor }: AlertsQuery): Promise<AlertPage> {
    return this.alerts.listAlerts(state, limit, cursor);
  }
}

/** Maintenance windows: matching alerts are still recorded, their events not delivered. */
@ApiTags('alerts')
@RequiresScope('read')
@Controller('silences')
export class SilencesController {
  constructor(private readonly alerts: AlertsService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Add a silence',
    description: '409 past SILENCES_MAX silences not yet over (default 200).',
  })
  @ApiCreatedResponse({ type: SilenceView })
  @ApiConflictResponse({ type: ErrorDto, description: 'SILENCES_MAX silences are active or scheduled already' })
  @ApiErrors()
  createSilence(@Body() body: CreateSilenceBody): Promise<SilenceView> {
    return this.alerts.createSilence(body);
  }

  @Get()
  @ApiOperation({ summary: 'Silences not yet over, soonest end first' })
  @ApiOkResponse({ type: SilenceList })
  @ApiErrors()
  listSilences(@Query() { limit, cursor }: PageQuery): Promise<SilenceList> {
    return this.alerts.listSilences(limit, cursor);
  }

  @Delete(':id')
  @RequiresScope('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a silence now' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors({ notFound: 'No such silence' })
  async deleteSilence(@Param() { id }: SilenceParams): Promise<void> {
    await this.alerts.deleteSilence(id);
  }
}
