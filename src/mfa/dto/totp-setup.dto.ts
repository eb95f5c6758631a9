/** What an authenticator app needs; the secret is not active until `/auth/mfa/totp/enable`. */
export class TotpSetupDto {
  /** Base32 secret, for typing into an app by hand. */
  secret: string;
  /** `otpauth://totp/…` URI with issuer and username. */
  otpauth_url: string;
  /** The URI as a QR code: `data:image/png;base64,…`. */
  qr_code: string;
}
