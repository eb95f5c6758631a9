import { Injectable } from '@nestjs/common';
import type { MfaVerifyDto } from '#src/mfa/dto/mfa-verify.dto.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import {
  AdmissionService,
  AppException,
  AuditService,
  CoreAudit,
  CoreErrors,
  type LoginResponseDto,
  type RequestContext,
  type User,
} from '#src/platform/index.js';

/**
 * `/auth/mfa/verify`, the second step of a login with TOTP on: MfaService checks the factor, asking the admission
 * service first whether the account may enter from here (403 IP_NOT_ALLOWED, this route's public answer, SPEC §9);
 * then the one door opens the session ("prove, then admit", STYLE 16), as for any other login method.
 */
@Injectable()
export class MfaLoginService {
  constructor(
    private readonly mfa: MfaService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
  ) {}

  async verify(dto: MfaVerifyDto, ctx: RequestContext): Promise<LoginResponseDto> {
    const { user, method } = await this.mfa.verify(dto, ctx, (pending) => this.admitsSecondStep(pending, ctx));
    const { tokens, sessionId } = await this.admission.openSession(user, 'mfa', ctx, user.username);
    await this.audit.record({ type: CoreAudit.mfa_success, userId: user.id, sessionId, reason: method, ctx });
    return tokens;
  }

  private async admitsSecondStep(user: User, ctx: RequestContext): Promise<void> {
    const refusal = await this.admission.check(user, ctx, {
      identifier: user.username,
      method: 'mfa',
      auditReason: 'request POST /auth/mfa/verify',
    });
    if (refusal === 'ip_not_allowed') {
      throw new AppException(CoreErrors.IP_NOT_ALLOWED);
    }
    if (refusal) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
  }
}
