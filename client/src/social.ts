import type { AuthClient } from './auth-client.js';
import type { components } from './openapi.js';
import type { LoginResult } from './types.js';

type Schemas = components['schemas'];
export type SocialProvider = Schemas['ProviderDto'];
export type LinkRequired = Schemas['LinkRequiredDto'];
export type LinkedIdentity = Schemas['IdentityDto'];
/** A social sign-in: a session, the MFA challenge, or `link_required` to resolve with `link` or `signup`. */
export type SocialResult = LoginResult | LinkRequired;
/** The redirect's query as the provider put it (`iss` per RFC 9207 when sent). */
export interface SocialCallback {
  code: string;
  state: string;
  iss?: string;
}
/** `link_token` plus a password login's fields, or an SMS code login's. */
export type LinkProof =
  | { link_token: string; password: string; username?: string; phone?: string; email?: string }
  | { link_token: string; phone: string; code: string };

export interface SocialClient {
  /** The providers that are configured (`GET /auth/social/providers`). */
  providers(): Promise<SocialProvider[]>;
  /** The provider page to send the browser to; `redirectUri` must be one of `SOCIAL_REDIRECT_URIS`. */
  start(provider: string, redirectUri: string): Promise<string>;
  callback(provider: string, params: SocialCallback): Promise<SocialResult>;
  /** The WeChat SDK code of a mobile app, or `wx.login()`'s in a mini-program. */
  wechat(flow: 'app' | 'mini', code: string): Promise<SocialResult>;
  /** Links the identity to an existing account proven by its password or an SMS code, and signs in. */
  link(proof: LinkProof): Promise<LoginResult>;
  /** A new account holding only this identity (server `SOCIAL_SIGNUP=true`). */
  signup(linkToken: string): Promise<LoginResult>;
  /** Signed in: the linked identities. */
  identities(): Promise<LinkedIdentity[]>;
  /** Signed in, recently: starts linking another identity; answers the provider page. */
  linkStart(provider: string, redirectUri: string): Promise<string>;
  linkCallback(provider: string, params: SocialCallback): Promise<LinkedIdentity>;
  unlink(id: number): Promise<void>;
}

/** Social sign-in calls (SPEC §15) over an `AuthClient`, which keeps the session they open. */
export function createSocialClient(auth: AuthClient): SocialClient {
  const path = (provider: string) => encodeURIComponent(provider);
  return {
    providers: () => auth.request<SocialProvider[]>('GET', '/auth/social/providers'),
    start: async (provider, redirectUri) =>
      (
        await auth.request<{ authorize_url: string }>('POST', `/auth/social/${path(provider)}/start`, {
          redirect_uri: redirectUri,
        })
      ).authorize_url,
    callback: (provider, params) => auth.loginVia<LinkRequired>(`/auth/social/${path(provider)}/callback`, params),
    wechat: (flow, code) => auth.loginVia<LinkRequired>(`/auth/social/wechat/${flow}`, { code }),
    link: (proof) => auth.loginVia('/auth/social/link', proof),
    signup: (linkToken) => auth.loginVia('/auth/social/signup', { link_token: linkToken }),
    identities: () => auth.request<LinkedIdentity[]>('GET', '/users/me/identities'),
    linkStart: async (provider, redirectUri) =>
      (
        await auth.request<{ authorize_url: string }>('POST', `/users/me/identities/${path(provider)}/start`, {
          redirect_uri: redirectUri,
        })
      ).authorize_url,
    linkCallback: (provider, params) =>
      auth.request<LinkedIdentity>('POST', `/users/me/identities/${path(provider)}/callback`, params),
    unlink: async (id) => {
      await auth.request<null>('DELETE', `/users/me/identities/${id}`);
    },
  };
}
