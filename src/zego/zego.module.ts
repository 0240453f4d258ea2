import { HttpModule } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { ZEGO_OPTIONS, ZegoClient, ZegoClientOptions } from './zego.client';

@Module({})
export class ZegoModule {
  static forRoot(options: ZegoClientOptions): DynamicModule {
    return {
      module: ZegoModule,
      imports: [HttpModule],
      providers: [{ provide: ZEGO_OPTIONS, useValue: options }, ZegoClient],
      exports: [ZegoClient],
    };
  }
}
