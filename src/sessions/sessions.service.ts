import { PrebuiltInsert } from '#src/database/prebuilt-insert.js';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, Not, Repository } from 'typeorm';
import { AppException } from '#src/common/app.exception.js';
import { Clock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
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
  | 'password_reset'
  | 'contact_change'
  | 'account_reclaimed';

/** The few calls of better-sqlite3's connection the rotation uses (the package ships no typings). */
interface SqliteConnection {
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  transaction<T>(work: () => T): () => T;
}

/** One statement of the rotation transaction, in SQL both SQLite and MySQL read. */
type Statement = [sql: string, params: unknown[]];

export interface RotationResult {
  /**
   * `rotated`: this request made the successor; `grace`: the same client's retry or race, moments after a
   * rotation; `reused`: the session is now revoked.
   */
  outcome: 'rotated' | 'grace' | 'reused';
  session: Session;
}

@Injectable()
export class SessionsService {
  private readonly insertSession: PrebuiltInsert<Session>;
  private readonly insertRefreshToken: PrebuiltInsert<RefreshToken>;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    private readonly revocation: RevocationService,
    @Inject(jwtConfig.KEY) private readonly jwt: ConfigType<typeof jwtConfig>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.insertSession = new PrebuiltInsert(sessions);
    this.insertRefreshToken = new PrebuiltInsert(refreshTokens);
  }

  async create(userId: number, ctx: RequestContext, now = this.clock.now()): Promise<Session> {
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
      accessExpiresAt: this.accessExpiry(now),
      revokedAt: null,
      revokeReason: null,
    });
    // Two prebuilt statements (issue 29). Not merged into one transaction: that would add BEGIN and COMMIT round
    // trips, and a session without its token row only fails its first refresh, which answers 401.
    await this.insertSession.insert(session);
    await this.insertRefreshToken.insert({
      jti: session.refreshJti,
      sessionId: session.id,
      issuedAt: now,
      rotatedAt: null,
    });
    return session;
  }

  /**
   * RFC 9700 §4.14.2: refresh tokens rotate, and a rotated one coming back
   * means it leaked, so the session dies. A compare-and-swap on
   * `sessions.refresh_jti` lets exactly one of several concurrent refreshes
   * rotate; the others, and any retry within REFRESH_REUSE_GRACE, get the
   * session's current token instead of a fork (SPEC §5).
   */
  async rotate(sessionId: string, jti: string, ctx: RequestContext, now = this.clock.now()): Promise<RotationResult> {
    const record = await this.refreshTokens.findOneBy({ jti });
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!record || !session || record.sessionId !== session.id) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
    // SPEC §5: a session created with a device id refreshes only from that device; a missing id counts as
    // another. A refresh token copied elsewhere is then useless (RFC 9700 §4.14, sender-constrained tokens).
    // Checked before anything is written, so a refused refresh rotates nothing.
    if (session.deviceId && session.deviceId !== ctx.deviceId) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
    this.assertUsable(session, now);
    if (session.refreshJti === jti && (await this.swap(session, now))) {
      return { outcome: 'rotated', session };
    }
    const current = await this.sessions.findOneByOrFail({ id: sessionId });
    this.assertUsable(current, now);
    // The swap stamps rotated_at in its transaction; a null one would be a rotation still in flight: just now.
    const rotatedAt = (await this.refreshTokens.findOneBy({ jti }))?.rotatedAt ?? now;
    // SPEC §5 (issue 15.5): the grace answer goes only to the session's own client; the same token from
    // anywhere else inside the window is a leaked one coming back (RFC 9700 §4.14.2).
    const sameClient = current.deviceId ? current.deviceId === ctx.deviceId : current.userAgent === ctx.userAgent;
    if (sameClient && now - rotatedAt <= this.jwt.refreshReuseGrace * 1000) {
      return { outcome: 'grace', session: current };
    }
    await this.revoke([current.id], 'refresh_reuse', now);
    return { outcome: 'reused', session: current };
  }

  findById(id: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id });
  }

  /** Marks sessions revoked in the database and in this instance's revocation set at once. */
  async revoke(ids: string[], reason: RevokeReason, now = this.clock.now()): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await this.sessions.update({ id: In(ids), revokedAt: IsNull() }, { revokedAt: now, revokeReason: reason });
    await this.revocation.markRevoked(ids, now);
  }

  /** Every live session of a user, but `exceptId` (the caller's own, for a password change). */
  async revokeAllForUser(
    userId: number,
    reason: RevokeReason,
    exceptId?: string,
    now = this.clock.now(),
  ): Promise<string[]> {
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

  /** The access token issued with this session state expires then; a revocation is kept at least that long. */
  private accessExpiry(now: number): number {
    return now + this.jwt.accessTtl * 1000;
  }

  private assertUsable(session: Session, now: number): void {
    if (session.revokedAt !== null) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
    if (session.expiresAt <= now) {
      throw new AppException(CoreErrors.TOKEN_EXPIRED, 'The session has expired');
    }
  }

  /**
   * One transaction (issue 15.12): the compare-and-swap on `sessions.refresh_jti`, the successor's row and the
   * old token's `rotated_at`, so a crash leaves the old state or the new one. The swap comes first: it is the
   * arbiter of concurrent refreshes, and on MySQL its row lock orders them before the child insert takes its
   * foreign-key lock on the same session (inserting first deadlocks two racers).
   */
  private async swap(session: Session, now: number): Promise<boolean> {
    const next = randomUUID();
    const expiresAt = this.slidingExpiry(session.createdAt, now);
    const accessExpiresAt = Math.max(session.accessExpiresAt ?? 0, this.accessExpiry(now));
    const cas: Statement = [
      'UPDATE sessions SET refresh_jti = ?, refresh_issued_at = ?, expires_at = ?, access_expires_at = ?, ' +
        'last_used_at = ? WHERE id = ? AND refresh_jti = ? AND revoked_at IS NULL',
      [next, now, expiresAt, accessExpiresAt, now, session.id, session.refreshJti],
    ];
    const rest: Statement[] = [
      [
        'INSERT INTO refresh_tokens (jti, session_id, issued_at, rotated_at) VALUES (?, ?, ?, NULL)',
        [next, session.id, now],
      ],
      ['UPDATE refresh_tokens SET rotated_at = ? WHERE jti = ?', [now, session.refreshJti]],
    ];
    const won = await this.transaction(cas, rest);
    if (won) {
      Object.assign(session, { refreshJti: next, refreshIssuedAt: now, expiresAt, accessExpiresAt, lastUsedAt: now });
    }
    return won;
  }

  /** Runs `cas`, and `rest` only if it changed one row, all in one transaction. False when `cas` lost. */
  private async transaction(cas: Statement, rest: Statement[]): Promise<boolean> {
    if (this.dataSource.options.type === 'better-sqlite3') {
      // TypeORM shares one connection among all requests on SQLite, so an async transaction there would take
      // in whatever other requests run between its awaits. better-sqlite3's own transaction is synchronous:
      // nothing else runs inside it, and a throw rolls it back.
      const db = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
      return db.transaction(() => {
        if (db.prepare(cas[0]).run(...cas[1]).changes !== 1) {
          return false;
        }
        for (const [sql, params] of rest) {
          db.prepare(sql).run(...params);
        }
        return true;
      })();
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const won = (await runner.query(cas[0], cas[1], true)).affected === 1;
      if (won) {
        for (const [sql, params] of rest) {
          await runner.query(sql, params);
        }
        await runner.commitTransaction();
      } else {
        await runner.rollbackTransaction();
      }
      return won;
    } catch (e) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      throw e;
    } finally {
      await runner.release();
    }
  }
}
