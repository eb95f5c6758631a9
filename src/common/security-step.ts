import type { CanActivate, Provider, Type } from '@nestjs/common';

/** Marks a guard class that `SecurityGuard` runs as a hook step; the value is its order among the hooks. */
export const SECURITY_STEP = Symbol('gatehouse:security-step');

/**
 * The hook for a team's own guard (issue 11.1). A module adds `provideSecurityStep(MyGuard)` to its
 * `providers`; the one global `SecurityGuard` then runs it on every route, after authentication, the IP
 * allow-list and roles, so `request.user` is already set (undefined on `@Public()` routes). Hook steps run
 * by ascending `order`, then by class name: the same order whatever the module imports are. A step refuses
 * by throwing (e.g. an `AppException`) or by returning false (403 FORBIDDEN).
 */
export function provideSecurityStep(guard: Type<CanActivate>, order = 0): Provider {
  Reflect.defineMetadata(SECURITY_STEP, order, guard);
  return guard;
}
