import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#src/common/auth-user.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';
import { SessionDto } from '#src/sessions/dto/session.dto.js';
import { UserSessionsService } from '#src/sessions/user-sessions.service.js';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('auth')
export class SessionsController {
  constructor(private readonly sessions: UserSessionsService) {}

  /** The caller's active sessions; `current: true` marks the one making this request. */
  @Get('sessions')
  @ApiEnvelope(SessionDto, { isArray: true })
  list(@CurrentUser() user: AuthUser): Promise<SessionDto[]> {
    return this.sessions.list(user);
  }

  /** Ends one of the caller's sessions at once; another user's session answers 404. */
  @Delete('sessions/:id')
  @ApiEnvelope(null, { errors: [CoreErrors.NOT_FOUND] })
  async revoke(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    await this.sessions.revoke(user, id, ctx);
    return null;
  }

  /** Ends every session of the caller, this one included. */
  @Post('logout-all')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(null)
  async logoutAll(@CurrentUser() user: AuthUser, @ReqContext() ctx: RequestContext): Promise<null> {
    await this.sessions.logoutAll(user, ctx);
    return null;
  }
}
