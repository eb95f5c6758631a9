import { registerAs } from '@nestjs/config';
import { IsOptional, IsUrl, Matches } from 'class-validator';
import { EnvDoc, IsDuration, parseDurationSeconds, toBool, validateConfig } from '#src/platform/index.js';

const URL_RULE = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
/** A provider name is a path segment (`/auth/social/:provider/…`) and part of an env name. */
const OIDC_NAME = /^[a-z][a-z0-9_]{0,29}$/;
const RESERVED = new Set(['wechat', 'github', 'link', 'signup', 'providers']);

class SocialEnv {
  @EnvDoc('WeChat website QR login (Open Platform "website application"): AppID. On when it and the secret are set.')
  @IsOptional()
  WECHAT_WEB_APP_ID?: string;

  @EnvDoc('WeChat website application AppSecret.')
  @IsOptional()
  WECHAT_WEB_SECRET?: string;

  @EnvDoc('WeChat in a mobile app (Open Platform "mobile application", SDK login): AppID.')
  @IsOptional()
  WECHAT_MOBILE_APP_ID?: string;

  @EnvDoc('WeChat mobile application AppSecret.')
  @IsOptional()
  WECHAT_MOBILE_SECRET?: string;

  @EnvDoc('WeChat mini-program AppID (jscode2session).')
  @IsOptional()
  WECHAT_MINI_APP_ID?: string;

  @EnvDoc('WeChat mini-program AppSecret.')
  @IsOptional()
  WECHAT_MINI_SECRET?: string;

  @EnvDoc('WeChat API base (sns/oauth2/access_token, sns/userinfo, sns/jscode2session).', 'https://api.weixin.qq.com')
  @IsOptional()
  @IsUrl(URL_RULE)
  WECHAT_API_BASE?: string;

  @EnvDoc('WeChat Open Platform base (connect/qrconnect, where the QR page lives).', 'https://open.weixin.qq.com')
  @IsOptional()
  @IsUrl(URL_RULE)
  WECHAT_OPEN_BASE?: string;

  @EnvDoc('GitHub OAuth app Client ID. GitHub sign-in is on when it and the secret are set.')
  @IsOptional()
  GITHUB_CLIENT_ID?: string;

  @EnvDoc('GitHub OAuth app client secret.')
  @IsOptional()
  GITHUB_CLIENT_SECRET?: string;

  @EnvDoc('GitHub OAuth base (login/oauth/authorize, login/oauth/access_token).', 'https://github.com')
  @IsOptional()
  @IsUrl(URL_RULE)
  GITHUB_OAUTH_BASE?: string;

  @EnvDoc('GitHub REST API base (GET /user).', 'https://api.github.com')
  @IsOptional()
  @IsUrl(URL_RULE)
  GITHUB_API_BASE?: string;

  @EnvDoc(
    'OpenID Connect providers by name, comma-separated (e.g. corp); each needs OIDC_<NAME>_ISSUER, OIDC_<NAME>_CLIENT_ID and OIDC_<NAME>_CLIENT_SECRET.',
  )
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,29}(,[a-z][a-z0-9_]{0,29})*$/, { message: 'OIDC_PROVIDERS must be lower-case names' })
  OIDC_PROVIDERS?: string;

  @EnvDoc('Redirect URIs a client may pass to /start, comma-separated, matched exactly (RFC 9700 §4.1.3).')
  @IsOptional()
  SOCIAL_REDIRECT_URIS?: string;

  @EnvDoc(
    'true lets POST /auth/social/signup create an account for a new identity; else 403 REGISTRATION_DISABLED.',
    'false',
  )
  @IsOptional()
  SOCIAL_SIGNUP?: string;

  @EnvDoc('How long a provider may take to answer before the sign-in fails with SOCIAL_LOGIN_FAILED.', '10s')
  @IsOptional()
  @IsDuration()
  SOCIAL_HTTP_TIMEOUT?: string;
}

export interface WechatApp {
  appId: string;
  secret: string;
}

export interface OidcProviderConfig {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface SocialConfig {
  wechatWeb: WechatApp | null;
  wechatMobile: WechatApp | null;
  wechatMini: WechatApp | null;
  wechatApiBase: string;
  wechatOpenBase: string;
  github: { clientId: string; clientSecret: string } | null;
  githubOauthBase: string;
  githubApiBase: string;
  oidc: OidcProviderConfig[];
  redirectUris: string[];
  signup: boolean;
  httpTimeoutMs: number;
}

function app(id: string | undefined, secret: string | undefined): WechatApp | null {
  return id && secret ? { appId: id, secret } : null;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function oidcProviders(env: Record<string, string | undefined>, names: string | undefined): OidcProviderConfig[] {
  const list = (names ?? '').split(',').filter(Boolean);
  return list.map((name) => {
    const key = `OIDC_${name.toUpperCase()}`;
    const [issuer, clientId, clientSecret] = ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET'].map((s) => env[`${key}_${s}`]);
    if (!OIDC_NAME.test(name) || RESERVED.has(name)) {
      throw new Error(`OIDC_PROVIDERS: "${name}" is not a usable provider name`);
    }
    if (!issuer || !clientId || !clientSecret) {
      throw new Error(
        `${key}_ISSUER, ${key}_CLIENT_ID and ${key}_CLIENT_SECRET are required for OIDC provider ${name}`,
      );
    }
    return { name, issuer, clientId, clientSecret };
  });
}

/** SPEC §15: the social sign-in module's own namespace; a provider is on when its ids are set. */
export default registerAs('social', (): SocialConfig => {
  // STYLE 5: process.env is read in config files only.
  const env = validateConfig(process.env, SocialEnv);
  return {
    wechatWeb: app(env.WECHAT_WEB_APP_ID, env.WECHAT_WEB_SECRET),
    wechatMobile: app(env.WECHAT_MOBILE_APP_ID, env.WECHAT_MOBILE_SECRET),
    wechatMini: app(env.WECHAT_MINI_APP_ID, env.WECHAT_MINI_SECRET),
    wechatApiBase: trimSlash(env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com'),
    wechatOpenBase: trimSlash(env.WECHAT_OPEN_BASE ?? 'https://open.weixin.qq.com'),
    github:
      env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET
        ? { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET }
        : null,
    githubOauthBase: trimSlash(env.GITHUB_OAUTH_BASE ?? 'https://github.com'),
    githubApiBase: trimSlash(env.GITHUB_API_BASE ?? 'https://api.github.com'),
    oidc: oidcProviders(process.env, env.OIDC_PROVIDERS),
    redirectUris: (env.SOCIAL_REDIRECT_URIS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
    signup: toBool(env.SOCIAL_SIGNUP, false),
    httpTimeoutMs: parseDurationSeconds(env.SOCIAL_HTTP_TIMEOUT ?? '10s') * 1000,
  };
});
