import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ApiEnvelope,
  CoreErrors,
  I18nService,
  type AuthUser,
  CurrentUser,
  ReqContext,
  type RequestContext,
  UserProfileDto,
  AuthErrors,
} from '#src/platform/index.js';
import { ContactVerificationService } from '#src/verification/contact-verification.service.js';
import { CodeSentDto } from '#src/verification/dto/code-sent.dto.js';
import { ContactEmailDto, ContactPhoneDto, VerifyEmailDto, VerifyPhoneDto } from '#src/verification/dto/contact.dto.js';
import { VerificationErrors } from '#src/verification/verification.errors.js';

const { CODE_INVALID, CHANNEL_DISABLED } = VerificationErrors;
const { PHONE_TAKEN, EMAIL_TAKEN, RATE_LIMITED, INVALID_CREDENTIALS } = CoreErrors;
const { REAUTH_REQUIRED } = AuthErrors;

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class ContactController {
  constructor(
    private readonly contacts: ContactVerificationService,
    private readonly i18n: I18nService,
  ) {}

  /**
   * Sends a code to prove a phone number; 409 PHONE_TAKEN when another account holds it verified. Needs the
   * password again (401 INVALID_CREDENTIALS when wrong, counted like a failed login), or, for an account without
   * one, a session opened less than REAUTH_WINDOW ago (else 401 REAUTH_REQUIRED).
   */
  @Post('phone')
  @HttpCode(HttpStatus.OK)
  // 429 RATE_LIMITED: a per-destination, per-IP or global code limit; `Retry-After` gives the seconds.
  @ApiEnvelope(CodeSentDto, {
    errors: [CHANNEL_DISABLED, PHONE_TAKEN, RATE_LIMITED, INVALID_CREDENTIALS, REAUTH_REQUIRED],
  })
  sendPhone(
    @CurrentUser() user: AuthUser,
    @Body() dto: ContactPhoneDto,
    @ReqContext() ctx: RequestContext,
    @Headers('accept-language') language?: string,
  ): Promise<CodeSentDto> {
    return this.contacts.send(user, { phone: dto.phone, password: dto.password }, ctx, this.i18n.localeOf(language));
  }

  /** Sends a code to prove an email address; 409 EMAIL_TAKEN when another account holds it verified. As `phone`. */
  @Post('email')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(CodeSentDto, {
    errors: [CHANNEL_DISABLED, EMAIL_TAKEN, RATE_LIMITED, INVALID_CREDENTIALS, REAUTH_REQUIRED],
  })
  sendEmail(
    @CurrentUser() user: AuthUser,
    @Body() dto: ContactEmailDto,
    @ReqContext() ctx: RequestContext,
    @Headers('accept-language') language?: string,
  ): Promise<CodeSentDto> {
    return this.contacts.send(user, { email: dto.email, password: dto.password }, ctx, this.i18n.localeOf(language));
  }

  /** Sets the phone on the account, verified; ends the other sessions and tells the verified phone it replaced. */
  @Post('phone/verify')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(UserProfileDto, { errors: [CODE_INVALID, PHONE_TAKEN, RATE_LIMITED] })
  verifyPhone(
    @CurrentUser() user: AuthUser,
    @Body() dto: VerifyPhoneDto,
    @ReqContext() ctx: RequestContext,
    @Headers('accept-language') language?: string,
  ): Promise<UserProfileDto> {
    const locale = this.i18n.localeOf(language);
    return this.contacts.verify(user, { phone: dto.phone, code: dto.code }, ctx, locale);
  }

  /** Sets the email on the account, verified; ends the other sessions and tells the verified email it replaced. */
  @Post('email/verify')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(UserProfileDto, { errors: [CODE_INVALID, EMAIL_TAKEN, RATE_LIMITED] })
  verifyEmail(
    @CurrentUser() user: AuthUser,
    @Body() dto: VerifyEmailDto,
    @ReqContext() ctx: RequestContext,
    @Headers('accept-language') language?: string,
  ): Promise<UserProfileDto> {
    const locale = this.i18n.localeOf(language);
    return this.contacts.verify(user, { email: dto.email, code: dto.code }, ctx, locale);
  }
}
