import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DisableTotpDto } from '#src/mfa/dto/disable-totp.dto.js';
import { EnableTotpDto } from '#src/mfa/dto/enable-totp.dto.js';
import { RecoveryCodesDto } from '#src/mfa/dto/recovery-codes.dto.js';
import { TotpSetupDto } from '#src/mfa/dto/totp-setup.dto.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';

/** TOTP enrolment; the login's second step, `/auth/mfa/verify`, is AuthController's, which issues the tokens. */
@ApiTags('mfa')
@Controller('auth/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  /** Starts TOTP enrolment: a new secret and its QR code. 409 `MFA_ALREADY_ENABLED` when TOTP is on. */
  @ApiBearerAuth()
  @Post('totp/setup')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(TotpSetupDto, { errors: [409] })
  setup(@CurrentUser() user: AuthUser): Promise<TotpSetupDto> {
    return this.mfa.setup(user);
  }

  /**
   * Turns TOTP on with the password and a first valid code; returns 10 recovery codes, shown only this once. Ends
   * other sessions. A wrong password is 401 `INVALID_CREDENTIALS`, on the same budget as disable.
   */
  @ApiBearerAuth()
  @Post('totp/enable')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(RecoveryCodesDto, { errors: [409, 429] })
  enable(
    @CurrentUser() user: AuthUser,
    @Body() dto: EnableTotpDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<RecoveryCodesDto> {
    return this.mfa.enable(user, dto, ctx);
  }

  /** Turns TOTP off with the password and a TOTP code or a recovery code. Ends other sessions. */
  @ApiBearerAuth()
  @Post('totp/disable')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(null, { errors: [429] })
  async disable(
    @CurrentUser() user: AuthUser,
    @Body() dto: DisableTotpDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    await this.mfa.disable(user, dto, ctx);
    return null;
  }
}
