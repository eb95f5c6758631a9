import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import {
  ApiEnvelope,
  CoreErrors,
  I18nService,
  Public,
  ReqContext,
  type RequestContext,
  LoginResponseDto,
  MfaChallengeDto,
  SWAGGER_USER,
  ApiDeviceHeaders,
} from '#src/platform/index.js';
import { CodeLoginService } from '#src/verification/code-login.service.js';
import { CodeRequestService } from '#src/verification/code-request.service.js';
import { PasswordResetService } from '#src/verification/password-reset.service.js';
import { CodeLoginDto } from '#src/verification/dto/code-login.dto.js';
import { CodeSentDto } from '#src/verification/dto/code-sent.dto.js';
import { RequestCodeDto } from '#src/verification/dto/request-code.dto.js';
import { ResetPasswordDto } from '#src/verification/dto/reset-password.dto.js';
import { VerificationErrors } from '#src/verification/verification.errors.js';

const { phone, email, password } = SWAGGER_USER;
const { CODE_INVALID, CHANNEL_DISABLED } = VerificationErrors;
/** The digits arrive by SMS or email: "Try it out" users replace this with them. */
const CODE = '123456';

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
  // Each example is valid alone (one destination each), for the account Swagger's register example creates.
  @ApiBody({
    type: RequestCodeDto,
    examples: {
      login_phone: { summary: 'Log in by SMS', value: { purpose: 'login', phone } },
      reset_phone: { summary: 'Reset the password by SMS', value: { purpose: 'reset_password', phone } },
      reset_email: { summary: 'Reset the password by email', value: { purpose: 'reset_password', email } },
    },
  })
  // 429 RATE_LIMITED: a per-destination, per-IP or global code limit; `Retry-After` gives the seconds.
  @ApiEnvelope(CodeSentDto, { errors: [CHANNEL_DISABLED, CoreErrors.RATE_LIMITED] })
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
  @ApiBody({
    type: CodeLoginDto,
    examples: { phone: { summary: 'The code sent by SMS', value: { phone, code: CODE } } },
  })
  // SPEC §9: a refused account (disabled, IP not allowed) answers exactly like a wrong code.
  @ApiEnvelope([LoginResponseDto, MfaChallengeDto], {
    errors: [CODE_INVALID, CoreErrors.INVALID_CREDENTIALS, CHANNEL_DISABLED, CoreErrors.RATE_LIMITED],
  })
  login(@Body() dto: CodeLoginDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    return this.codeLogin.login(dto, ctx);
  }

  /** Sets a new password with a `reset_password` code; every session of the account ends. */
  @Public()
  @Post('password/reset')
  @HttpCode(HttpStatus.OK)
  // The new password is the register example's, so the login examples still work after a reset.
  @ApiBody({
    type: ResetPasswordDto,
    examples: {
      phone: { summary: 'With a code sent by SMS', value: { phone, code: CODE, new_password: password } },
      email: { summary: 'With a code sent by email', value: { email, code: CODE, new_password: password } },
    },
  })
  @ApiEnvelope(null, { errors: [CODE_INVALID, CHANNEL_DISABLED, CoreErrors.RATE_LIMITED] })
  reset(@Body() dto: ResetPasswordDto, @ReqContext() ctx: RequestContext): Promise<null> {
    return this.passwordReset.reset(dto, ctx);
  }
}
