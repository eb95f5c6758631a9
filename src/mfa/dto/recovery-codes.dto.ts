/** Returned once, when TOTP is enabled. */
export class RecoveryCodesDto {
  /** 10 single-use codes (`xxxx-xxxx-xxxx-xxxx`) for when the authenticator is lost. Store them safely. */
  recovery_codes: string[];
}
