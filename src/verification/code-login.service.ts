import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import {
  AdmissionService,
  CoreAudit,
  AuditService,
  type RequestContext,
  type LoginResponseDto,
  type MfaChallengeDto,
  type User,
  UsersService,
} from '#src/platform/index.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { codeInvalid, CodesService } from '#src/verification/codes.service.js';
import { ContactProofService } from '#src/verification/contact-proof.service.js';
import { DestinationService } from '#src/verification/destination.service.js';
import type { CodeLoginDto } from '#src/verification/dto/code-login.dto.js';
import verificationConfig from '#src/verification/verification.config.js';

/**
 * `POST /auth/login/code` (SPEC §3, §12): the code proves the phone, then the admission service decides disabled,
 * allow-list, MFA and the session (STYLE 16, "prove, then admit").
 */
@Injectable()
export class CodeLoginService {
  constructor(
    private readonly destinations: DestinationService,
    private readonly delivery: CodeDeliveryService,
    private readonly codes: CodesService,
    private readonly users: UsersService,
    private readonly proof: ContactProofService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
  ) {}

  async login(dto: CodeLoginDto, ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    this.delivery.assertEnabled('sms');
    const destination = this.destinations.of(dto);
    let user = await this.users.findByIdentifier({ phone: destination.key });
    await this.codes.confirm(destination.key, 'login', dto.code, ctx, user?.id);
    if (!user && this.config.smsLoginSignup) {
      user = await this.signUp(destination.key, ctx);
    }
    if (!user) {
      const reason = 'unknown_identifier';
      await this.audit.record({ type: CoreAudit.login_failure, identifier: destination.key, reason, ctx });
      throw codeInvalid();
    }
    // SPEC §9: a refused login answers exactly like a wrong code.
    if (await this.admission.check(user, ctx, { identifier: destination.key, method: 'code' })) {
      throw codeInvalid();
    }
    // SPEC §12: proving a phone that was only claimed reclaims the account: no password, no TOTP, no other session.
    await this.proof.prove(user, 'phone', ctx, { identifier: destination.key, method: 'code', passwordHash: '' });
    // SPEC §3: a code proves the phone, not the second factor.
    return this.admission.admit(user, 'code', ctx, destination.key);
  }

  /** SPEC §12: a first code login creates the account, its phone proven, with no password until a reset. */
  private async signUp(phone: string, ctx: RequestContext): Promise<User> {
    const username = `user_${randomBytes(6).toString('hex')}`;
    // An empty hash matches no password: password login stays refused until a reset sets one.
    const user = await this.users.create({ username, passwordHash: '', phone, phoneVerified: true });
    await this.audit.record({ type: CoreAudit.register, userId: user.id, identifier: phone, reason: 'code', ctx });
    return user;
  }
}
