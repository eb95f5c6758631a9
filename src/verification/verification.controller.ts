import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { MfaChallengeDto } from '#src/mfa/dto/mfa-challenge.dto.js';
import { CodeLoginService } from '#src/verification/code-login.service.js';
import { CodeRequestService } from '#src/verification/code-request.service.js';
import { PasswordResetService } from '#src/verification/password-reset.service.js';
import { CodeLoginDto } from '#src/verification/dto/code-login.dto.js';
import { CodeSentDto } from '#src/verification/dto/code-sent.dto.js';
import { RequestCodeDto } from '#src/verification/dto/request-code.dto.js';
import { ResetPasswordDto } from '#src/verification/dto/reset-password.dto.js';
import { ApiDeviceHeaders } from '#src/common/decorators/api-headers.js';
import { ApiEnvelope, I18nService, Public, ReqContext, type RequestContext } from '#src/platform/index.js';

const LIMITED = 'RATE_LIMITED: a per-destination, per-IP or global code limit; `Retry-After` gives the seconds.';

@ApiTags('verification')
@Controller('auth')
export class VerificationController {
  constructor(
    private readonly codeRequests: CodeRequestService,
    private readonly codeLogin: CodeLoginService,
    private readonly passwordReset: PasswordResetService,
    private readonly i18n: I18nService,
  ) {}

  /** Sends a code to the phone or email when an account holds it; the answer is the same either way. */
  @Public()
  @Post('codes')
  @HttpCode(HttpStatus.OK)
  @ApiTooManyRequestsResponse({ description: LIMITED })
  @ApiEnvelope(CodeSentDto, { errors: [403, 429] })
  request(
    @Body() dto: RequestCodeDto,
    @ReqContext() ctx: RequestContext,
    @Headers('accept-language') language?: string,
  ): Promise<CodeSentDto> {
    return this.codeRequests.request(dto, ctx, this.i18n.localeOf(language));
  }

  /** Logs in with a code sent by SMS; with TOTP on, answers the MFA challenge instead. */
  @Public()
  @Post('login/code')
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope([LoginResponseDto, MfaChallengeDto], { errors: [403, 429] })
  login(@Body() dto: CodeLoginDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    return this.codeLogin.login(dto, ctx);
  }

  /** Sets a new password with a `reset_password` code; every session of the account ends. */
  @Public()
  @Post('password/reset')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(null, { errors: [403, 429, 503] })
  reset(@Body() dto: ResetPasswordDto, @ReqContext() ctx: RequestContext): Promise<null> {
    return this.passwordReset.reset(dto, ctx);
  }
}
