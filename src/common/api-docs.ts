import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

/** Names of the two API key schemes in the OpenAPI document. */
export const BEARER = 'bearer';
export const API_KEY_HEADER = 'apiKey';

/** The body of every error answer. */
export class ErrorDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'limit must be a whole number from 1 to 500' })
  message: string;
}

/** The error answers every API route can give. */
export function ApiErrors(options: { notFound?: string } = {}) {
  return applyDecorators(
    ApiBadRequestResponse({ type: ErrorDto, description: 'Bad input; the message says what is wrong' }),
    ApiUnauthorizedResponse({ type: ErrorDto, description: 'API keys are set and none (or a wrong one) was sent' }),
    ApiTooManyRequestsResponse({ type: ErrorDto, description: 'Too many requests from this client; see Retry-After' }),
    ApiServiceUnavailableResponse({
      type: ErrorDto,
      description: 'The database is unreachable, or too many reports are running; retry after Retry-After',
    }),
    ...(options.notFound ? [ApiNotFoundResponse({ type: ErrorDto, description: options.notFound })] : []),
  );
}

export const ID_EXAMPLE = 'task_3f9a2c1d7e5b4a60';
export const TIME_EXAMPLE = '2026-11-24T09:30:00.000Z';
