import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import { TaskParams } from '../drives/drives.dto';
import { ClientMessagesAnswer, ClientMessagesBody } from './client-relay.dto';
import { ClientRelayService } from './client-relay.service';

/** Drive statuses the app's clients saw in the room, relayed by the app's backend. */
@ApiTags('tasks')
@Controller('tasks')
export class ClientRelayController {
  constructor(private readonly relay: ClientRelayService) {}

  @Post(':taskId/client-messages')
  @RequiresScope('write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Relay room messages (Cmd 1001 drive statuses) that a client in the task’s room received',
    description:
      'For the app’s backend, never a browser (it would need an API key). Recorded with history source client by ' +
      'the same rules as callbacks and polls: a status only moves forward (a finished after a failed changes ' +
      'nothing), repeats are duplicates, timings fill in; the task is tracked if it was not. All messages are ' +
      'checked first: one malformed message refuses the request (400 naming it) and nothing is written.',
  })
  @ApiOkResponse({ type: ClientMessagesAnswer })
  @ApiErrors()
  relayMessages(@Param() { taskId }: TaskParams, @Body() body: ClientMessagesBody): Promise<ClientMessagesAnswer> {
    return this.relay.relay(taskId, body);
  }
}
