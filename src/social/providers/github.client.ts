import {
  fetchJson,
  ProviderFailure,
  type ProvenIdentity,
  type RedirectProvider,
  type StartedFlow,
} from '#src/social/providers/provider.js';

export interface GithubSettings {
  clientId: string;
  clientSecret: string;
  oauthBase: string;
  apiBase: string;
  timeoutMs: number;
}

/** GitHub OAuth app sign-in; the identity is GitHub's numeric user id, which survives a rename of the login. */
export class GithubProvider implements RedirectProvider {
  readonly name = 'github';

  constructor(private readonly settings: GithubSettings) {}

  authorizeUrl(flow: StartedFlow, state: string): Promise<string> {
    const query = new URLSearchParams({
      client_id: this.settings.clientId,
      redirect_uri: flow.redirectUri,
      // Nothing but the public profile: the sign-in needs the id only (OWASP ASVS 5.0 V10.3, least privilege).
      scope: 'read:user',
      state,
      allow_signup: 'false',
    });
    return Promise.resolve(`${this.settings.oauthBase}/login/oauth/authorize?${query.toString()}`);
  }

  async exchange(code: string, flow: StartedFlow): Promise<ProvenIdentity> {
    const { oauthBase, apiBase, clientId, clientSecret, timeoutMs } = this.settings;
    const token = await fetchJson('github', `${oauthBase}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, code, redirect_uri: flow.redirectUri }),
      timeoutMs,
    });
    // GitHub answers a bad or used code with 200 `{error: 'bad_verification_code'}`.
    if (typeof token.access_token !== 'string') {
      throw new ProviderFailure('github', `token error ${String(token.error)}`);
    }
    const user = await fetchJson('github', `${apiBase}/user`, {
      method: 'GET',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token.access_token}`,
        'user-agent': 'gatehouse',
      },
      timeoutMs,
    });
    if (typeof user.id !== 'number' || !Number.isSafeInteger(user.id)) {
      throw new ProviderFailure('github', '/user answer without a numeric id');
    }
    const login = typeof user.login === 'string' ? user.login.slice(0, 100) : null;
    return { provider: 'github', issuer: 'github', subject: String(user.id), displayName: login };
  }
}
