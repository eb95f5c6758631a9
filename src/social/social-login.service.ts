import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AdmissionService,
  AppException,
  AuditService,
  CoreErrors,
  type RequestContext,
  type LoginResponseDto,
  type MfaChallengeDto,
  UsersService,
} from '#src/platform/index.js';
import type { LinkRequiredDto, SocialCallbackDto } from '#src/social/dto/social-callback.dto.js';
import type { SocialStartedDto } from '#src/social/dto/social-start.dto.js';
import { IdentitiesService } from '#src/social/identities.service.js';
import { ProviderFailure, type ProvenIdentity, type StartedFlow } from '#src/social/providers/provider.js';
import { SocialGrantsService } from '#src/social/social-grants.service.js';
import { SocialProvidersService } from '#src/social/social-providers.service.js';
import { SocialAudit, SocialErrors } from '#src/social/social.definitions.js';

export type SocialSignIn = LoginResponseDto | MfaChallengeDto | LinkRequiredDto;

/** The one answer for a bad, reused or expired code, state or link token, and for a provider failure. */
export function socialLoginFailed(): AppException {
  return new AppException(SocialErrors.SOCIAL_LOGIN_FAILED);
}

/** How an identity appears in the audit trail: the provider's opaque id, never a token or a code. */
export function identifierOf(identity: ProvenIdentity): string {
  return `${identity.provider}:${identity.subject}`;
}

/** Proves a provider identity (SPEC §15), then hands the account to admission: "prove, then admit" (STYLE 16). */
@Injectable()
export class SocialLoginService {
  private readonly logger = new Logger(SocialLoginService.name);

  constructor(
    private readonly providers: SocialProvidersService,
    private readonly grants: SocialGrantsService,
    private readonly identities: IdentitiesService,
    private readonly users: UsersService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
  ) {}

  /** `userId` set: a signed-in account linking another identity; the state is bound to it. */
  async start(name: string, redirectUri: string, userId: number | null = null): Promise<SocialStartedDto> {
    const provider = this.providers.redirect(name);
    this.providers.assertRedirectUri(redirectUri);
    const flow: StartedFlow = {
      redirectUri,
      // RFC 7636 §4.1: 32 random octets, base64url (43 characters).
      codeVerifier: randomBytes(32).toString('base64url'),
      nonce: randomBytes(16).toString('base64url'),
    };
    const state = await this.grants.issue('state', name, flow, userId);
    return { authorize_url: await this.guard(name, () => provider.authorizeUrl(flow, state)) };
  }

  async callback(name: string, dto: SocialCallbackDto, ctx: RequestContext): Promise<SocialSignIn> {
    return this.signIn(await this.prove(name, dto, null), ctx);
  }

  /** WeChat SDK in a mobile app, or `wx.login()` in a mini-program: the code alone, no redirect and no state. */
  async wechatCode(flow: 'app' | 'mini', code: string, ctx: RequestContext): Promise<SocialSignIn> {
    const { client, app } = this.providers.wechatClient(flow);
    if (!(await this.grants.spendCode(`wechat:${flow}`, code))) {
      throw socialLoginFailed();
    }
    const identity = await this.guard('wechat', () =>
      flow === 'app' ? client.oauthIdentity(app, code) : client.miniIdentity(app, code),
    );
    return this.signIn(identity, ctx);
  }

  /**
   * Checks the callback against its single-use state before the code goes anywhere (SPEC §15: a bad state is
   * refused before the provider sees the code; RFC 9700 §4.7 CSRF), then exchanges the code once.
   */
  async prove(name: string, dto: SocialCallbackDto, userId: number | null): Promise<ProvenIdentity> {
    const provider = this.providers.redirect(name);
    const grant = await this.grants.take<StartedFlow>('state', dto.state);
    if (!grant || grant.provider !== name || grant.userId !== userId) {
      throw socialLoginFailed();
    }
    if (!(await this.grants.spendCode(name, dto.code))) {
      throw socialLoginFailed();
    }
    return this.guard(name, () => provider.exchange(dto.code, grant.payload, { state: dto.state, iss: dto.iss }));
  }

  /** A known identity signs its account in through admission; a new one gets a link token, never an account. */
  private async signIn(identity: ProvenIdentity, ctx: RequestContext): Promise<SocialSignIn> {
    const row = await this.identities.findByKey(identity);
    const user = row?.userId ? await this.users.findById(row.userId) : null;
    if (!user) {
      // SPEC §15: never linked by a matching email or phone claim; the person proves an account or signs up.
      const linkToken = await this.grants.issue('link', identity.provider, identity);
      return { link_required: true, link_token: linkToken, provider: identity.provider };
    }
    const identifier = identifierOf(identity);
    const method = `social:${identity.provider}`;
    if (await this.admission.check(user, ctx, { identifier, method })) {
      // SPEC §15: a disabled account or a refused IP answers like a wrong password.
      throw new AppException(CoreErrors.INVALID_CREDENTIALS);
    }
    const result = await this.admission.admit(user, method, ctx, identifier);
    await this.audit.record({ type: SocialAudit.social_login, userId: user.id, identifier, reason: method, ctx });
    return result;
  }

  /** A provider's failure is logged with its detail (WeChat errcode) and answered without it. */
  private async guard<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof ProviderFailure) {
        this.logger.warn(`social sign-in with ${name} failed: ${e.detail}`);
        throw socialLoginFailed();
      }
      throw e;
    }
  }
}
