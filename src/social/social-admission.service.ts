import { Injectable } from '@nestjs/common';
import { AuthService } from '#src/auth/auth.service.js';
import type { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { IpAllowlistService } from '#src/ip-allowlist/ip-allowlist.service.js';
import type { MfaChallengeDto } from '#src/mfa/dto/mfa-challenge.dto.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';
import { SessionsService } from '#src/sessions/sessions.service.js';
import type { User } from '#src/users/entities/user.entity.js';
import {
  AppException,
  AuditEventType,
  AuditService,
  Clock,
  CoreErrors,
  registeredErrorCodes,
  type AuthUser,
  type RequestContext,
} from '#src/platform/index.js';

const REAUTH_WINDOW_MS = 5 * 60_000;

/**
 * STAND-IN for `AdmissionService` (issue 22, branch i22a), with its contract's three methods, until that branch
 * is merged: then this file goes and SocialModule injects the real one. It decides like a password login does today.
 */
@Injectable()
export class SocialAdmission {
  constructor(
    private readonly auth: AuthService,
    private readonly allowlist: IpAllowlistService,
    private readonly mfaChallenges: MfaChallengeService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async check(
    user: User,
    ctx: RequestContext,
    attempt: { identifier: string; method: string },
  ): Promise<string | null> {
    const reason = user.disabled ? 'disabled' : this.allowlist.isAllowed(user.role, ctx.ip) ? null : 'ip_not_allowed';
    if (reason) {
      const type = reason === 'ip_not_allowed' ? AuditEventType.IpNotAllowed : AuditEventType.LoginFailure;
      await this.audit.record({ type, userId: user.id, identifier: attempt.identifier, reason, ctx });
    }
    return reason;
  }

  async admit(
    user: User,
    method: string,
    ctx: RequestContext,
    identifier: string,
  ): Promise<LoginResponseDto | MfaChallengeDto> {
    if (user.totpEnabled && method !== 'mfa') {
      return this.mfaChallenges.issue(user, identifier, ctx);
    }
    return this.auth.completeLogin(user, identifier, ctx);
  }

  async assertRecentAuthentication(caller: AuthUser): Promise<void> {
    const session = await this.sessions.findById(caller.sessionId);
    if (!session || this.clock.now() - session.createdAt > REAUTH_WINDOW_MS) {
      const code = registeredErrorCodes().find((c) => c.code === 'REAUTH_REQUIRED') ?? CoreErrors.UNAUTHORIZED;
      throw new AppException(code, 'Sign in again to do this');
    }
  }
}
