import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import { normalizePhone } from '#src/common/validation/phone.js';
import appConfig from '#src/config/app.config.js';
import { isUniqueViolation, uniqueViolationDetail } from '#src/database/database-errors.js';
import type { UserProfileDto } from '#src/users/dto/user-profile.dto.js';
import { Role, User } from '#src/users/entities/user.entity.js';

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

/** SPEC §4: emails are trimmed and unique without regard to case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  /**
   * Inserts and lets the unique indexes decide: two racing registrations of
   * one name cannot both win, and the loser gets 409, never 500.
   */
  async create(input: NewUser): Promise<User> {
    const now = Date.now();
    const username = input.username.trim();
    const user = this.users.create({
      username,
      usernameNormalized: username.toLowerCase(),
      phone: input.phone ? this.toE164(input.phone) : null,
      email: input.email ? input.email.trim() : null,
      emailNormalized: input.email ? normalizeEmail(input.email) : null,
      phoneVerified: input.phoneVerified ?? false,
      emailVerified: false,
      name: input.name?.trim() || username,
      passwordHash: input.passwordHash,
      role: input.role ?? Role.User,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.users.insert(user);
    } catch (e) {
      throw UsersService.conflictFrom(e);
    }
    return user;
  }

  findById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async findByIdentifier(identifier: Identifier): Promise<User | null> {
    if ('phone' in identifier) {
      const phone = normalizePhone(identifier.phone, this.config.defaultPhoneRegion);
      return phone ? this.users.findOneBy({ phone }) : null;
    }
    if ('email' in identifier) {
      return this.users.findOneBy({ emailNormalized: normalizeEmail(identifier.email) });
    }
    return this.users.findOneBy({ usernameNormalized: identifier.username.trim().toLowerCase() });
  }

  async getProfile(id: number): Promise<UserProfileDto> {
    const user = await this.users.findOneBy({ id });
    if (!user) {
      throw new AppException(ErrorCode.NOT_FOUND, 'User not found');
    }
    return UsersService.toProfile(user);
  }

  async updateName(id: number, name: string): Promise<UserProfileDto> {
    await this.users.update({ id }, { name: name.trim(), updatedAt: Date.now() });
    return this.getProfile(id);
  }

  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash, updatedAt: Date.now() });
  }

  /** A code sent to this contact came back (SPEC §12): it is proven. */
  async markContactVerified(id: number, contact: Contact): Promise<void> {
    const flag = contact === 'phone' ? { phoneVerified: true } : { emailVerified: true };
    await this.users.update({ id }, { ...flag, updatedAt: Date.now() });
  }

  /**
   * Sets a proven contact on the account. Another account holding it unverified loses it (its id is returned
   * for the audit trail); one holding it verified keeps it, and the caller gets 409. One transaction, and the
   * unique index still decides a race.
   */
  async claimContact(id: number, contact: Contact, value: string): Promise<{ takenFrom: number | null }> {
    const column = contact === 'phone' ? 'phone' : 'emailNormalized';
    const key = contact === 'phone' ? value : normalizeEmail(value);
    try {
      return await this.users.manager.transaction(async (manager) => {
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
          await repo.update({ id: holder.id }, { ...cleared, updatedAt: Date.now() });
          takenFrom = holder.id;
        }
        const set =
          contact === 'phone'
            ? { phone: key, phoneVerified: true }
            : { email: value.trim(), emailNormalized: key, emailVerified: true };
        await repo.update({ id }, { ...set, updatedAt: Date.now() });
        return { takenFrom };
      });
    } catch (e) {
      throw UsersService.conflictFrom(e);
    }
  }

  static taken(contact: Contact): AppException {
    return contact === 'phone'
      ? new AppException(ErrorCode.PHONE_TAKEN, 'That phone number is already registered')
      : new AppException(ErrorCode.EMAIL_TAKEN, 'That email address is already registered');
  }

  toE164(phone: string): string {
    const e164 = normalizePhone(phone, this.config.defaultPhoneRegion);
    if (!e164) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', {
        errors: [{ field: 'phone', message: 'phone must be a valid phone number' }],
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
      created_at: new Date(user.createdAt).toISOString(),
    };
  }

  private static conflictFrom(e: unknown): unknown {
    if (!isUniqueViolation(e)) {
      return e;
    }
    const detail = uniqueViolationDetail(e);
    if (/email_normalized'?$/.test(detail)) {
      return new AppException(ErrorCode.EMAIL_TAKEN, 'That email address is already registered');
    }
    return /phone/i.test(detail)
      ? new AppException(ErrorCode.PHONE_TAKEN, 'That phone number is already registered')
      : new AppException(ErrorCode.USERNAME_TAKEN, 'That username is taken');
  }
}
