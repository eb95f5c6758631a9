import { ApiProperty } from '@nestjs/swagger';

/** The login answer when TOTP is on. No tokens until `/auth/mfa/verify`. */
export class MfaChallengeDto {
  /** Always true: send a TOTP or recovery code to `/auth/mfa/verify`. */
  // The plugin reads the literal type `true` as any boolean; the enum keeps it a literal in the generated client types.
  @ApiProperty({ type: 'boolean', enum: [true] })
  mfa_required: true;
  /** Short-lived, single-use proof that the password was right; not an access token. */
  mfa_token: string;
  /** Seconds until `mfa_token` expires. */
  mfa_expires_in: number;
}
