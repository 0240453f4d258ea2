import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';

/** The caller's own access (the API key guard itself is global, in the application shell). */
@Module({ controllers: [AuthController] })
export class AuthModule {}
