import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsOptional } from 'class-validator';
import { ID_EXAMPLE, TIME_EXAMPLE } from '../common/api-docs';

/** Messages in one request at most. */
export const MAX_MESSAGES = 100;

const SDK_MESSAGE_EXAMPLE = {
  Product: 'digitalhuman',
  Cmd: 1001,
  Data: { Status: 2, DriveId: 'drive_8a2d783d9d964d94b28d' },
};

/** POST /tasks/:taskId/client-messages: room messages a client in the task's room received. */
export class ClientMessagesBody {
  @ApiProperty({
    description:
      `1-${MAX_MESSAGES} room messages exactly as the Express SDK delivered them, oldest first: each the message ` +
      'object or its JSON text. Product `digitalhuman` Cmd 1001 with Data.Status 2 (started speaking) or 4 ' +
      '(finished) moves the drive on; any other Product, Cmd or Status is acknowledged as ignored.',
    type: 'array',
    items: { oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }] },
    example: [SDK_MESSAGE_EXAMPLE],
  })
  @IsArray({ message: `messages must be an array of 1-${MAX_MESSAGES} room messages` })
  @ArrayMinSize(1, { message: `messages must hold at least one room message` })
  @ArrayMaxSize(MAX_MESSAGES, { message: `messages must hold at most ${MAX_MESSAGES} room messages` })
  messages: unknown[];

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', format: 'date-time', example: TIME_EXAMPLE },
      { type: 'integer', description: 'ms since the epoch', example: 1795512000123 },
    ],
    description:
      'When the client received them (ISO-8601 or ms since the epoch). Believed from 24 hours before to 60 s after ' +
      'arrival, as a callback’s EventTime; otherwise, and by default, the time the request arrived.',
  })
  @IsOptional()
  @Allow()
  receivedAt?: string | number;
}

export class ClientMessageResult {
  @ApiProperty({
    enum: ['recorded', 'duplicate', 'ignored'],
    description:
      'recorded: the drive moved on; duplicate: it already had this status or a later one (repeats, or a terminal status reached another way); ignored: not a drive status',
  })
  outcome: 'recorded' | 'duplicate' | 'ignored';
  @ApiPropertyOptional({ example: 'drive_8a2d783d9d964d94b28d' }) driveId?: string;
  @ApiPropertyOptional({ enum: ['playing', 'finished'], description: 'What the message said' }) status?: string;
  @ApiPropertyOptional({ example: 'Product "im" Cmd 7 is not a drive status', description: 'Why it was ignored' })
  reason?: string;
}

export class ClientMessagesAnswer {
  @ApiProperty({ example: ID_EXAMPLE }) taskId: string;
  @ApiProperty({
    format: 'date-time',
    example: TIME_EXAMPLE,
    description: 'The time recorded for these messages: receivedAt when believed, else the arrival time',
  })
  observedAt: string;
  @ApiProperty({ example: 1 }) recorded: number;
  @ApiProperty({ example: 0 }) duplicate: number;
  @ApiProperty({ example: 0 }) ignored: number;
  @ApiProperty({ type: [ClientMessageResult], description: 'One per message, in the order sent' })
  results: ClientMessageResult[];
}
