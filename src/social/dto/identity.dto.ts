/** One provider identity linked to the caller's account (`GET /users/me/identities`). */
export class IdentityDto {
  /** What `DELETE /users/me/identities/:id` takes. */
  id: number;
  /** `wechat`, `github` or an OIDC provider's name. */
  provider: string;
  /** The provider's nickname or login when it gave one; shown only, never used to match an account. */
  display_name: string | null;
  /** ISO 8601: when it was linked. */
  created_at: string;
}
