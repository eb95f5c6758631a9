import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { AuthUser } from '#src/common/auth-user.js';
import { AuthService } from '#src/auth/auth.service.js';
import { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { LoginDto } from '#src/auth/dto/login.dto.js';
import { LogoutDto } from '#src/auth/dto/logout.dto.js';
import { RefreshTokenDto } from '#src/auth/dto/refresh-token.dto.js';
import { RegisterDto } from '#src/auth/dto/register.dto.js';
import { JwtRefreshGuard, OptionalJwtRefreshGuard, VerifiedRefreshToken } from '#src/auth/guards/jwt-refresh.guard.js';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { ApiDeviceHeaders } from '#src/common/decorators/api-headers.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { OptionalAuth } from '#src/common/decorators/optional-auth.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { ReqContext, type RequestContext } from '#src/common/request-context.js';
import { MfaChallengeDto } from '#src/mfa/dto/mfa-challenge.dto.js';
import { MfaVerifyDto } from '#src/mfa/dto/mfa-verify.dto.js';

/** Pre-filled in "Try it out": register with it, then each login example succeeds on a fresh server. */
const DEMO_USER = {
  username: 'alice',
  password: 'Gatehouse-Demo-2026',
  phone: '+8613800138000',
  email: 'alice@example.com',
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Creates an account and logs it in. */
  @Public()
  @Post('register')
  @ApiDeviceHeaders()
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many registrations from this IP; see `Retry-After`.' })
  @ApiBody({
    type: RegisterDto,
    examples: { alice: { summary: 'A new account', value: { ...DEMO_USER, name: 'Alice' } } },
  })
  @ApiEnvelope(LoginResponseDto, { status: HttpStatus.CREATED, errors: [403, 409, 503] })
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
  @ApiTooManyRequestsResponse({
    description: 'RATE_LIMITED: too many failed attempts; `Retry-After` gives the seconds to wait.',
  })
  @HttpCode(HttpStatus.OK)
  @ApiBody({
    type: LoginDto,
    examples: {
      username: { summary: 'By username', value: { username: DEMO_USER.username, password: DEMO_USER.password } },
      phone: { summary: 'By phone', value: { phone: DEMO_USER.phone, password: DEMO_USER.password } },
      email: { summary: 'By email', value: { email: DEMO_USER.email, password: DEMO_USER.password } },
    },
  })
  @ApiEnvelope([LoginResponseDto, MfaChallengeDto], { errors: [401, 403, 503] })
  login(@Body() dto: LoginDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    return this.auth.login(dto, ctx);
  }

  /** Second step of a login with TOTP: `{mfa_token, code}` or `{mfa_token, recovery_code}` → tokens. */
  @ApiTags('mfa')
  @Public()
  @Post('mfa/verify')
  @ApiDeviceHeaders()
  @HttpCode(HttpStatus.OK)
  // 403 IP_NOT_ALLOWED when the account's role may not log in from here; 429 on the TOTP attempt budget.
  @ApiEnvelope(LoginResponseDto, { errors: [401, 403, 429] })
  verifyMfa(@Body() dto: MfaVerifyDto, @ReqContext() ctx: RequestContext): Promise<LoginResponseDto> {
    return this.auth.verifyMfa(dto, ctx);
  }

  /** Trades a refresh token for a new access token and the rotated refresh token. */
  @Public()
  @UseGuards(JwtRefreshGuard)
  @Post('refresh')
  @ApiDeviceHeaders()
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many refreshes from this IP; see `Retry-After`.' })
  @HttpCode(HttpStatus.OK)
  // 403 IP_NOT_ALLOWED: the role's allow-list is checked again on every refresh (SPEC §9).
  @ApiEnvelope(LoginResponseDto, { errors: [401, 403] })
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
