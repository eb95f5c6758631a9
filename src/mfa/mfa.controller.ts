import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DisableTotpDto } from '#src/mfa/dto/disable-totp.dto.js';
import { EnableTotpDto } from '#src/mfa/dto/enable-totp.dto.js';
import { RecoveryCodesDto } from '#src/mfa/dto/recovery-codes.dto.js';
import { RegenerateRecoveryCodesDto } from '#src/mfa/dto/regenerate-recovery-codes.dto.js';
import { TotpSetupDto } from '#src/mfa/dto/totp-setup.dto.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import {
  ApiEnvelope,
  type AuthUser,
  CurrentUser,
  ReqContext,
  type RequestContext,
  CoreErrors,
} from '#src/platform/index.js';
import { MfaErrors } from '#src/mfa/mfa.errors.js';

const { MFA_INVALID, MFA_ALREADY_ENABLED } = MfaErrors;
const { INVALID_CREDENTIALS, RATE_LIMITED } = CoreErrors;
import { RecoveryCodesRegenerationService } from '#src/mfa/recovery-codes-regeneration.service.js';

/** TOTP enrolment; the login's second step, `/auth/mfa/verify`, is MfaLoginController's. */
@ApiTags('mfa')
@Controller('auth/mfa')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly recoveryCodes: RecoveryCodesRegenerationService,
  ) {}

  /** Starts TOTP enrolment: a new secret and its QR code. 409 `MFA_ALREADY_ENABLED` when TOTP is on. */
  @ApiBearerAuth()
  @Post('totp/setup')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(TotpSetupDto, { errors: [MFA_ALREADY_ENABLED] })
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
  @ApiEnvelope(RecoveryCodesDto, { errors: [INVALID_CREDENTIALS, MFA_INVALID, MFA_ALREADY_ENABLED, RATE_LIMITED] })
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
  @ApiEnvelope(null, { errors: [INVALID_CREDENTIALS, MFA_INVALID, RATE_LIMITED] })
  async disable(
    @CurrentUser() user: AuthUser,
    @Body() dto: DisableTotpDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    await this.mfa.disable(user, dto, ctx);
    return null;
  }

  /**
   * Replaces the recovery codes with 10 new ones, shown only this once; the old ones stop working. Needs the password
   * and a current TOTP code: a wrong password is 401 `INVALID_CREDENTIALS`, a wrong code 401 `MFA_INVALID`, both on
   * the account's MFA budget (429 past it).
   */
  @ApiBearerAuth()
  @Post('recovery-codes')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(RecoveryCodesDto, { errors: [INVALID_CREDENTIALS, MFA_INVALID, RATE_LIMITED] })
  regenerateRecoveryCodes(
    @CurrentUser() user: AuthUser,
    @Body() dto: RegenerateRecoveryCodesDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<RecoveryCodesDto> {
    return this.recoveryCodes.regenerate(user, dto, ctx);
  }
}
