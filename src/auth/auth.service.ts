import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { AuthUser } from '#src/common/auth-user.js';
import type { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import type { LoginDto } from '#src/auth/dto/login.dto.js';
import { AdmissionService } from '#src/auth/admission.service.js';
import type { RegisterDto } from '#src/auth/dto/register.dto.js';
import { PasswordService } from '#src/passwords/password.service.js';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import appConfig from '#src/config/app.config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import type { MfaChallengeDto } from '#src/auth/dto/mfa-challenge.dto.js';
import { IpFence } from '#src/auth/login-ports.js';
import { SessionsService } from '#src/sessions/sessions.service.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';
import type { User } from '#src/users/entities/user.entity.js';
import { type Identifier, UsersService } from '#src/users/users.service.js';

/** Orchestrates the login flow; hashing, tokens and session rows live in their own services. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly admission: AdmissionService,
    private readonly allowlist: IpFence,
    private readonly throttling: ThrottlingService,
    private readonly metrics: MetricsService,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  async register(dto: RegisterDto, ctx: RequestContext): Promise<LoginResponseDto> {
    if (!this.config.registrationEnabled) {
      throw new AppException(CoreErrors.REGISTRATION_DISABLED);
    }
    await this.throttling.consumeRegister(ctx);
    const phone = dto.phone === undefined ? null : this.users.toE164(dto.phone);
    // Cheap early answers; the unique indexes still decide races in create().
    if (await this.users.findByIdentifier({ username: dto.username })) {
      throw new AppException(CoreErrors.USERNAME_TAKEN);
    }
    if (phone && (await this.users.findByIdentifier({ phone }))) {
      throw new AppException(CoreErrors.PHONE_TAKEN);
    }
    if (dto.email !== undefined && (await this.users.findByIdentifier({ email: dto.email }))) {
      throw new AppException(CoreErrors.EMAIL_TAKEN);
    }
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await this.users.create({
      username: dto.username,
      passwordHash,
      phone,
      email: dto.email,
      name: dto.name,
    });
    const session = await this.sessions.create(user.id, ctx);
    await this.audit.record({
      type: CoreAudit.register,
      userId: user.id,
      identifier: user.username,
      sessionId: session.id,
      ctx,
    });
    return this.admission.issueTokens(user, session);
  }

  /**
   * One answer for an unknown identifier, a wrong password and a disabled
   * account, after the same hashing work (OWASP Authentication Cheat Sheet).
   */
  async login(dto: LoginDto, ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    const identifier: Identifier =
      dto.username !== undefined
        ? { username: dto.username }
        : dto.email !== undefined
          ? { email: dto.email }
          : { phone: dto.phone! };
    const tried: string = Object.values(identifier)[0];
    // SPEC §7: counted per resolved account (username, phone and email share it), reserved before any hashing.
    const user = await this.users.findByIdentifier(identifier);
    const attempt = await this.throttling.reserveLogin({ userId: user?.id ?? null, identifier }, ctx);
    let valid: boolean;
    try {
      valid = user
        ? await this.passwords.verifyLogin(user.passwordHash, dto.password)
        : await this.passwords.verifyDummy(dto.password);
    } catch (e) {
      // A check that never ran (503 from the hash queue) is no failure and must leave no lock behind.
      await this.throttling.loginAborted(attempt);
      throw e;
    }
    if (!user || !valid) {
      const reason = user ? 'wrong_password' : 'unknown_identifier';
      await this.audit.record({ type: CoreAudit.login_failure, userId: user?.id, identifier: tried, reason, ctx });
      await this.throttling.loginFailed(attempt, ctx);
      throw AuthService.invalidCredentials();
    }
    // SPEC §9: a login from outside the role's networks, or to a disabled account, answers like wrong credentials.
    if (await this.admission.check(user, ctx, { identifier: tried, method: 'password' })) {
      await this.throttling.loginFailed(attempt, ctx);
      throw AuthService.invalidCredentials();
    }
    await this.throttling.loginSucceeded(attempt);
    await this.upgradeHash(user, dto.password, ctx);
    // SPEC §3: with TOTP on the password alone opens no session; /auth/mfa/verify finishes it.
    return this.admission.admit(user, 'password', ctx, tried);
  }

  async refresh(claims: RefreshClaims, ctx: RequestContext): Promise<LoginResponseDto> {
    await this.throttling.consumeRefresh(ctx);
    // Read once, before the rotation: SPEC §9 (issue 15.9), a refresh is a request of the account too, so the
    // role's allow-list refuses it before anything rotates.
    const user = await this.users.findById(Number(claims.sub));
    if (user) {
      await this.allowlist.assertAllowed(user, ctx, { sessionId: claims.sid, reason: 'request POST /auth/refresh' });
    }
    const { outcome, session } = await this.sessions.rotate(claims.sid, claims.jti, ctx);
    if (outcome === 'reused') {
      await this.audit.record({
        type: CoreAudit.refresh_reuse,
        userId: session.userId,
        sessionId: session.id,
        reason: 'rotated refresh token presented after the grace window or by another client',
        ctx,
      });
      throw new AppException(CoreErrors.REFRESH_TOKEN_REUSED);
    }
    if (outcome === 'grace') {
      // SPEC §5 / §8: every grace answer is on the record, so a replay that looked like a retry can be traced.
      await this.audit.record({
        type: CoreAudit.refresh_grace,
        userId: session.userId,
        sessionId: session.id,
        reason: 'rotated refresh token presented by the same client within the grace window',
        ctx,
      });
    }
    this.metrics.refresh(outcome);
    if (!user || user.disabled || user.id !== session.userId) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
    return this.admission.issueTokens(user, session);
  }

  /** Ends the bearer's session, or the session of the refresh token in the body. Idempotent. */
  async logout(user: AuthUser | undefined, refresh: RefreshClaims | undefined, ctx: RequestContext): Promise<void> {
    const sessionId = user?.sessionId ?? refresh?.sid;
    if (!sessionId) {
      throw new AppException(CoreErrors.UNAUTHORIZED, 'Send a bearer token or a refresh_token');
    }
    const session = await this.sessions.findById(sessionId);
    if (!session) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
    await this.sessions.revoke([session.id], 'logout');
    await this.audit.record({ type: CoreAudit.logout, userId: session.userId, sessionId: session.id, ctx });
  }

  /**
   * SPEC §6: a bcrypt or weaker Argon2 hash is replaced after a successful login, but only the hash this login
   * verified: when the password changed meanwhile, the new one stays and this login opens nothing; when a
   * concurrent login of the same password rehashed it first, both go on.
   */
  private async upgradeHash(user: User, password: string, ctx: RequestContext): Promise<void> {
    if (!this.passwords.needsRehash(user.passwordHash)) {
      return;
    }
    const from = user.passwordHash.slice(0, user.passwordHash.indexOf('$', 1) + 1);
    const rehashed = await this.passwords.hash(password);
    if (!(await this.users.replacePasswordHash(user.id, user.passwordHash, rehashed))) {
      // SPEC §6: the hash moved. A sibling login's rehash of this same password still verifies, and this login goes
      // on with it; a password change does not, and this login opens nothing.
      const current = await this.users.findById(user.id);
      if (!current || !(await this.passwords.verify(current.passwordHash, password))) {
        throw AuthService.invalidCredentials();
      }
      user.passwordHash = current.passwordHash;
      return;
    }
    user.passwordHash = rehashed;
    await this.audit.record({ type: CoreAudit.password_rehash, userId: user.id, reason: `from ${from}`, ctx });
  }

  /** One answer for a wrong identifier or password, a refused account, and a password changed meanwhile. */
  private static invalidCredentials(): AppException {
    return new AppException(CoreErrors.INVALID_CREDENTIALS);
  }
}
