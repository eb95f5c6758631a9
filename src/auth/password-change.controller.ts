import { Body, Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#src/common/auth-user.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';
import { ChangePasswordDto } from '#src/users/dto/change-password.dto.js';
import { PasswordChangeService } from '#src/auth/password-change.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class PasswordChangeController {
  constructor(private readonly passwords: PasswordChangeService) {}

  /**
   * Changes the caller's password and ends every other session. A wrong
   * `current_password` answers 401 INVALID_CREDENTIALS and counts as a failed login.
   */
  @Put('me/password')
  // 429 RATE_LIMITED after repeated wrong passwords; `Retry-After` says when.
  @ApiEnvelope(null, { errors: [CoreErrors.INVALID_CREDENTIALS, CoreErrors.RATE_LIMITED] })
  async change(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    await this.passwords.change(user, dto, ctx);
    return null;
  }
}
