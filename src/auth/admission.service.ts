import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AuthErrors } from '#src/auth/auth.errors.js';
import type { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppException } from '#src/common/app.exception.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { Clock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import jwtConfig from '#src/config/jwt.config.js';
import type { MfaChallengeDto } from '#src/auth/dto/mfa-challenge.dto.js';
import { IpFence, SecondFactor } from '#src/auth/login-ports.js';
import type { Session } from '#src/sessions/entities/session.entity.js';
import { DevicesService } from '#src/sessions/devices.service.js';
import { type RevokeReason, SessionsService } from '#src/sessions/sessions.service.js';
import type { User } from '#src/users/entities/user.entity.js';
import { UsersService } from '#src/users/users.service.js';

/** Who is trying to enter, for the audit trail: the identifier as typed and the factor proven. */
export interface AdmissionAttempt {
  identifier: string;
  /** 'password' | 'code' | 'mfa' | 'social:github' …, the `reason` of `login_success`. */
  method: string;
  /** The refusal's audit reason, when the flow names its request instead of the refusal (MFA verify). */
  auditReason?: string;
}

/**
 * The one door to a session (STYLE 16, "prove, then admit"). A login method proves its factor (password, code,
 * provider identity, passkey) and hands the account here: this service alone decides disabled, the role's IP
 * allow-list, the MFA step and the session, so a new login method cannot forget one of them. Each flow keeps its
 * own public error (OWASP Authentication Cheat Sheet: a refused login answers like a wrong factor).
 */
@Injectable()
export class AdmissionService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly devices: DevicesService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly allowlist: IpFence,
    private readonly secondFactor: SecondFactor,
    private readonly clock: Clock,
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
  ) {}

  /**
   * Decides disabled account and role IP allow-list (SPEC §9); audits a refusal (login_failure / ip_not_allowed,
   * with reason and identifier). Returns the refusal reason, or null when the account may enter. Never throws
   * the public error: each login flow keeps its own.
   */
  async check(user: User, ctx: RequestContext, attempt: AdmissionAttempt): Promise<string | null> {
    const refusal = user.disabled ? 'disabled' : this.allowlist.isAllowed(user.role, ctx.ip) ? null : 'ip_not_allowed';
    if (refusal) {
      const type = refusal === 'ip_not_allowed' ? CoreAudit.ip_not_allowed : CoreAudit.login_failure;
      const reason = attempt.auditReason ?? refusal;
      await this.audit.record({ type, userId: user.id, identifier: attempt.identifier, reason, ctx });
    }
    return refusal;
  }

  /**
   * After the factor is proven and check() passed: with TOTP on (and the method not itself the second factor)
   * answers the MFA challenge (SPEC §3: one factor opens no session); else opens the session, audits
   * login_success with the method as reason, and returns the tokens.
   */
  async admit(
    user: User,
    method: string,
    ctx: RequestContext,
    identifier: string,
  ): Promise<LoginResponseDto | MfaChallengeDto> {
    if (user.totpEnabled && method !== 'mfa') {
      return this.secondFactor.challenge(user, identifier, ctx);
    }
    return (await this.openSession(user, method, ctx, identifier)).tokens;
  }

  /**
   * `admit` past the MFA step, also answering the new session's id for the caller's own audit event (SPEC §8).
   * The session is created first and the password hash read again after, so a password change racing this login
   * either sees the session and revokes it, or is seen here and the session is refused (SPEC §6, OWASP ASVS 5.0
   * V7.4.3).
   */
  async openSession(
    user: User,
    method: string,
    ctx: RequestContext,
    identifier: string,
  ): Promise<{ tokens: LoginResponseDto; sessionId: string }> {
    await this.devices.noteLogin(user.id, ctx);
    const session = await this.sessions.create(user.id, ctx);
    const current = await this.users.findById(user.id);
    if (current?.passwordHash !== user.passwordHash) {
      await this.sessions.revoke([session.id], 'password_change');
      throw new AppException(CoreErrors.INVALID_CREDENTIALS);
    }
    await this.audit.record({
      type: CoreAudit.login_success,
      userId: user.id,
      identifier,
      sessionId: session.id,
      reason: method,
      ctx,
    });
    return { tokens: this.issueTokens(user, session), sessionId: session.id };
  }

  /**
   * Recent authentication (OWASP ASVS 5.0 V7.5.1, NIST SP 800-63B §4.1.3 reauthentication): 401 REAUTH_REQUIRED
   * unless the caller's session was opened less than REAUTH_WINDOW ago, by the injected clock. For changes that
   * cannot ask for a password (an account without one): contact change, identity linking, passkeys.
   */
  async assertRecentAuthentication(caller: AuthUser): Promise<void> {
    const session = await this.sessions.findById(caller.sessionId);
    if (!session || this.clock.now() - session.createdAt >= this.config.reauthWindow * 1000) {
      throw new AppException(AuthErrors.REAUTH_REQUIRED);
    }
  }

  /**
   * SPEC §12 pre-hijacking (Sudhodanan & Paverd 2022): a code login or reset proved a contact that was only claimed
   * (unverified) on the account, so whoever set the account up may be someone else. The prover takes it back:
   * the password becomes `passwordHash` ('' after a code login: none; a reset's new one), TOTP and its recovery
   * codes are removed, every session and pending MFA login ends, and `account_reclaimed` is audited. `user` is
   * updated in place, so `admit()` after it opens a session without the removed second factor.
   */
  async reclaim(user: User, ctx: RequestContext, proof: { identifier: string; method: string; passwordHash: string }) {
    await this.users.setPasswordHash(user.id, proof.passwordHash);
    await this.secondFactor.remove(user.id);
    const ended = await this.sessions.revokeAllForUser(user.id, 'account_reclaimed');
    Object.assign(user, { passwordHash: proof.passwordHash, totpEnabled: false, totpSecret: null });
    await this.audit.record({
      type: CoreAudit.account_reclaimed,
      userId: user.id,
      identifier: proof.identifier,
      reason: proof.method,
      ctx,
    });
    return ended;
  }

  /**
   * Closes every door the account has open: its sessions (but `exceptId`, the caller's own) and its pending MFA
   * logins, whose password just stopped being the account's (password reset or change, issue 22).
   */
  async endSessions(userId: number, reason: RevokeReason, exceptId?: string): Promise<string[]> {
    await this.secondFactor.endPending(userId);
    return this.sessions.revokeAllForUser(userId, reason, exceptId);
  }

  /** The login `data` (the seed format) for a session just opened or rotated. */
  issueTokens(user: User, session: Session): LoginResponseDto {
    const access = this.tokens.signAccess(user, session.id);
    const refresh = this.tokens.signRefresh({
      userId: user.id,
      sessionId: session.id,
      jti: session.refreshJti,
      issuedAtMs: session.refreshIssuedAt,
      expiresAtMs: session.expiresAt,
    });
    return {
      access_token: access.token,
      refresh_token: refresh.token,
      token_type: 'bearer',
      expires_in: access.expiresIn,
      refresh_expires_in: refresh.expiresIn,
      userInfo: { id: user.id, name: user.name, role: user.role },
    };
  }
}
