import { Inject, Injectable } from '@nestjs/common';
import { Clock, type User, UsersService } from '#src/platform/index.js';
import type { ConfigType } from '@nestjs/config';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import mfaConfig from '#src/mfa/mfa.config.js';
import { SecretCipher } from '#src/mfa/secret-cipher.js';

/** RFC 6238 §5.2 allows a small window for clock drift; ±1 step of 30 s, as authenticator apps expect. */
const DRIFT_SECONDS = 30;
/** RFC 4226 §4 R6 recommends a 160-bit shared secret. */
const SECRET_BYTES = 20;

export interface TotpProvisioning {
  secret: string;
  otpauthUrl: string;
  /** `data:image/png;base64,…` */
  qrCode: string;
}

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) through otplib 13. The TOTP columns
 * of `users` (the sealed secret, the enabled flag and the last accepted time
 * step) are written through UsersService, the table's one writer.
 */
@Injectable()
export class TotpService {
  constructor(
    private readonly users: UsersService,
    private readonly cipher: SecretCipher,
    @Inject(mfaConfig.KEY) private readonly config: ConfigType<typeof mfaConfig>,
    private readonly clock: Clock,
  ) {}

  /** A fresh secret stored as the user's pending one (replacing any earlier pending secret). */
  async provision(user: User): Promise<TotpProvisioning> {
    const secret = generateSecret({ length: SECRET_BYTES });
    const otpauthUrl = generateURI({ issuer: this.config.issuer, label: user.username, secret });
    const qrCode = await toDataURL(otpauthUrl, { errorCorrectionLevel: 'M' });
    await this.users.setPendingTotpSecret(user.id, this.cipher.encrypt(secret, TotpService.aad(user.id)));
    return { secret, otpauthUrl, qrCode };
  }

  /**
   * True when `code` is right for the user's secret (enabled or pending) and
   * its time step is later than any accepted before. The step is claimed
   * with a compare-and-swap, so a code replayed, even concurrently, fails
   * (RFC 6238 §5.2: the verifier must not accept the second attempt of an OTP).
   */
  async check(user: User, code: string): Promise<boolean> {
    if (!user.totpSecret || !/^\d{6}$/.test(code)) {
      return false;
    }
    const secret = this.cipher.decrypt(user.totpSecret, TotpService.aad(user.id));
    const result = await verify({
      strategy: 'totp',
      secret,
      token: code,
      // otplib reads the wall clock unless given the time: the injected clock keeps TOTP steps testable (STYLE 13).
      epoch: Math.floor(this.clock.now() / 1000),
      epochTolerance: DRIFT_SECONDS,
    });
    // The functional API types HOTP and TOTP results as one union; only TOTP's carries the time step.
    const step = result.valid && 'timeStep' in result ? result.timeStep : null;
    if (step === null || (user.totpLastStep !== null && step <= user.totpLastStep)) {
      return false;
    }
    return this.users.claimTotpStep(user.id, step);
  }

  /** Turns the pending secret on; false when it was already on (a concurrent enable won). */
  enable(userId: number): Promise<boolean> {
    return this.users.enableTotp(userId);
  }

  disable(userId: number): Promise<void> {
    return this.users.disableTotp(userId);
  }

  /** The sealed secret is bound to its user's id (see SecretCipher). */
  private static aad(userId: number): string {
    return `users.totp_secret:${userId}`;
  }
}
