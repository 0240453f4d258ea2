import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../common/public.decorator';
import { DrivesRepository } from '../drives/drives.repository';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly repository: DrivesRepository) {}

  /** The process is up. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** The service can do its work: the database answers. */
  @Get('ready')
  async ready() {
    try {
      await this.repository.ping();
    } catch {
      throw new ServiceUnavailableException('not ready: database is unreachable');
    }
    return { status: 'ok', checks: { database: 'up' } };
  }
}
