import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AdmissionService,
  AppException,
  CoreAudit,
  AuditService,
  CoreErrors,
  type RequestContext,
  AuthService,
  type LoginResponseDto,
  type MfaChallengeDto,
  type User,
  UsersService,
} from '#src/platform/index.js';
import { CodeLoginService } from '#src/verification/code-login.service.js';
import type { LinkTokenDto, SocialLinkDto } from '#src/social/dto/social-link.dto.js';
import { IdentitiesService } from '#src/social/identities.service.js';
import type { ProvenIdentity } from '#src/social/providers/provider.js';
import { type Grant, SocialGrantsService } from '#src/social/social-grants.service.js';
import { identifierOf, socialLoginFailed } from '#src/social/social-login.service.js';
import { SocialProvidersService } from '#src/social/social-providers.service.js';
import { SocialAudit, SocialErrors } from '#src/social/social.definitions.js';

type Admitted = LoginResponseDto | MfaChallengeDto;

/** The account a login answer is for: its tokens name it, an MFA challenge names it in its token's `sub`. */
function accountOf(result: Admitted): number {
  if ('access_token' in result) {
    return result.userInfo.id;
  }
  const payload = result.mfa_token.split('.')[1];
  return Number((JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub);
}

/** Resolves `link_required`: an existing account's proof, or a new account (SPEC §15). */
@Injectable()
export class SocialLinkService {
  constructor(
    private readonly grants: SocialGrantsService,
    private readonly identities: IdentitiesService,
    private readonly providers: SocialProvidersService,
    private readonly auth: AuthService,
    private readonly codeLogin: CodeLoginService,
    private readonly users: UsersService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The account proves itself through the login services themselves (same throttles and budget as a password or
   * code login), so the link token is only spent after the proof: a wrong password leaves it usable. A new identity
   * thus never signs into an existing account without that account's proof (issue 25).
   */
  async link(dto: SocialLinkDto, ctx: RequestContext): Promise<Admitted> {
    const grant = await this.grants.peek<ProvenIdentity>('link', dto.link_token);
    if (!grant) {
      throw socialLoginFailed();
    }
    const taken = await this.identities.findByKey(grant.payload);
    if (taken?.userId) {
      throw new AppException(SocialErrors.IDENTITY_TAKEN);
    }
    const result = await this.prove(dto, ctx);
    await this.bind(grant, accountOf(result), ctx);
    return result;
  }

  /** `SOCIAL_SIGNUP=true`: a new account holding only this identity. */
  async signup(dto: LinkTokenDto, ctx: RequestContext): Promise<Admitted> {
    if (!this.providers.signupEnabled) {
      throw new AppException(CoreErrors.REGISTRATION_DISABLED);
    }
    const grant = await this.grants.take<ProvenIdentity>('link', dto.link_token);
    if (!grant) {
      throw socialLoginFailed();
    }
    const identity = grant.payload;
    // The identity is claimed before the account exists, so two sign-ups racing with one identity make one account.
    const claim = await this.identities.claim(identity, null);
    if (!claim.owned) {
      throw new AppException(SocialErrors.IDENTITY_TAKEN);
    }
    const user = await this.createAccount(identity, claim.row.id, ctx);
    await this.identities.setOwner(claim.row.id, user.id);
    const identifier = identifierOf(identity);
    await this.audit.record({ type: SocialAudit.identity_linked, userId: user.id, identifier, reason: 'signup', ctx });
    const method = `social:${identity.provider}`;
    if (await this.admission.check(user, ctx, { identifier, method })) {
      throw new AppException(CoreErrors.INVALID_CREDENTIALS);
    }
    const result = await this.admission.admit(user, method, ctx, identifier);
    await this.audit.record({ type: SocialAudit.social_login, userId: user.id, identifier, reason: method, ctx });
    return result;
  }

  /** Links a proven identity to `userId`: spends the link token, then lets the unique index decide. */
  private async bind(grant: Grant<ProvenIdentity>, userId: number, ctx: RequestContext): Promise<void> {
    if (!(await this.grants.spend(grant))) {
      throw socialLoginFailed();
    }
    const { row, owned } = await this.identities.claim(grant.payload, userId);
    if (!owned && row.userId !== userId) {
      throw new AppException(SocialErrors.IDENTITY_TAKEN);
    }
    await this.audit.record({
      type: SocialAudit.identity_linked,
      userId,
      identifier: identifierOf(grant.payload),
      reason: 'link_token',
      ctx,
    });
  }

  private prove(dto: SocialLinkDto, ctx: RequestContext): Promise<Admitted> {
    if (dto.code !== undefined) {
      return this.codeLogin.login({ phone: dto.phone!, code: dto.code }, ctx);
    }
    const identifier =
      dto.username !== undefined
        ? { username: dto.username }
        : dto.email !== undefined
          ? { email: dto.email }
          : { phone: dto.phone! };
    return this.auth.login({ ...identifier, password: dto.password! }, ctx);
  }

  private async createAccount(identity: ProvenIdentity, claimId: number, ctx: RequestContext): Promise<User> {
    const username = `user_${randomBytes(6).toString('hex')}`;
    try {
      // No password: the account signs in with this identity until one is set (an empty hash matches none).
      const user = await this.users.create({ username, passwordHash: '', name: identity.displayName?.slice(0, 50) });
      await this.audit.record({
        type: CoreAudit.register,
        userId: user.id,
        identifier: identifierOf(identity),
        reason: `social:${identity.provider}`,
        ctx,
      });
      return user;
    } catch (e) {
      await this.identities.release(claimId);
      throw e;
    }
  }
}
