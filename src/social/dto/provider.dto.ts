/** One way to sign in that is configured (`GET /auth/social/providers`). */
export class ProviderDto {
  /** The `:provider` of the routes: `wechat`, `github` or an OIDC provider's name. */
  name: string;
  /** `wechat`, `github` or `oidc`. */
  kind: 'wechat' | 'github' | 'oidc';
  /** `redirect`: `/start` then `/callback` in a browser; `app`: `POST /auth/social/wechat/app`; `mini`: `…/mini`. */
  flow: 'redirect' | 'app' | 'mini';
}
