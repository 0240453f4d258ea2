import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-docs';
import { MATCHED_KEY, WithMatchedKey } from '../common/api-keys';
import { RequiresScope } from '../common/scope.decorator';
import { WhoAmIView } from './auth.dto';

/** What the caller's key may do: the dashboard shows only the controls the key can use. */
@ApiTags('auth')
@RequiresScope('read')
@Controller('auth')
export class AuthController {
  @Get('whoami')
  @ApiOperation({ summary: 'The scope and fingerprint of the key this request was sent with' })
  @ApiOkResponse({ type: WhoAmIView })
  @ApiErrors()
  whoAmI(@Req() request: FastifyRequest): WhoAmIView {
    // The guard leaves the matched key on the request; none means the service asks for no key.
    const key = (request.raw as WithMatchedKey)[MATCHED_KEY];
    return key
      ? { scope: key.scope, fingerprint: key.fingerprint, keysRequired: true }
      : { scope: 'admin', fingerprint: null, keysRequired: false };
  }
}
