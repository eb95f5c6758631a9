import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#src/auth/auth-user.js';
import { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';
import { DisableTotpDto } from '#src/mfa/dto/disable-totp.dto.js';
import { EnableTotpDto } from '#src/mfa/dto/enable-totp.dto.js';
import { MfaVerifyDto } from '#src/mfa/dto/mfa-verify.dto.js';
import { RecoveryCodesDto } from '#src/mfa/dto/recovery-codes.dto.js';
import { TotpSetupDto } from '#src/mfa/dto/totp-setup.dto.js';
import { MfaService } from '#src/mfa/mfa.service.js';

@ApiTags('mfa')
@Controller('auth/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  /** Starts TOTP enrolment: a new secret and its QR code. 409 `MFA_ALREADY_ENABLED` when TOTP is on. */
  @ApiBearerAuth()
  @Post('totp/setup')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(TotpSetupDto)
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
  @ApiEnvelope(RecoveryCodesDto)
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
  @ApiEnvelope(null)
  async disable(
    @CurrentUser() user: AuthUser,
    @Body() dto: DisableTotpDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    await this.mfa.disable(user, dto, ctx);
    return null;
  }

  /** Second step of a login with TOTP: `{mfa_token, code}` or `{mfa_token, recovery_code}` → tokens. */
  @Public()
  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(LoginResponseDto)
  verify(@Body() dto: MfaVerifyDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto> {
    return this.mfa.verify(dto, ctx);
  }
}
