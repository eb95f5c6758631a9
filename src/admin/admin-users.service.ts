import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
  type Page,
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

  /**
   * Ordered by id, so pages are stable while users register. `q` matches part of the username, name, phone or
   * email; a whole phone number typed nationally (`13800138000`) or in E.164 finds its owner too.
   */
  async list(q: string | undefined, page: number, pageSize: number): Promise<Page<AdminUserViewDto>> {
    const query = this.users.createQueryBuilder('u').orderBy('u.id', 'ASC');
    if (q) {
      query.where(
        "(u.username_normalized LIKE :q ESCAPE '!' OR LOWER(u.name) LIKE :q ESCAPE '!' OR u.phone LIKE :q ESCAPE '!'" +
          " OR u.email_normalized LIKE :email ESCAPE '!' OR u.phone = :phone)",
        { q: likePattern(q), email: likePattern(canonicalEmail(q)), phone: this.usersService.phoneOrNull(q) ?? '' },
      );
    }
    // COUNT(*), not getManyAndCount's COUNT(DISTINCT id): at 100,000 users the distinct count alone took 17 ms on
    // SQLite, where COUNT(*) reads the smallest index in under 1 ms (issue 27 bench: admin list p99 < 50 ms).
    // No joins here, so plain LIMIT/OFFSET: page 1,000 skips ~20,000 primary-key entries, a few ms.
    const [rows, counted] = await Promise.all([
      query
        .clone()
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getMany(),
      query.clone().orderBy().select('COUNT(*)', 'total').getRawOne<{ total: number | string }>(),
    ]);
    const total = Number(counted?.total ?? 0);
    return { items: rows.map((row) => AdminUsersService.toView(row)), page, page_size: pageSize, total };
  }

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
