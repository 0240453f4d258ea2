import { Module } from '@nestjs/common';
import { DrivesModule } from '../drives/drives.module';
import { ClientRelayController } from './client-relay.controller';
import { ClientRelayService } from './client-relay.service';

/** Room messages relayed from the app's clients: ZEGO's recommended route for drive statuses. */
@Module({ imports: [DrivesModule], controllers: [ClientRelayController], providers: [ClientRelayService] })
export class ClientRelayModule {}
