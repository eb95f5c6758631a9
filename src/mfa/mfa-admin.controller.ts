import { Controller, HttpCode, HttpStatus, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CoreErrors,
  ApiEnvelope,
  Auth,
  type AuthUser,
  BuiltInRoles,
  CurrentUser,
  ReqContext,
  type RequestContext,
} from '#src/platform/index.js';
import { MfaResetService } from '#src/mfa/mfa-reset.service.js';
// mfa/ sits below auth/, which the barrel re-exports: it imports core directly (see platform/index.ts).

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
