import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import type { AdminUserDetailDto } from '#src/admin/dto/admin-user-detail.dto.js';
import type { AdminUserViewDto } from '#src/admin/dto/admin-user-view.dto.js';
import type { UpdateUserDto } from '#src/admin/dto/update-user.dto.js';
import {
  AppException,
  CoreAudit,
  AuditService,
  type AuthUser,
  Clock,
  CoreErrors,
  type RequestContext,
  type KeysetPage,
  SessionsService,
  UserSessionsService,
  ThrottlingService,
  User,
  canonicalEmail,
  UsersService,
} from '#src/platform/index.js';

/** `%`, `_` and the escape character itself match literally in a search. */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** User administration; every change is audited with the acting admin's id. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly usersService: UsersService,
    private readonly sessions: SessionsService,
    private readonly userSessions: UserSessionsService,
    private readonly audit: AuditService,
    private readonly throttling: ThrottlingService,
    private readonly clock: Clock,
  ) {}

  /** Totals by search text (`''` for none), each with the time it was counted: see `total()`. */
  private readonly totals = new Map<string, { total: number; countedAt: number }>();

  /**
   * Ordered by id, so pages are stable while users register. `q` matches part of the username, name, phone or
   * email; a whole phone number typed nationally (`13800138000`) or in E.164 finds its owner too. `after` reads by
   * keyset (`WHERE id > :after`, an index seek at any depth); without it `page` skips rows as before. Both read
   * `pageSize + 1` rows: the extra one says whether another page exists (`next_after`) without a count.
   */
  async list(
    q: string | undefined,
    position: { page: number; after?: number },
    pageSize: number,
  ): Promise<KeysetPage<AdminUserViewDto>> {
    const query = this.users.createQueryBuilder('u').orderBy('u.id', 'ASC');
    if (q) {
      query.where(
        "(u.username_normalized LIKE :q ESCAPE '!' OR LOWER(u.name) LIKE :q ESCAPE '!' OR u.phone LIKE :q ESCAPE '!'" +
          " OR u.email_normalized LIKE :email ESCAPE '!' OR u.phone = :phone)",
        { q: likePattern(q), email: likePattern(canonicalEmail(q)), phone: this.usersService.phoneOrNull(q) ?? '' },
      );
    }
    const rowsQuery = query.clone();
    if (position.after !== undefined) {
      rowsQuery.andWhere('u.id > :after', { after: position.after });
    } else {
      // No joins here, so plain LIMIT/OFFSET: page 1,000 skips ~20,000 primary-key entries, a few ms.
      rowsQuery.offset((position.page - 1) * pageSize);
    }
    const [rows, total] = await Promise.all([rowsQuery.limit(pageSize + 1).getMany(), this.total(q ?? '', query)]);
    const items = rows.slice(0, pageSize);
    return {
      items: items.map((row) => AdminUsersService.toView(row)),
      page: position.after !== undefined ? 1 : position.page,
      page_size: pageSize,
      total,
      next_after: rows.length > pageSize ? items[items.length - 1].id : null,
    };
  }

  /**
   * The count behind `total`, kept per search text and instance for `TOTAL_TTL_MS`. COUNT(*) was the cost of every
   * page (issue 27: ~43 ms over 100,000 users on MariaDB, where the keyset read itself takes ~1.5 ms), and the
   * pager only needs it roughly: a few seconds old is fine for "about how many", while the rows themselves and
   * `next_after` are always read fresh, so a user who registers meanwhile never shifts or hides a row. Keyed by
   * `q` as the DTO trimmed it, not lowercased: the email match NFKC-normalizes before lowercasing, so two spellings
   * differing only in case could in rare cases match different rows. Bounded, oldest entry out first.
   */
  private async total(key: string, query: SelectQueryBuilder<User>): Promise<number> {
    const now = this.clock.now();
    const cached = this.totals.get(key);
    if (cached && now - cached.countedAt < AdminUsersService.TOTAL_TTL_MS) {
      return cached.total;
    }
    // COUNT(*), not getManyAndCount's COUNT(DISTINCT id): at 100,000 users the distinct count alone took 17 ms on
    // SQLite, where COUNT(*) reads the smallest index in under 1 ms.
    const counted = await query.clone().orderBy().select('COUNT(*)', 'total').getRawOne<{ total: number | string }>();
    const total = Number(counted?.total ?? 0);
    this.totals.delete(key);
    if (this.totals.size >= AdminUsersService.TOTALS_MAX) {
      this.totals.delete(this.totals.keys().next().value as string);
    }
    this.totals.set(key, { total, countedAt: now });
    return total;
  }

  /** How long a counted `total` is reused (documented on the list's answer). */
  static readonly TOTAL_TTL_MS = 10_000;
  /** At most this many search texts keep a total: a bounded map, so searching cannot grow memory. */
  private static readonly TOTALS_MAX = 1000;

  async update(admin: AuthUser, id: number, dto: UpdateUserDto, ctx: RequestContext): Promise<AdminUserViewDto> {
    const user = await this.getOrThrow(id);
    if (user.id === admin.userId && (dto.disabled === true || (dto.role && dto.role !== user.role))) {
      // Keeps the last admin from locking everyone out by accident.
      throw new AppException(CoreErrors.FORBIDDEN, 'Admins cannot disable or demote their own account');
    }
    const changes: string[] = [];
    if (dto.role !== undefined && dto.role !== user.role) {
      changes.push(`role ${user.role}->${dto.role}`);
      user.role = dto.role;
    }
    if (dto.disabled !== undefined && dto.disabled !== user.disabled) {
      changes.push(dto.disabled ? 'disabled' : 'enabled');
      user.disabled = dto.disabled;
    }
    if (changes.length > 0) {
      // Read here, written by UsersService, the one writer of `users`.
      user.updatedAt = await this.usersService.setRoleAndStatus(id, { role: user.role, disabled: user.disabled });
      // A role lives in the access token until it expires: end the sessions so the change bites now.
      await this.sessions.revokeAllForUser(id, user.disabled ? 'disabled' : 'admin');
      await this.record(admin, user, `update: ${changes.join(', ')}`, ctx);
    }
    return AdminUsersService.toView(user);
  }

  /** The console's user page: the admin view with the user's live sessions and every device they used. */
  async detail(id: number): Promise<AdminUserDetailDto> {
    const user = await this.getOrThrow(id);
    const [sessions, devices] = await Promise.all([
      this.userSessions.listFor(id, null),
      this.userSessions.devicesOf(id),
    ]);
    return {
      ...AdminUsersService.toView(user),
      sessions,
      devices: devices.map((d) => ({
        device_id: d.deviceId,
        device_name: d.deviceName,
        first_seen_at: new Date(d.firstSeenAt).toISOString(),
        last_seen_at: new Date(d.lastSeenAt).toISOString(),
      })),
    };
  }

  /** Ends one session of the user; a session of another user answers 404 (OWASP ASVS 5.0 V8.2.2). */
  async revokeSession(admin: AuthUser, id: number, sessionId: string, ctx: RequestContext): Promise<null> {
    const user = await this.getOrThrow(id);
    await this.userSessions.revokeOf(user.id, sessionId);
    await this.record(admin, user, `revoke-session ${sessionId}`, ctx);
    return null;
  }

  async revokeSessions(admin: AuthUser, id: number, ctx: RequestContext): Promise<{ revoked: number }> {
    const user = await this.getOrThrow(id);
    const ids = await this.sessions.revokeAllForUser(id, 'admin');
    await this.record(admin, user, `revoke-sessions: ${ids.length}`, ctx);
    return { revoked: ids.length };
  }

  /** Lifts every login lockout of the account (its counters are keyed by user id), from every IP. */
  async unlock(admin: AuthUser, id: number, ctx: RequestContext): Promise<null> {
    const user = await this.getOrThrow(id);
    await this.throttling.resetAccount(user.id);
    await this.record(admin, user, 'unlock', ctx);
    return null;
  }

  async getOrThrow(id: number): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) {
      throw new AppException(CoreErrors.NOT_FOUND, 'User not found');
    }
    return user;
  }

  record(admin: AuthUser, target: User, action: string, ctx: RequestContext): Promise<void> {
    return this.audit.record({
      type: CoreAudit.admin_action,
      userId: admin.userId,
      identifier: target.username,
      sessionId: admin.sessionId,
      reason: `user ${target.id} ${action}`,
      ctx,
    });
  }

  static toView(user: User): AdminUserViewDto {
    return {
      ...UsersService.toProfile(user),
      disabled: user.disabled,
      updated_at: new Date(user.updatedAt).toISOString(),
    };
  }
}
