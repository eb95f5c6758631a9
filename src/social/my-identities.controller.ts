import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IdentityDto } from '#src/social/dto/identity.dto.js';
import { SocialCallbackDto } from '#src/social/dto/social-callback.dto.js';
import { SocialStartDto, SocialStartedDto } from '#src/social/dto/social-start.dto.js';
import { MyIdentitiesService } from '#src/social/my-identities.service.js';
import { SocialErrors } from '#src/social/social.definitions.js';
import {
  ApiEnvelope,
  AuthErrors,
  CoreErrors,
  CurrentUser,
  RateLimit,
  ReqContext,
  type AuthUser,
  type RequestContext,
} from '#src/platform/index.js';

const { SOCIAL_LOGIN_FAILED, IDENTITY_TAKEN, LAST_SIGN_IN_METHOD } = SocialErrors;
const { NOT_FOUND } = CoreErrors;
const { REAUTH_REQUIRED } = AuthErrors;

/**
 * Each link start stores a single-use state and each callback a spent provider code in `social_grants`, as the
 * public sign-in routes do (issue 23); here the caller is known, so the budget is per account, not per network
 * (OWASP ASVS 5.0 V2.4.1 anti-automation). `RATE_LIMIT_SOCIAL_LINK` (points/duration) replaces it.
 */
const SOCIAL_LINK_LIMIT = { points: 30, duration: '1m', by: 'user' } as const;

/** The caller's linked sign-in identities. */
@ApiTags('social')
@ApiBearerAuth()
@Controller('users/me/identities')
export class MyIdentitiesController {
  constructor(private readonly identities: MyIdentitiesService) {}

  /** The identities linked to the caller's account. */
  @Get()
  @ApiEnvelope(IdentityDto, { isArray: true })
  list(@CurrentUser() user: AuthUser): Promise<IdentityDto[]> {
    return this.identities.list(user);
  }

  /** Starts linking another identity; needs a session opened within `REAUTH_WINDOW` (else 401 REAUTH_REQUIRED). */
  @Post(':provider/start')
  @RateLimit('social_link', SOCIAL_LINK_LIMIT)
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(SocialStartedDto, { errors: [NOT_FOUND, REAUTH_REQUIRED] })
  start(
    @CurrentUser() user: AuthUser,
    @Param('provider') provider: string,
    @Body() dto: SocialStartDto,
  ): Promise<SocialStartedDto> {
    return this.identities.start(user, provider, dto.redirect_uri);
  }

  /** Finishes linking: 409 IDENTITY_TAKEN when the identity belongs to another account. */
  @Post(':provider/callback')
  @RateLimit('social_link', SOCIAL_LINK_LIMIT)
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(IdentityDto, { errors: [SOCIAL_LOGIN_FAILED, NOT_FOUND, IDENTITY_TAKEN, REAUTH_REQUIRED] })
  callback(
    @CurrentUser() user: AuthUser,
    @Param('provider') provider: string,
    @Body() dto: SocialCallbackDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<IdentityDto> {
    return this.identities.callback(user, provider, dto, ctx);
  }

  /** Unlinks one; 409 LAST_SIGN_IN_METHOD when nothing else could sign in, 404 for another account's identity. */
  @Delete(':id')
  @ApiEnvelope(null, { errors: [NOT_FOUND, LAST_SIGN_IN_METHOD] })
  unlink(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    return this.identities.unlink(user, id, ctx);
  }
}
