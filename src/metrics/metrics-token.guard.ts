import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ConfigType } from '@nestjs/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import metricsConfig from '#src/metrics/metrics.config.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may read /metrics (SPEC §3, §10): the METRICS_TOKEN bearer; nobody in production when no token is set. A guard,
 * so a refusal is answered before the route's text/plain Content-Type is set and comes out as the JSON envelope.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly token: Buffer | null;

  constructor(@Inject(metricsConfig.KEY) private readonly config: ConfigType<typeof metricsConfig>) {
    this.token = config.token === null ? null : digest(config.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.token === null) {
      if (this.config.production) {
        // Hidden, not refused: a production deployment without a token does not advertise the endpoint.
        throw new AppException(CoreErrors.NOT_FOUND);
      }
      return true;
    }
    const { authorization } = context.switchToHttp().getRequest<FastifyRequest>().headers;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    // OWASP ASVS 5.0 V11.2.4: compared in constant time (equal-length digests).
    if (!match || !timingSafeEqual(digest(match[1]), this.token)) {
      throw new AppException(CoreErrors.UNAUTHORIZED);
    }
    return true;
  }
}
