import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, Not, Repository } from 'typeorm';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import jwtConfig from '#src/config/jwt.config.js';
import { RefreshToken } from '#src/sessions/entities/refresh-token.entity.js';
import { Session } from '#src/sessions/entities/session.entity.js';
import { RevocationService } from '#src/sessions/revocation.service.js';

export type RevokeReason =
  | 'logout'
  | 'logout_all'
  | 'revoked'
  | 'refresh_reuse'
  | 'password_change'
  | 'disabled'
  | 'admin'
  | 'mfa_change'
  | 'password_reset';

export interface RotationResult {
  /** `rotated`: this request made the successor; `grace`: another did, moments ago; `reused`: the session is now revoked. */
  outcome: 'rotated' | 'grace' | 'reused';
  session: Session;
}

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    private readonly revocation: RevocationService,
    @Inject(jwtConfig.KEY) private readonly jwt: ConfigType<typeof jwtConfig>,
  ) {}

  async create(userId: number, ctx: RequestContext, now = Date.now()): Promise<Session> {
    const session = this.sessions.create({
      id: randomUUID(),
      userId,
      refreshJti: randomUUID(),
      refreshIssuedAt: now,
      deviceId: ctx.deviceId,
      deviceName: ctx.deviceName,
      userAgent: ctx.userAgent,
      ip: ctx.ip,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.slidingExpiry(now, now),
      revokedAt: null,
      revokeReason: null,
    });
    await this.sessions.insert(session);
    await this.refreshTokens.insert({ jti: session.refreshJti, sessionId: session.id, issuedAt: now, rotatedAt: null });
    return session;
  }

  /**
   * RFC 9700 §4.14.2: refresh tokens rotate, and a rotated one coming back
   * means it leaked, so the session dies. A compare-and-swap on
   * `sessions.refresh_jti` lets exactly one of several concurrent refreshes
   * rotate; the others, and any retry within REFRESH_REUSE_GRACE, get the
   * session's current token instead of a fork (SPEC §5).
   */
  async rotate(sessionId: string, jti: string, deviceId: string | null, now = Date.now()): Promise<RotationResult> {
    const record = await this.refreshTokens.findOneBy({ jti });
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!record || !session || record.sessionId !== session.id) {
      throw new AppException(ErrorCode.TOKEN_INVALID, 'The token is not valid');
    }
    // SPEC §5: a session created with a device id refreshes only from that device; a missing id counts as
    // another. A refresh token copied elsewhere is then useless (RFC 9700 §4.14, sender-constrained tokens).
    // Checked before anything is written, so a refused refresh rotates nothing.
    if (session.deviceId && session.deviceId !== deviceId) {
      throw new AppException(ErrorCode.TOKEN_INVALID, 'The token is not valid');
    }
    this.assertUsable(session, now);
    if (session.refreshJti === jti && (await this.swap(session, now))) {
      return { outcome: 'rotated', session };
    }
    const current = await this.sessions.findOneByOrFail({ id: sessionId });
    this.assertUsable(current, now);
    // A null rotated_at is a rotation still in flight on another request: it happened just now.
    const rotatedAt = (await this.refreshTokens.findOneBy({ jti }))?.rotatedAt ?? now;
    if (now - rotatedAt <= this.jwt.refreshReuseGrace * 1000) {
      return { outcome: 'grace', session: current };
    }
    await this.revoke([current.id], 'refresh_reuse', now);
    return { outcome: 'reused', session: current };
  }

  findById(id: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id });
  }

  /** Marks sessions revoked in the database and in this instance's revocation set at once. */
  async revoke(ids: string[], reason: RevokeReason, now = Date.now()): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await this.sessions.update({ id: In(ids), revokedAt: IsNull() }, { revokedAt: now, revokeReason: reason });
    this.revocation.markRevoked(ids, now);
  }

  /** Every live session of a user, but `exceptId` (the caller's own, for a password change). */
  async revokeAllForUser(userId: number, reason: RevokeReason, exceptId?: string, now = Date.now()): Promise<string[]> {
    const live = await this.sessions.find({
      select: { id: true },
      where: { userId, revokedAt: IsNull(), ...(exceptId ? { id: Not(exceptId) } : {}) },
    });
    const ids = live.map((s) => s.id);
    await this.revoke(ids, reason, now);
    return ids;
  }

  /** Sliding expiry (SPEC §5): JWT_REFRESH_TTL from now, never past SESSION_MAX_AGE from login. */
  private slidingExpiry(createdAt: number, now: number): number {
    return Math.min(now + this.jwt.refreshTtl * 1000, createdAt + this.jwt.sessionMaxAge * 1000);
  }

  private assertUsable(session: Session, now: number): void {
    if (session.revokedAt !== null) {
      throw new AppException(ErrorCode.TOKEN_REVOKED, 'The session has been revoked');
    }
    if (session.expiresAt <= now) {
      throw new AppException(ErrorCode.TOKEN_EXPIRED, 'The session has expired');
    }
  }

  /** The winner of the race inserts the successor, swaps it in, then stamps the old token rotated. */
  private async swap(session: Session, now: number): Promise<boolean> {
    const oldJti = session.refreshJti;
    const next = { jti: randomUUID(), sessionId: session.id, issuedAt: now, rotatedAt: null };
    // Inserted first so a client handed the new token by a concurrent request can use it at once.
    await this.refreshTokens.insert(next);
    const expiresAt = this.slidingExpiry(session.createdAt, now);
    const result = await this.sessions.update(
      { id: session.id, refreshJti: oldJti, revokedAt: IsNull() },
      { refreshJti: next.jti, refreshIssuedAt: now, expiresAt, lastUsedAt: now },
    );
    if (result.affected !== 1) {
      await this.refreshTokens.delete({ jti: next.jti });
      return false;
    }
    await this.refreshTokens.update({ jti: oldJti }, { rotatedAt: now });
    Object.assign(session, { refreshJti: next.jti, refreshIssuedAt: now, expiresAt, lastUsedAt: now });
    return true;
  }
}
