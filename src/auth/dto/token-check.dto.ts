/** `GET /auth/check` `data`: who the access token speaks for, read from the token itself. */
export class TokenCheckDto {
  /** The user the token was issued to. */
  user_id: number;
  /** The session the token belongs to; revoking it makes this route answer TOKEN_REVOKED. */
  session_id: string;
}
