import { CoreAudit } from '#src/audit/audit-event-type.js';
import { CliError } from '#src/cli/cli-error.js';
import type { CliServices } from '#src/cli/cli.module.js';
import { newPasswordError, profileErrors, type ProfileFields } from '#src/cli/user-fields.js';
import { BuiltInRoles } from '#src/common/role-registry.js';

export interface CreateUserInput extends ProfileFields {
  /** Exactly as typed: never trimmed. */
  password: string;
}

export interface CreatedUser {
  id: number;
  username: string;
  name: string;
  phone: string | null;
  email: string | null;
  role: string;
}

/**
 * `users:create`: the way to bootstrap the first admin. Applies the same rules
 * as `POST /auth/register`, plus a role; throws CliError with every broken rule.
 */
export async function createUser(services: CliServices, input: CreateUserInput): Promise<CreatedUser> {
  const { users, passwords, audit, config } = services;
  const errors = profileErrors(users, input);
  const passwordProblem = newPasswordError(input.password, input.username, config.passwordMinLength);
  if (passwordProblem) {
    errors.push(passwordProblem);
  }
  if (errors.length > 0) {
    throw new CliError(errors.join('\n'));
  }
  const phone = input.phone === undefined ? null : users.toE164(input.phone);
  // Answered before the slow hash; the unique indexes still decide a race inside create().
  if (await users.findByIdentifier({ username: input.username })) {
    throw new CliError(`username "${input.username.trim()}" is already taken`);
  }
  if (phone && (await users.findByIdentifier({ phone }))) {
    throw new CliError(`phone ${phone} is already registered`);
  }
  if (input.email !== undefined && (await users.findByIdentifier({ email: input.email }))) {
    throw new CliError(`email ${input.email.trim()} is already registered`);
  }
  const passwordHash = await passwords.hash(input.password);
  const role = input.role ?? BuiltInRoles.user;
  // Stored unverified (UsersService.create): only a code sent to it proves ownership (SPEC §12).
  const user = await users.create({
    username: input.username,
    passwordHash,
    phone,
    email: input.email,
    name: input.name,
    role,
  });
  await audit.record({
    type: CoreAudit.admin_action,
    userId: user.id,
    identifier: user.username,
    reason: `cli users:create role=${role}`,
  });
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    phone: user.phone,
    email: user.email,
    role: user.role,
  };
}
