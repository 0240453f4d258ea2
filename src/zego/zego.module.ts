import { HttpModule } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { ZEGO_OPTIONS, ZegoClient, ZegoClientOptions } from './zego.client';

/**
 * The upstream client, registered once (global, like the configuration and the database): every
 * call of every feature must pass through its one rate limiter.
 */
@Module({})
export class ZegoModule {
  static forRoot(options: ZegoClientOptions): DynamicModule {
    return {
      module: ZegoModule,
      global: true,
      imports: [HttpModule],
      providers: [{ provide: ZEGO_OPTIONS, useValue: options }, ZegoClient],
      exports: [ZegoClient],
    };
  }
}
