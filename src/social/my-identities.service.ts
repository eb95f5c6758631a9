import { Injectable } from '@nestjs/common';
import {
  AdmissionService,
  AppException,
  AuditService,
  CoreErrors,
  type AuthUser,
  type RequestContext,
  UsersService,
} from '#src/platform/index.js';
import type { IdentityDto } from '#src/social/dto/identity.dto.js';
import type { SocialCallbackDto } from '#src/social/dto/social-callback.dto.js';
import type { SocialStartedDto } from '#src/social/dto/social-start.dto.js';
import type { UserIdentity } from '#src/social/entities/user-identity.entity.js';
import { IdentitiesService } from '#src/social/identities.service.js';
import { identifierOf, SocialLoginService } from '#src/social/social-login.service.js';
import { SocialAudit, SocialErrors } from '#src/social/social.definitions.js';

function toDto(row: UserIdentity): IdentityDto {
  return {
    id: row.id,
    provider: row.provider,
    display_name: row.displayName,
    created_at: new Date(row.createdAt).toISOString(),
  };
}

/** A signed-in account's own identities: list, link another, unlink (SPEC §15). */
@Injectable()
export class MyIdentitiesService {
  constructor(
    private readonly identities: IdentitiesService,
    private readonly login: SocialLoginService,
    private readonly users: UsersService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: AuthUser): Promise<IdentityDto[]> {
    return (await this.identities.listForUser(caller.userId)).map(toDto);
  }

  /** Adding a way into the account is a sensitive change: recent authentication (OWASP ASVS 5.0 V6.3.x/V7.5.x). */
  async start(caller: AuthUser, provider: string, redirectUri: string): Promise<SocialStartedDto> {
    await this.admission.assertRecentAuthentication(caller);
    return this.login.start(provider, redirectUri, caller.userId);
  }

  async callback(
    caller: AuthUser,
    provider: string,
    dto: SocialCallbackDto,
    ctx: RequestContext,
  ): Promise<IdentityDto> {
    await this.admission.assertRecentAuthentication(caller);
    // The state was bound to this account at /start: another account's callback cannot spend it.
    const identity = await this.login.prove(provider, dto, caller.userId);
    const { row, owned } = await this.identities.claim(identity, caller.userId);
    if (!owned && row.userId !== caller.userId) {
      throw new AppException(SocialErrors.IDENTITY_TAKEN);
    }
    if (owned) {
      await this.audit.record({
        type: SocialAudit.identity_linked,
        userId: caller.userId,
        sessionId: caller.sessionId,
        identifier: identifierOf(identity),
        reason: 'signed_in',
        ctx,
      });
    }
    return toDto(row);
  }

  /** Refused when nothing else could sign in: no password, no phone for a code login, no other identity. */
  async unlink(caller: AuthUser, id: number, ctx: RequestContext): Promise<null> {
    const row = await this.identities.findOwned(id, caller.userId);
    if (!row) {
      // Another account's identity is answered like one that does not exist.
      throw new AppException(CoreErrors.NOT_FOUND, 'No such identity');
    }
    const user = await this.users.findById(caller.userId);
    const others = (await this.identities.countForUser(caller.userId)) - 1;
    if (!user || (user.passwordHash === '' && !user.phone && others === 0)) {
      throw new AppException(SocialErrors.LAST_SIGN_IN_METHOD);
    }
    if (await this.identities.remove(row.id, caller.userId)) {
      await this.audit.record({
        type: SocialAudit.identity_unlinked,
        userId: caller.userId,
        sessionId: caller.sessionId,
        identifier: `${row.provider}:${row.subject}`,
        ctx,
      });
    }
    return null;
  }
}
