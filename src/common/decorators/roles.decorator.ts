import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '#src/common/decorators/api-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
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
    // 403 FORBIDDEN by name: a bare 403 documented every registered 403 code (CHANNEL_DISABLED on admin routes).
    ApiErrors(CoreErrors.FORBIDDEN),
  );
}
