import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AppException, Clock, CoreErrors, MetricsService, ipKey, ThrottlingService } from '#src/platform/index.js';
import verificationConfig from '#src/verification/verification.config.js';

const HOUR_MS = 3_600_000;
const SCOPE = 'code_verify_ip';

/**
 * CODE_VERIFY_IP_MAX (SPEC §12): failed code confirmations per client IP, /64 for IPv6 (`ipKey`), across
 * destinations. A per-code budget alone lets one client spread guesses over many phones, each failure an audit row
 * (OWASP ASVS 5.0 V2.4.1 anti-automation; NIST SP 800-63B §5.2.2 rate limiting). Each confirmation reserves a point
 * before the code is read, so parallel guesses cannot pass the cap; a correct code gives its point back.
 */
@Injectable()
export class CodeConfirmLimitService {
  constructor(
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
    private readonly throttling: ThrottlingService,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  /** Takes one point for `ip`, or throws RATE_LIMITED with the time left in its window. Answers the refund. */
  async reserve(ip: string): Promise<() => Promise<void>> {
    const key = ipKey(ip);
    const state = await this.throttling.count(SCOPE, key, 1, HOUR_MS);
    const refund = async () => {
      await this.throttling.count(SCOPE, key, -1, HOUR_MS);
    };
    if (state.count > this.config.verifyIpMax) {
      await refund();
      this.metrics.throttled(SCOPE);
      throw new AppException(CoreErrors.RATE_LIMITED, 'Too many wrong codes; retry later', {
        retryAfter: Math.max(1, Math.ceil((state.resetAt - this.clock.now()) / 1000)),
      });
    }
    return refund;
  }
}
