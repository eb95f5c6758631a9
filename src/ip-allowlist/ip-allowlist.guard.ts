import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuditEventType } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import { requestContextOf } from '#src/common/request-context.js';
import { IpAllowlistService } from '#src/ip-allowlist/ip-allowlist.service.js';

/** Runs after `JwtAuthGuard`: an authenticated caller outside their role's networks gets 403 IP_NOT_ALLOWED. */
@Injectable()
export class IpAllowlistGuard implements CanActivate {
  constructor(
    private readonly allowlist: IpAllowlistService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = request.user;
    if (!user || this.allowlist.isAllowed(user.role, request.ip)) {
      return true;
    }
    await this.audit.record({
      type: AuditEventType.IpNotAllowed,
      userId: user.userId,
      sessionId: user.sessionId,
      reason: `request ${request.method} ${request.url.split('?')[0]}`,
      ctx: requestContextOf(request),
    });
    throw new AppException(ErrorCode.IP_NOT_ALLOWED, 'Your network is not allowed for this account');
  }
}
