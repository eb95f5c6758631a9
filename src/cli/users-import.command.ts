import { CoreAudit } from '#src/audit/audit-event-type.js';
import { CliError, describeError } from '#src/cli/cli-error.js';
import type { CliServices } from '#src/cli/cli.module.js';
import importConfig, { type ImportLimits, type Range } from '#src/cli/import.config.js';
import { profileErrors } from '#src/cli/user-fields.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import { isDatabaseUnavailable } from '#src/database/database-errors.js';
import { canonicalEmail, canonicalUsername } from '#src/users/canonical.js';
import { BuiltInRoles } from '#src/common/role-registry.js';

export interface ImportRecord {
  username: string;
  password_hash: string;
  phone?: string;
  email?: string;
  name?: string;
  role?: string;
}

export interface SkippedRecord {
  /** Position in the file's array, from 0 (as `jq '.[i]'` counts). */
  index: number;
  /** The record's username when it has a readable one. */
  username?: string;
  reason: string;
}

export interface ImportResult {
  /** Records written, or that would be written with `dryRun`. */
  imported: number;
  skipped: SkippedRecord[];
  /** Field names outside the format, ignored, each once and sorted (exports carry `created_at`, `last_login`, …). */
  ignoredFields: string[];
  dryRun: boolean;
}

export interface ImportOptions {
  /** Checks every record, duplicates included, and writes nothing. */
  dryRun?: boolean;
  limits?: ImportLimits;
}

const FIELDS = ['username', 'password_hash', 'phone', 'email', 'name', 'role'] as const;
const OPTIONAL_FIELDS = ['phone', 'email', 'name', 'role'] as const;
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
/** PHC string format; `v=` is absent from hashes made by Argon2 1.0. */
const ARGON2 =
  /^\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,10})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const HASH_MAX = 255;

/** The file must hold a JSON array; anything else stops the import before a row is written. */
export function parseImportFile(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CliError(`the file is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new CliError('the file must hold a JSON array of {username, password_hash, phone?, email?, name?, role?}');
  }
  return parsed;
}

/**
 * `users:import`: stores each record's existing hash as-is (AuthService
 * upgrades it to Argon2id at the user's next login, SPEC §6). A bad record
 * or a duplicate is reported and skipped; it never aborts the rest.
 */
export async function importUsers(
  services: CliServices,
  records: unknown[],
  { dryRun = false, limits = importConfig() }: ImportOptions = {},
): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, skipped: [], ignoredFields: [], dryRun };
  const ignored = new Set<string>();
  const seen: Seen = { usernames: new Set(), phones: new Set(), emails: new Set() };
  for (const [index, raw] of records.entries()) {
    const username = readableUsername(raw);
    const record = recordOf(raw, ignored);
    const reason =
      (record ? recordError(services, record, limits) : 'not an object') ??
      (await (dryRun ? check : insert)(services, record as unknown as ImportRecord, seen));
    if (reason) {
      result.skipped.push({ index, ...(username === undefined ? {} : { username }), reason });
    } else {
      result.imported += 1;
    }
  }
  result.ignoredFields = [...ignored].sort();
  return result;
}

/** The record with only the known fields; the names of the others are collected, never their values. */
function recordOf(raw: unknown, ignored: Set<string>): Record<string, unknown> | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return null;
  }
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((FIELDS as readonly string[]).includes(key)) {
      record[key] = value;
    } else {
      ignored.add(key);
    }
  }
  return record;
}

/** Why the record cannot be imported, or null when it is well-formed. */
function recordError(services: CliServices, record: Record<string, unknown>, limits: ImportLimits): string | null {
  if (typeof record.username !== 'string') {
    return 'username must be a string';
  }
  const hashProblem = hashError(record.password_hash, limits);
  if (hashProblem) {
    return hashProblem;
  }
  const wrongType = OPTIONAL_FIELDS.find((key) => record[key] !== undefined && typeof record[key] !== 'string');
  if (wrongType) {
    return `${wrongType} must be a string`;
  }
  const errors = profileErrors(services.users, record as unknown as ImportRecord);
  return errors.length > 0 ? errors.join('; ') : null;
}

function hashError(hash: unknown, limits: ImportLimits): string | null {
  if (typeof hash !== 'string') {
    return 'password_hash must be a string';
  }
  const bcrypt = hash.length <= HASH_MAX ? BCRYPT.exec(hash) : null;
  if (bcrypt) {
    return outOfRange('bcrypt cost', Number(bcrypt[1]), limits.bcryptCost);
  }
  const argon2 = hash.length <= HASH_MAX ? ARGON2.exec(hash) : null;
  if (argon2) {
    return (
      outOfRange('Argon2 memory (KiB)', Number(argon2[1]), limits.argon2MemoryKib) ??
      outOfRange('Argon2 time cost', Number(argon2[2]), limits.argon2TimeCost) ??
      outOfRange('Argon2 parallelism', Number(argon2[3]), limits.argon2Parallelism)
    );
  }
  return 'password_hash must be a bcrypt ($2a$, $2b$, $2y$) or Argon2 ($argon2id$, $argon2i$, $argon2d$) hash';
}

function outOfRange(what: string, value: number, { min, max }: Range): string | null {
  return value < min || value > max ? `${what} ${value} is outside the accepted ${min}–${max}` : null;
}

interface Seen {
  usernames: Set<string>;
  phones: Set<string>;
  emails: Set<string>;
}

/** What `insert` would answer, without writing: existing users and earlier records of the same file clash. */
async function check(services: CliServices, record: ImportRecord, seen: Seen): Promise<string | null> {
  const clash = (await existingClash(services, record)) ?? seenClash(services, record, seen);
  if (clash) {
    return clash;
  }
  seen.usernames.add(canonicalUsername(record.username));
  if (record.phone !== undefined) {
    seen.phones.add(services.users.toE164(record.phone));
  }
  if (record.email !== undefined) {
    seen.emails.add(canonicalEmail(record.email));
  }
  return null;
}

function seenClash({ users }: CliServices, record: ImportRecord, seen: Seen): string | null {
  if (seen.usernames.has(canonicalUsername(record.username))) {
    return 'username already exists';
  }
  if (record.phone !== undefined && seen.phones.has(users.toE164(record.phone))) {
    return 'phone already registered';
  }
  if (record.email !== undefined && seen.emails.has(canonicalEmail(record.email))) {
    return 'email already registered';
  }
  return null;
}

/** Inserts the record; a clash with an existing or earlier user is a reason, a database outage stops the run. */
async function insert(services: CliServices, record: ImportRecord): Promise<string | null> {
  try {
    // Looked up first so the usual duplicate is not a failed INSERT; the unique indexes still decide a race.
    const clash = await existingClash(services, record);
    if (clash) {
      return clash;
    }
    const user = await services.users.create({
      username: record.username,
      passwordHash: record.password_hash,
      phone: record.phone,
      // Stored unverified (UsersService.create): an import proves nothing about who reads the mailbox (SPEC §12).
      email: record.email,
      name: record.name,
      role: record.role ?? BuiltInRoles.user,
    });
    await services.audit.record({
      type: CoreAudit.admin_action,
      userId: user.id,
      identifier: user.username,
      reason: 'cli users:import',
    });
    return null;
  } catch (e) {
    if (isDatabaseUnavailable(e)) {
      throw e;
    }
    if (e instanceof AppException && e.code === CoreErrors.USERNAME_TAKEN.code) {
      return 'username already exists';
    }
    if (e instanceof AppException && e.code === CoreErrors.PHONE_TAKEN.code) {
      return 'phone already registered';
    }
    if (e instanceof AppException && e.code === CoreErrors.EMAIL_TAKEN.code) {
      return 'email already registered';
    }
    return describeError(e);
  }
}

async function existingClash({ users }: CliServices, record: ImportRecord): Promise<string | null> {
  if (await users.findByIdentifier({ username: record.username })) {
    return 'username already exists';
  }
  if (record.phone !== undefined && (await users.findByIdentifier({ phone: record.phone }))) {
    return 'phone already registered';
  }
  if (record.email !== undefined && (await users.findByIdentifier({ email: record.email }))) {
    return 'email already registered';
  }
  return null;
}

function readableUsername(raw: unknown): string | undefined {
  const username = (raw as { username?: unknown } | null)?.username;
  return typeof username === 'string' && username.length <= 100 ? username.trim() : undefined;
}
