/** What ending every session of a user did. */
export class RevokedSessionsDto {
  /** How many active sessions were ended. */
  revoked: number;
}
