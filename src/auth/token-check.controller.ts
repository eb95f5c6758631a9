import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#src/common/auth-user.js';
import { TokenCheckDto } from '#src/auth/dto/token-check.dto.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class TokenCheckController {
  /**
   * Is my access token still valid? Answers from the token and the in-memory
   * revocation set, with no database read: 401 TOKEN_EXPIRED, TOKEN_REVOKED or
   * TOKEN_INVALID otherwise. Cheap enough for clients to call before a long task.
   */
  @Get('check')
  @ApiEnvelope(TokenCheckDto)
  check(@CurrentUser() user: AuthUser): TokenCheckDto {
    return { user_id: user.userId, session_id: user.sessionId };
  }
}
