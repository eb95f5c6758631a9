import { type CanActivate, type ExecutionContext, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { isObservable, lastValueFrom } from 'rxjs';
import type { AuthUser } from '#src/common/auth-user.js';
import { passportResult } from '#src/auth/guards/passport-errors.js';
import { SECURITY_STEP } from '#src/common/security-step.js';
import { AppException } from '#src/common/app.exception.js';
import { OPTIONAL_AUTH } from '#src/common/decorators/optional-auth.decorator.js';
import { IS_PUBLIC } from '#src/common/decorators/public.decorator.js';
import { ROLES } from '#src/common/decorators/roles.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { requestContextOf } from '#src/common/request-context.js';
import { IpFence } from '#src/auth/login-ports.js';

/** What a route asks of its caller, read once per route from its decorators. */
interface RoutePolicy {
  public: boolean;
  optional: boolean;
  roles: readonly string[] | null;
}

type AuthRequest = FastifyRequest & { user?: AuthUser };

/**
 * The one global guard (`APP_GUARD`, registered by AuthModule only). Its steps run in the order written here,
 * whatever order the modules are imported in (issue 11.1: with one guard per module, moving a module let an
 * admin from outside the allow-list through):
 *   1. authentication: a valid access token (passport-jwt, `JwtAccessStrategy`) unless `@Public()`;
 *      `@OptionalAuth()` accepts a missing one;
 *   2. the role's IP allow-list (SPEC §9);
 *   3. roles from `@Roles()` / `@Auth()`: deny by default (OWASP ASVS 5.0 V8.2.1);
 *   4. the hook steps modules add with `provideSecurityStep()`.
 */
@Injectable()
export class SecurityGuard extends AuthGuard('jwt') implements OnModuleInit {
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();
  private hooks: CanActivate[] = [];

  constructor(
    private readonly reflector: Reflector,
    private readonly discovery: DiscoveryService,
    private readonly allowlist: IpFence,
  ) {
    super();
  }

  onModuleInit(): void {
    const steps = this.discovery
      .getProviders()
      // Request-scoped providers have no shared instance to call; a hook step must be a singleton.
      .filter(
        (wrapper) => wrapper.instance && wrapper.metatype && Reflect.hasOwnMetadata(SECURITY_STEP, wrapper.metatype),
      )
      .map((wrapper) => ({
        order: Reflect.getOwnMetadata(SECURITY_STEP, wrapper.metatype!) as number,
        name: wrapper.metatype!.name,
        instance: wrapper.instance as CanActivate,
      }))
      .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    // A class provided by two modules is one step.
    this.hooks = [...new Set(steps.map((step) => step.instance))];
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policyOf(context);
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (!policy.public && !(policy.optional && !request.headers.authorization)) {
      await super.canActivate(context);
    }
    const user = request.user;
    if (user && !this.allowlist.isAllowed(user.role, request.ip)) {
      await this.allowlist.refuse({
        userId: user.userId,
        sessionId: user.sessionId,
        reason: `request ${request.method} ${request.url.split('?')[0]}`,
        ctx: requestContextOf(request),
      });
    }
    if (policy.roles && !(user && policy.roles.includes(user.role))) {
      throw new AppException(CoreErrors.FORBIDDEN);
    }
    for (const hook of this.hooks) {
      const verdict = hook.canActivate(context);
      const allowed = isObservable(verdict)
        ? await lastValueFrom(verdict)
        : verdict instanceof Promise
          ? await verdict
          : verdict;
      if (!allowed) {
        throw new AppException(CoreErrors.FORBIDDEN);
      }
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    return passportResult(err, user, info);
  }

  /** Issue 16: the decorators are read once per route, not three times per request. */
  private policyOf(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.policies.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.policies.set(controller, byHandler);
    }
    let policy = byHandler.get(handler);
    if (!policy) {
      const targets = [handler, controller];
      const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
      policy = {
        public: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        optional: this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets) === true,
        roles: roles && roles.length > 0 ? roles : null,
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }
}
