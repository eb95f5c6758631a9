import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { normalizePhone } from '#src/common/validation/phone.js';
import appConfig from '#src/config/app.config.js';
import { isUniqueViolation, uniqueViolationDetail } from '#src/database/database-errors.js';
import { AppException } from '#src/common/app.exception.js';
import { Clock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { UserProfileDto } from '#src/users/dto/user-profile.dto.js';
import { canonicalEmail, canonicalUsername } from '#src/users/canonical.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { User } from '#src/users/entities/user.entity.js';
import { ProfileCache } from '#src/users/profile-cache.service.js';
import { BuiltInRoles } from '#src/common/role-registry.js';

export interface NewUser {
  username: string;
  passwordHash: string;
  phone?: string | null;
  email?: string | null;
  /** Set when a code sent to the phone already proved it (code sign-up). */
  phoneVerified?: boolean;
  name?: string | null;
  role?: string;
}

/** Either identifier a user logs in with. */
export type Identifier = { username: string } | { phone: string } | { email: string };

export type Contact = 'phone' | 'email';

@Injectable()
export class UsersService {
  /** Column → the SELECT of one user by it, built on first use (see `findOneByUnique`). */
  private readonly selectByColumn = new Map<string, string>();

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
    private readonly clock: Clock,
    private readonly profiles: ProfileCache,
  ) {}

  /**
   * Inserts and lets the unique indexes decide: two racing registrations of
   * one name cannot both win, and the loser gets 409, never 500.
   */
  async create(input: NewUser): Promise<User> {
    const now = this.clock.now();
    const username = input.username.trim();
    const user = this.users.create({
      username,
      usernameNormalized: canonicalUsername(username),
      phone: input.phone ? this.toE164(input.phone) : null,
      email: input.email ? input.email.trim() : null,
      emailNormalized: input.email ? canonicalEmail(input.email) : null,
      phoneVerified: input.phoneVerified ?? false,
      emailVerified: false,
      name: input.name?.trim() || username,
      passwordHash: input.passwordHash,
      role: input.role ?? BuiltInRoles.user,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.users.insert(user);
    } catch (e) {
      throw UsersService.conflictFrom(e);
    }
    this.profiles.changed(user.id);
    return user;
  }

  findById(id: number): Promise<User | null> {
    return this.findOneByUnique('id', id);
  }

  async findByIdentifier(identifier: Identifier): Promise<User | null> {
    if ('phone' in identifier) {
      const phone = normalizePhone(identifier.phone, this.config.defaultPhoneRegion);
      return phone ? this.findOneByUnique('phone', phone) : null;
    }
    if ('email' in identifier) {
      return this.findOneByUnique('emailNormalized', canonicalEmail(identifier.email));
    }
    return this.findOneByUnique('usernameNormalized', canonicalUsername(identifier.username));
  }

  /** From the per-instance cache when fresh (SPEC §10), else one SELECT whose answer is cached. */
  async getProfile(id: number): Promise<UserProfileDto> {
    const cached = this.profiles.get(id);
    if (cached) {
      return cached;
    }
    const read = this.profiles.begin();
    const user = await this.findById(id);
    if (!user) {
      throw new AppException(CoreErrors.NOT_FOUND, 'User not found');
    }
    const profile = UsersService.toProfile(user);
    this.profiles.set(id, profile, read);
    return profile;
  }

  /**
   * One row by a unique, indexed column (the primary key, the normalised username or email, the phone). Issue 16:
   * `findOneBy` rebuilt its SELECT (aliases, escaping, property-name regular expressions) on every call, about
   * 170 µs of each `/users/me` in a profile, several times the query itself. The statement is built once per column
   * from the entity's metadata, and the row is hydrated by the driver as TypeORM does it (types, transformers).
   */
  private async findOneByUnique(
    property: 'id' | 'usernameNormalized' | 'emailNormalized' | 'phone',
    value: number | string,
  ): Promise<User | null> {
    const { metadata } = this.users;
    const { driver } = this.users.manager.connection;
    let sql = this.selectByColumn.get(property);
    if (sql === undefined) {
      const where = metadata.findColumnWithPropertyName(property)!.databaseName;
      const columns = metadata.columns.map((column) => driver.escape(column.databaseName)).join(', ');
      sql = `SELECT ${columns} FROM ${driver.escape(metadata.tableName)} WHERE ${driver.escape(where)} = ? LIMIT 1`;
      this.selectByColumn.set(property, sql);
    }
    const rows = await this.users.query<Array<Record<string, unknown>>>(sql, [value]);
    if (rows.length === 0) {
      return null;
    }
    const user = metadata.create() as User;
    for (const column of metadata.columns) {
      column.setEntityValue(user, driver.prepareHydratedValue(rows[0][column.databaseName], column));
    }
    return user;
  }

  async updateName(id: number, name: string): Promise<UserProfileDto> {
    await this.users.update({ id }, { name: name.trim(), updatedAt: this.clock.now() });
    this.profiles.changed(id);
    return this.getProfile(id);
  }

  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash, updatedAt: this.clock.now() });
    this.profiles.changed(id);
  }

  /**
   * SPEC §6: the rehash after a login replaces only the hash that login verified
   * (`UPDATE … WHERE id = ? AND password_hash = ?`), so a password changed in the
   * meantime is never overwritten with a hash of the old one. Answers whether it replaced it.
   */
  async replacePasswordHash(id: number, verified: string, passwordHash: string): Promise<boolean> {
    const result = await this.users.update(
      { id, passwordHash: verified },
      { passwordHash, updatedAt: this.clock.now() },
    );
    this.profiles.changed(id);
    return (result.affected ?? 0) > 0;
  }

  /** A code sent to this contact came back (SPEC §12): it is proven. */
  async markContactVerified(id: number, contact: Contact): Promise<void> {
    const flag = contact === 'phone' ? { phoneVerified: true } : { emailVerified: true };
    await this.users.update({ id }, { ...flag, updatedAt: this.clock.now() });
    this.profiles.changed(id);
  }

  /**
   * Sets a proven contact on the account. Another account holding it unverified loses it (its id is returned
   * for the audit trail); one holding it verified keeps it, and the caller gets 409. One transaction, and the
   * unique index still decides a race.
   */
  async claimContact(id: number, contact: Contact, value: string): Promise<{ takenFrom: number | null }> {
    const column = contact === 'phone' ? 'phone' : 'emailNormalized';
    const key = contact === 'phone' ? value : canonicalEmail(value);
    try {
      const claimed = await this.users.manager.transaction(async (manager) => {
        const repo = manager.getRepository(User);
        const holder = await repo.findOneBy({ [column]: key });
        let takenFrom: number | null = null;
        if (holder && holder.id !== id) {
          if (contact === 'phone' ? holder.phoneVerified : holder.emailVerified) {
            throw UsersService.taken(contact);
          }
          const cleared =
            contact === 'phone'
              ? { phone: null, phoneVerified: false }
              : { email: null, emailNormalized: null, emailVerified: false };
          await repo.update({ id: holder.id }, { ...cleared, updatedAt: this.clock.now() });
          takenFrom = holder.id;
        }
        const set =
          contact === 'phone'
            ? { phone: key, phoneVerified: true }
            : { email: value.trim(), emailNormalized: key, emailVerified: true };
        await repo.update({ id }, { ...set, updatedAt: this.clock.now() });
        return { takenFrom };
      });
      // After the commit: a read between the two would otherwise cache the rows as they were.
      this.profiles.changed(...(claimed.takenFrom === null ? [id] : [id, claimed.takenFrom]));
      return claimed;
    } catch (e) {
      throw UsersService.conflictFrom(e);
    }
  }

  static taken(contact: Contact): AppException {
    return contact === 'phone' ? new AppException(CoreErrors.PHONE_TAKEN) : new AppException(CoreErrors.EMAIL_TAKEN);
  }

  /** E.164 of a phone number typed nationally or in E.164, or null when `raw` is not one. */
  phoneOrNull(raw: string): string | null {
    return normalizePhone(raw, this.config.defaultPhoneRegion);
  }

  toE164(phone: string): string {
    const e164 = normalizePhone(phone, this.config.defaultPhoneRegion);
    if (!e164) {
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'phone', rule: 'phone', params: { region: this.config.defaultPhoneRegion } }],
      });
    }
    return e164;
  }

  static toProfile(user: User): UserProfileDto {
    return {
      id: user.id,
      username: user.username,
      name: user.name,
      phone: user.phone,
      phone_verified: user.phoneVerified,
      email: user.email,
      email_verified: user.emailVerified,
      role: user.role,
      mfa_enabled: user.totpEnabled,
      has_password: PasswordService.isUsableHash(user.passwordHash),
      created_at: new Date(user.createdAt).toISOString(),
    };
  }

  private static conflictFrom(e: unknown): unknown {
    if (!isUniqueViolation(e)) {
      return e;
    }
    const detail = uniqueViolationDetail(e);
    if (/email_normalized'?$/.test(detail)) {
      return new AppException(CoreErrors.EMAIL_TAKEN);
    }
    return /phone/i.test(detail)
      ? new AppException(CoreErrors.PHONE_TAKEN)
      : new AppException(CoreErrors.USERNAME_TAKEN);
  }

  // UsersService is the one writer of `users` (STYLE 12): admin and MFA change rows through the methods below.

  /** An admin's change of role or status; answers the new `updated_at`. */
  async setRoleAndStatus(id: number, changes: { role: string; disabled: boolean }): Promise<number> {
    const updatedAt = this.clock.now();
    await this.users.update({ id }, { ...changes, updatedAt });
    this.profiles.changed(id);
    return updatedAt;
  }

  /** Stores a sealed TOTP secret as the user's pending one, unless TOTP is already on. */
  async setPendingTotpSecret(id: number, sealedSecret: string): Promise<void> {
    await this.users.update(
      { id, totpEnabled: false },
      { totpSecret: sealedSecret, totpLastStep: null, updatedAt: this.clock.now() },
    );
    // No profile field changes (a pending secret is not `mfa_enabled`): nothing to invalidate or publish.
  }

  /** Claims a TOTP time step once: false when it, or a later one, was already accepted (RFC 6238 §5.2 replay). */
  async claimTotpStep(id: number, step: number): Promise<boolean> {
    const claimed = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ totpLastStep: step })
      .where('id = :id', { id })
      .andWhere('(totp_last_step IS NULL OR totp_last_step < :step)', { step })
      .execute();
    // The last step is no profile field: a TOTP login publishes no cache invalidation to every instance.
    return claimed.affected === 1;
  }

  /** Turns the pending secret on; false when it was already on (a concurrent enable won). */
  async enableTotp(id: number): Promise<boolean> {
    const result = await this.users.update(
      { id, totpEnabled: false },
      { totpEnabled: true, updatedAt: this.clock.now() },
    );
    this.profiles.changed(id);
    return result.affected === 1;
  }

  async disableTotp(id: number): Promise<void> {
    await this.users.update(
      { id },
      { totpEnabled: false, totpSecret: null, totpLastStep: null, updatedAt: this.clock.now() },
    );
    this.profiles.changed(id);
  }
}
