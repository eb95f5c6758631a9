import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#src/common/auth-user.js';
import { AuthService } from '#src/auth/auth.service.js';
import { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { LoginDto } from '#src/auth/dto/login.dto.js';
import { LogoutDto } from '#src/auth/dto/logout.dto.js';
import { RefreshTokenDto } from '#src/auth/dto/refresh-token.dto.js';
import { RegisterDto } from '#src/auth/dto/register.dto.js';
import { JwtRefreshGuard, OptionalJwtRefreshGuard, VerifiedRefreshToken } from '#src/auth/guards/jwt-refresh.guard.js';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { SWAGGER_USER } from '#src/common/decorators/api-fields.js';
import { ApiDeviceHeaders } from '#src/common/decorators/api-headers.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { OptionalAuth } from '#src/common/decorators/optional-auth.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';
import { MfaChallengeDto } from '#src/auth/dto/mfa-challenge.dto.js';

const { username, password, phone, email } = SWAGGER_USER;
const { RATE_LIMITED, IP_NOT_ALLOWED, TOKEN_INVALID, TOKEN_EXPIRED } = CoreErrors;

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Creates an account and logs it in. */
  @Public()
  @Post('register')
  @ApiDeviceHeaders()
  // Each example is an account of its own, so each succeeds once on a fresh server; the first is the one the login,
  // code and reset examples use. None is the demo page's or a test's, so using one never makes another answer 409.
  @ApiBody({
    type: RegisterDto,
    examples: {
      everything: { summary: 'Username, phone and email', value: { ...SWAGGER_USER, name: 'Swagger Demo' } },
      username: { summary: 'Username only', value: { username: `${username}-plain`, password } },
      phone: { summary: 'With a phone', value: { username: `${username}-phone`, password, phone: '+8613900000002' } },
      email: {
        summary: 'With an email',
        value: { username: `${username}-email`, password, email: 'swagger-demo-email@example.com' },
      },
    },
  })
  @ApiEnvelope(LoginResponseDto, {
    status: HttpStatus.CREATED,
    errors: [
      CoreErrors.REGISTRATION_DISABLED,
      CoreErrors.USERNAME_TAKEN,
      CoreErrors.PHONE_TAKEN,
      CoreErrors.EMAIL_TAKEN,
      RATE_LIMITED,
    ],
  })
  register(@Body() dto: RegisterDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto> {
    return this.auth.register(dto, ctx);
  }

  /**
   * Logs in with `{username, password}` or `{phone, password}`. With TOTP on,
   * answers an `MfaChallengeDto` instead of tokens; `/auth/mfa/verify` completes it.
   * Repeated failures answer 429 RATE_LIMITED with `Retry-After`.
   */
  @Public()
  @Post('login')
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  @ApiBody({
    type: LoginDto,
    examples: {
      username: { summary: 'By username', value: { username, password } },
      phone: { summary: 'By phone', value: { phone, password } },
      email: { summary: 'By email', value: { email, password } },
    },
  })
  // SPEC §9: a login from outside the role's networks answers like wrong credentials, so no IP_NOT_ALLOWED here.
  @ApiEnvelope([LoginResponseDto, MfaChallengeDto], { errors: [CoreErrors.INVALID_CREDENTIALS, RATE_LIMITED] })
  login(@Body() dto: LoginDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    return this.auth.login(dto, ctx);
  }

  /** Trades a refresh token for a new access token and the rotated refresh token. */
  @Public()
  @UseGuards(JwtRefreshGuard)
  @Post('refresh')
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  // 403 IP_NOT_ALLOWED: the role's allow-list is checked again on every refresh (SPEC §9). No UNAUTHORIZED: the
  // guard validates the body first, so a missing refresh_token is 400 and any token sent is judged (401 TOKEN_*).
  @ApiEnvelope(LoginResponseDto, {
    errors: [
      TOKEN_INVALID,
      TOKEN_EXPIRED,
      CoreErrors.TOKEN_REVOKED,
      CoreErrors.REFRESH_TOKEN_REUSED,
      IP_NOT_ALLOWED,
      RATE_LIMITED,
    ],
  })
  refresh(
    @Body() _dto: RefreshTokenDto,
    @VerifiedRefreshToken() claims: RefreshClaims,
    @ReqContext() ctx: RequestContext,
  ): Promise<LoginResponseDto> {
    return this.auth.refresh(claims, ctx);
  }

  /** Revokes the current session: the bearer's, or that of the `refresh_token` in the body. */
  @OptionalAuth()
  @UseGuards(OptionalJwtRefreshGuard)
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(HttpStatus.OK)
  @ApiBody({
    type: LogoutDto,
    examples: {
      bearer: { summary: "The bearer's session (after Authorize)", value: {} },
      refresh_token: { summary: 'The session of a refresh token', value: { refresh_token: '<the refresh_token>' } },
    },
  })
  @ApiEnvelope(null)
  async logout(
    @Body() _dto: LogoutDto,
    @CurrentUser() user: AuthUser | undefined,
    @VerifiedRefreshToken() refresh: RefreshClaims | undefined,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    await this.auth.logout(user, refresh, ctx);
    return null;
  }
}
