import { Controller, HttpCode, HttpStatus, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CoreErrors } from '#src/common/error-code.js';
import { MfaResetService } from '#src/mfa/mfa-reset.service.js';
// mfa/ sits below auth/, which the barrel re-exports: it imports core directly (see platform/index.ts).
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { Auth } from '#src/common/decorators/roles.decorator.js';
import { type AuthUser } from '#src/common/auth-user.js';
import { BuiltInRoles } from '#src/common/role-registry.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';

/** The admin side of TOTP: mfa/ owns the secret and the recovery codes, so it owns their reset too. */
@ApiTags('admin')
@Auth(BuiltInRoles.admin)
@Controller('admin/users')
export class MfaAdminController {
  constructor(private readonly mfaReset: MfaResetService) {}

  /** Removes a user's TOTP and recovery codes; their next login asks for the password alone. Audited. */
  @Post(':id/mfa/reset')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(null, { errors: [CoreErrors.FORBIDDEN, CoreErrors.NOT_FOUND] })
  reset(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    return this.mfaReset.reset(admin, id, ctx);
  }
}
