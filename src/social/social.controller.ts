import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiEnvelope,
  CoreErrors,
  Public,
  RateLimit,
  ReqContext,
  type RequestContext,
  LoginResponseDto,
  ApiDeviceHeaders,
  MfaChallengeDto,
} from '#src/platform/index.js';
import { ProviderDto } from '#src/social/dto/provider.dto.js';
import { LinkRequiredDto, SocialCallbackDto, WechatCodeDto } from '#src/social/dto/social-callback.dto.js';
import { LinkTokenDto, SocialLinkDto } from '#src/social/dto/social-link.dto.js';
import { SocialStartDto, SocialStartedDto } from '#src/social/dto/social-start.dto.js';
import { SocialLinkService } from '#src/social/social-link.service.js';
import { type SocialSignIn, SocialLoginService } from '#src/social/social-login.service.js';
import { SocialProvidersService } from '#src/social/social-providers.service.js';
import { SocialErrors } from '#src/social/social.definitions.js';
import { VerificationErrors } from '#src/verification/verification.errors.js';

const { SOCIAL_LOGIN_FAILED, IDENTITY_TAKEN } = SocialErrors;
const { INVALID_CREDENTIALS, NOT_FOUND, REGISTRATION_DISABLED, RATE_LIMITED, SERVICE_UNAVAILABLE } = CoreErrors;
/**
 * What a provider sign-in can answer besides tokens: a failed provider step, a refused account, an unknown provider
 * (and 429 RATE_LIMITED, which `@RateLimit` documents itself).
 */
const SIGN_IN_ERRORS = [SOCIAL_LOGIN_FAILED, INVALID_CREDENTIALS, NOT_FOUND];

/**
 * Issue 23: every start stores a single-use state and every finish a spent provider code in `social_grants`, each
 * kept 10 minutes, for anyone who asks. Counted per client IP (/64 for IPv6), so one client cannot fill the table:
 * at most 30 rows a minute each, 300 live (OWASP ASVS 5.0 V2.4.1 anti-automation; OWASP Denial of Service Cheat
 * Sheet, "rate limiting"). A refused request writes nothing: the guard runs before the handler. The budgets are
 * generous for a person, who starts and finishes once per sign-in; a large NAT raises them with
 * `RATE_LIMIT_SOCIAL_START` and `RATE_LIMIT_SOCIAL_FINISH` (points/duration).
 */
const SOCIAL_START_LIMIT = { points: 30, duration: '1m', by: 'ip' } as const;
const SOCIAL_FINISH_LIMIT = { points: 30, duration: '1m', by: 'ip' } as const;

const SIGN_IN = [LoginResponseDto, MfaChallengeDto, LinkRequiredDto];

/** Sign in with WeChat, GitHub or an OpenID Connect provider. */
@ApiTags('social')
@Controller('auth/social')
export class SocialController {
  constructor(
    private readonly providers: SocialProvidersService,
    private readonly login: SocialLoginService,
    private readonly linking: SocialLinkService,
  ) {}

  /** The providers that are configured, and how each is used; an empty list when none is. */
  @Public()
  @Get('providers')
  @ApiEnvelope(ProviderDto, { isArray: true })
  list(): ProviderDto[] {
    return this.providers.list();
  }

  /** Starts a browser sign-in: answers the provider's page, with a single-use `state` (10 minutes). */
  @Public()
  @Post(':provider/start')
  @RateLimit('social_start', SOCIAL_START_LIMIT)
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(SocialStartedDto, { errors: [NOT_FOUND] })
  start(@Param('provider') provider: string, @Body() dto: SocialStartDto): Promise<SocialStartedDto> {
    return this.login.start(provider, dto.redirect_uri);
  }

  /**
   * Finishes a browser sign-in with the redirect's `code`, `state` (and `iss`): tokens, an MFA challenge, or
   * `link_required` when no account has this identity yet.
   */
  @Public()
  @Post(':provider/callback')
  @RateLimit('social_finish', SOCIAL_FINISH_LIMIT)
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(SIGN_IN, { errors: SIGN_IN_ERRORS })
  callback(
    @Param('provider') provider: string,
    @Body() dto: SocialCallbackDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<SocialSignIn> {
    return this.login.callback(provider, dto, ctx);
  }

  /** Signs in with the `code` the WeChat SDK gave a mobile app (`WECHAT_MOBILE_APP_ID`). */
  @Public()
  @Post('wechat/app')
  @RateLimit('social_finish', SOCIAL_FINISH_LIMIT)
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(SIGN_IN, { errors: SIGN_IN_ERRORS })
  wechatApp(@Body() dto: WechatCodeDto, @ReqContext() ctx: RequestContext): Promise<SocialSignIn> {
    return this.login.wechatCode('app', dto.code, ctx);
  }

  /** Signs in with the `code` of `wx.login()` in a mini-program (`WECHAT_MINI_APP_ID`, jscode2session). */
  @Public()
  @Post('wechat/mini')
  @RateLimit('social_finish', SOCIAL_FINISH_LIMIT)
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(SIGN_IN, { errors: SIGN_IN_ERRORS })
  wechatMini(@Body() dto: WechatCodeDto, @ReqContext() ctx: RequestContext): Promise<SocialSignIn> {
    return this.login.wechatCode('mini', dto.code, ctx);
  }

  /**
   * Links the identity of a `link_token` to an existing account proven by its password or an SMS code, and signs
   * in (or asks for the second factor). A wrong password is 401 on the login budget and leaves the token usable.
   */
  @Public()
  @Post('link')
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope([LoginResponseDto, MfaChallengeDto], {
    errors: [
      SOCIAL_LOGIN_FAILED,
      INVALID_CREDENTIALS,
      VerificationErrors.CODE_INVALID,
      IDENTITY_TAKEN,
      RATE_LIMITED,
      SERVICE_UNAVAILABLE,
    ],
  })
  link(@Body() dto: SocialLinkDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    return this.linking.link(dto, ctx);
  }

  /** Creates an account holding only this identity (`SOCIAL_SIGNUP=true`, else 403 REGISTRATION_DISABLED). */
  @Public()
  @Post('signup')
  @ApiDeviceHeaders()
  @ApiEnvelope([LoginResponseDto, MfaChallengeDto], {
    status: HttpStatus.CREATED,
    errors: [SOCIAL_LOGIN_FAILED, INVALID_CREDENTIALS, REGISTRATION_DISABLED, IDENTITY_TAKEN],
  })
  signup(@Body() dto: LinkTokenDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    return this.linking.signup(dto, ctx);
  }
}
