import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse } from '@nestjs/swagger';
import type { Role } from '#src/common/role-registry.js';

export const ROLES = 'roles';

/** Only callers whose access token carries one of these roles pass the roles step of `SecurityGuard`. */
export const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);

/**
 * The one-line way for a module to protect a route or a controller
 * (immich `@Authenticated`): a bearer token with one of `roles`.
 */
export function Auth(...roles: Role[]) {
  return applyDecorators(
    Roles(...roles),
    ApiBearerAuth(),
    ApiForbiddenResponse({ description: '`FORBIDDEN`: the caller does not have the role' }),
  );
}
