/** The same answer whether or not an account holds the destination. */
export class CodeSentDto {
  /** Seconds before another code may be requested for this destination. */
  resend_after: number;
  /** Seconds the code stays valid. */
  expires_in: number;
}
