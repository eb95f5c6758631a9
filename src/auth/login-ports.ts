import type { MfaChallengeDto } from '#src/auth/dto/mfa-challenge.dto.js';
import type { RequestContext } from '#src/common/request-context.js';

/**
 * What the admission path needs from the features that fence and extend it, as ports the core owns and the
 * feature modules implement (STYLE 12: dependencies point one way). AuthModule injects these classes; the
 * ip-allowlist and mfa modules, which import core only through `#src/platform/index.js`, provide them
 * (`{ provide: IpFence, useExisting: IpAllowlistService }`) from a global module. So auth/ imports neither folder
 * and neither folder's barrel import closes a cycle.
 */

/** SPEC §9: the per-role network fence a login, a refresh and every authenticated request pass. */
export abstract class IpFence {
  /** Whether an account of `role` may be used from `ip`. */
  abstract isAllowed(role: string, ip: string): boolean;

  /** 403 IP_NOT_ALLOWED, audited, when the account's role may not be used from the caller's network. */
  abstract assertAllowed(
    user: { id: number; role: string },
    ctx: RequestContext,
    audit: { sessionId?: string; reason: string },
  ): Promise<void>;

  /** Audits `ip_not_allowed` and throws 403 IP_NOT_ALLOWED. */
  abstract refuse(event: { userId: number; sessionId?: string; reason: string; ctx: RequestContext }): Promise<never>;
}

/**
 * SPEC §3: the second login step of an account with TOTP on. The admission service asks it for the challenge a
 * correct first factor answers instead of tokens; the mfa module completes the login at `/auth/mfa/verify` through
 * `AdmissionService.openSession`, like any other login method ("prove, then admit", STYLE 16).
 */
export abstract class SecondFactor {
  /** The login answer instead of tokens: a short-lived, single-use `mfa_token` (audited `mfa_challenge`). */
  abstract challenge(user: { id: number }, identifier: string, ctx: RequestContext): Promise<MfaChallengeDto>;

  /** Ends the account's pending second steps (its password just stopped being the account's). */
  abstract endPending(userId: number): Promise<void>;

  /** Removes the account's second factor, its recovery codes and pending steps (SPEC §12 reclaim). */
  abstract remove(userId: number): Promise<void>;
}
