import { ApiProperty } from '@nestjs/swagger';
import { SCOPES } from '../config/api-keys';

export class WhoAmIView {
  @ApiProperty({
    enum: SCOPES,
    example: 'read',
    description: 'What the key may do; admin when the service runs without keys (API_OPEN or demo mode)',
  })
  scope: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '3f9a2c1d',
    description: 'First 8 hex digits of the key’s SHA-256, as the logs name it; null without keys',
  })
  fingerprint: string | null;

  @ApiProperty({ description: 'Whether this service asks for API keys at all' })
  keysRequired: boolean;
}
