import { Module } from '@nestjs/common';
import { SlosController } from './slos.controller';
import { SlosRepository } from './slos.repository';
import { SlosService } from './slos.service';

/** Service level objectives over drive outcomes; the alerts measure their burn through SlosService. */
@Module({
  controllers: [SlosController],
  providers: [SlosRepository, SlosService],
  exports: [SlosRepository, SlosService],
})
export class SlosModule {}
