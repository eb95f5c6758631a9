import * as client from 'openid-client';
import {
  ProviderFailure,
  type ProvenIdentity,
  type RedirectProvider,
  type StartedFlow,
} from '#src/social/providers/provider.js';
import type { OidcProviderConfig } from '#src/social/social.config.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Any OpenID Connect provider through openid-client: discovery, authorization code with PKCE S256, state and
 * nonce, the ID token's signature, iss, aud, exp and nonce checked, and the `iss` response parameter (RFC 9207)
 * checked when the provider announces it (RFC 9700 §4.4: mix-up defence).
 */
export class OidcProvider implements RedirectProvider {
  readonly name: string;
  private discovered: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: OidcProviderConfig,
    private readonly timeoutMs: number,
  ) {
    this.name = settings.name;
  }

  async authorizeUrl(flow: StartedFlow, state: string): Promise<string> {
    const config = await this.configuration();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: flow.redirectUri,
      scope: 'openid',
      response_type: 'code',
      // RFC 9700 §2.1.1: PKCE with S256 on every authorization code flow.
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce: flow.nonce,
    });
    return url.href;
  }

  async exchange(code: string, flow: StartedFlow, callback: { state: string; iss?: string }): Promise<ProvenIdentity> {
    const config = await this.configuration();
    const current = new URL(flow.redirectUri);
    current.searchParams.set('code', code);
    current.searchParams.set('state', callback.state);
    if (callback.iss !== undefined) {
      current.searchParams.set('iss', callback.iss);
    }
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: callback.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims?.sub) {
        throw new ProviderFailure(this.name, 'ID token without sub');
      }
      const display = typeof claims.preferred_username === 'string' ? claims.preferred_username : null;
      // OIDC Core §5.7: only (iss, sub) identifies the person; email and phone claims are never used to match.
      return {
        provider: this.name,
        issuer: claims.iss,
        subject: claims.sub,
        displayName: display?.slice(0, 100) ?? null,
      };
    } catch (e) {
      throw e instanceof ProviderFailure ? e : new ProviderFailure(this.name, describe(e));
    }
  }

  /** Discovered once and kept; a failed discovery is retried on the next sign-in. */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((e: unknown) => {
      this.discovered = undefined;
      throw e instanceof ProviderFailure ? e : new ProviderFailure(this.name, `discovery: ${describe(e)}`);
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain http only to a provider on this machine (the tests' in-process provider); anything else needs TLS.
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    const config = await client.discovery(
      issuer,
      this.settings.clientId,
      undefined,
      client.ClientSecretPost(this.settings.clientSecret),
      {
        timeout: Math.ceil(this.timeoutMs / 1000),
        execute: insecure ? [client.allowInsecureRequests] : [],
      },
    );
    config.timeout = Math.ceil(this.timeoutMs / 1000);
    return config;
  }
}

function describe(e: unknown): string {
  const err = e as { code?: string; error?: string; message?: string };
  return [err.code, err.error, err.message].filter(Boolean).join(' ').slice(0, 300);
}
