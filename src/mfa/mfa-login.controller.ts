import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiDeviceHeaders,
  ApiEnvelope,
  CoreErrors,
  LoginResponseDto,
  Public,
  ReqContext,
  type RequestContext,
} from '#src/platform/index.js';
import { MfaVerifyDto } from '#src/mfa/dto/mfa-verify.dto.js';
import { MfaErrors } from '#src/mfa/mfa.errors.js';
import { MfaLoginService } from '#src/mfa/mfa-login.service.js';

const { RATE_LIMITED, IP_NOT_ALLOWED, TOKEN_INVALID, TOKEN_EXPIRED } = CoreErrors;

/** The login's second step; the first (`/auth/login` and every other login method) answers its challenge. */
@ApiTags('auth')
@Controller('auth')
export class MfaLoginController {
  constructor(private readonly login: MfaLoginService) {}

  /** Second step of a login with TOTP: `{mfa_token, code}` or `{mfa_token, recovery_code}` → tokens. */
  @ApiTags('mfa')
  @Public()
  @Post('mfa/verify')
  // The id it had when AuthController served it, so the generated client types keep their name.
  @ApiOperation({ operationId: 'AuthController_verifyMfa' })
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiBody({
    type: MfaVerifyDto,
    examples: {
      code: {
        summary: 'With the authenticator code',
        value: { mfa_token: '<the mfa_token from login>', code: '123456' },
      },
      recovery_code: {
        summary: 'With a recovery code',
        value: { mfa_token: '<the mfa_token from login>', recovery_code: 'ABCD-EFGH-IJKL-MNOP' },
      },
    },
  })
  // 403 IP_NOT_ALLOWED when the account's role may not log in from here; 429 on the TOTP attempt budget.
  @ApiEnvelope(LoginResponseDto, {
    errors: [
      TOKEN_INVALID,
      TOKEN_EXPIRED,
      MfaErrors.MFA_INVALID,
      // A password changed while the challenge was open refuses the session like a wrong password (SPEC §6).
      CoreErrors.INVALID_CREDENTIALS,
      IP_NOT_ALLOWED,
      RATE_LIMITED,
    ],
  })
  verifyMfa(@Body() dto: MfaVerifyDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto> {
    return this.login.verify(dto, ctx);
  }
}
