import type { ExecutionContext } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SecurityGuard } from '#src/auth/guards/security.guard.js';
import { JwtAccessStrategy } from '#src/auth/strategies/jwt-access.strategy.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { BenchFeature } from '#src/config/bench.config.js';
import { RevocationService } from '#src/sessions/revocation.service.js';

type AccessPayload = { sub: string; sid: string; role: string };

/**
 * Benchmarks only (issue 29, `BENCH_DISABLE`, refused in production): the access strategy's `validate` without its
 * claim checks, its revocation lookup, or both, chosen once at start, so no request asks which one applies. With
 * neither left out, the strategy is untouched.
 */
export function leaveOutTokenChecks(app: NestFastifyApplication, disabled: ReadonlySet<BenchFeature>): void {
  const claims = disabled.has('claim-checks');
  const revocation = disabled.has('revocation');
  if (!claims && !revocation) {
    return;
  }
  const strategy = app.get(JwtAccessStrategy, { strict: false });
  const tokens = app.get(TokenService, { strict: false });
  const revoked = app.get(RevocationService, { strict: false });
  const userOf = (c: AccessPayload): AuthUser => ({ userId: Number(c.sub), sessionId: c.sid, role: c.role });
  const refuseRevoked = (c: AccessPayload): void => {
    if (revoked.isRevoked(c.sid)) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
  };
  strategy.validate =
    claims && revocation
      ? (payload: unknown) => userOf(payload as AccessPayload)
      : claims
        ? (payload: unknown) => {
            refuseRevoked(payload as AccessPayload);
            return userOf(payload as AccessPayload);
          }
        : (payload: unknown) => userOf(tokens.assertClaims(payload, 'access'));
}

type PolicyOf = (context: ExecutionContext) => { public: boolean; optional: boolean };

/**
 * Benchmarks only (issue 29, `BENCH_DISABLE=guard-steps`, refused in production): this app's global SecurityGuard keeps
 * its route policy (which routes are public) and passport-jwt's authentication, and leaves out what follows it — the
 * role's IP allow-list, `@Roles()` and the module security steps — as the recipe's `AuthGuard('jwt')` has none of
 * them. Chosen once at start, before the guard is first called.
 */
export function leaveOutGuardSteps(app: NestFastifyApplication, disabled: ReadonlySet<BenchFeature>): void {
  if (!disabled.has('guard-steps')) {
    return;
  }
  // Registered as APP_GUARD under a generated token: found among the providers by its class.
  const guard = app
    .get(DiscoveryService)
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .find((instance): instance is SecurityGuard => instance instanceof SecurityGuard);
  if (!guard) {
    throw new Error('BENCH_DISABLE=guard-steps: no SecurityGuard in this app');
  }
  const authenticate = (Object.getPrototypeOf(SecurityGuard.prototype) as SecurityGuard).canActivate.bind(guard);
  const policyOf = (guard as unknown as { policyOf: PolicyOf }).policyOf.bind(guard);
  guard.canActivate = async (context: ExecutionContext) => {
    const policy = policyOf(context);
    const request = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>();
    if (!policy.public && !(policy.optional && !request.headers.authorization)) {
      await authenticate(context);
    }
    return true;
  };
}
