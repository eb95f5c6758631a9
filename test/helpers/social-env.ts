import { startGithubStandIn, startOidcProvider, startWechatStandIn } from './social-stand-ins.js';

export const REDIRECT_URI = 'http://127.0.0.1:5999/social-callback';
export const WECHAT_APPS = { wx_web: 'web-secret', wx_app: 'app-secret', wx_mini: 'mini-secret' };
export const GITHUB_CLIENT = { id: 'gh-client', secret: 'gh-secret' };
export const OIDC_CLIENT = { id: 'gatehouse', secret: 'oidc-client-secret-0123456789', redirectUris: [REDIRECT_URI] };

/** Every provider on, each pointed at its stand-in (SPEC §15: every base URL is configurable). */
export function socialEnv(stand: {
  wechat: Awaited<ReturnType<typeof startWechatStandIn>>;
  github: Awaited<ReturnType<typeof startGithubStandIn>>;
  oidc: Awaited<ReturnType<typeof startOidcProvider>>;
}): Record<string, string> {
  return {
    WECHAT_WEB_APP_ID: 'wx_web',
    WECHAT_WEB_SECRET: WECHAT_APPS.wx_web,
    WECHAT_MOBILE_APP_ID: 'wx_app',
    WECHAT_MOBILE_SECRET: WECHAT_APPS.wx_app,
    WECHAT_MINI_APP_ID: 'wx_mini',
    WECHAT_MINI_SECRET: WECHAT_APPS.wx_mini,
    WECHAT_API_BASE: stand.wechat.url,
    WECHAT_OPEN_BASE: stand.wechat.url,
    GITHUB_CLIENT_ID: GITHUB_CLIENT.id,
    GITHUB_CLIENT_SECRET: GITHUB_CLIENT.secret,
    GITHUB_OAUTH_BASE: stand.github.url,
    GITHUB_API_BASE: stand.github.url,
    OIDC_PROVIDERS: 'corp',
    OIDC_CORP_ISSUER: stand.oidc.issuer,
    OIDC_CORP_CLIENT_ID: OIDC_CLIENT.id,
    OIDC_CORP_CLIENT_SECRET: OIDC_CLIENT.secret,
    SOCIAL_REDIRECT_URIS: `${REDIRECT_URI},http://127.0.0.1:5999/other`,
    SOCIAL_SIGNUP: 'true',
  };
}

/** The three providers' stand-ins on 127.0.0.1, the env that points an app at them, and one `close()` for all three. */
export async function startSocialStandIns() {
  const wechat = await startWechatStandIn(WECHAT_APPS);
  const github = await startGithubStandIn(GITHUB_CLIENT.id, GITHUB_CLIENT.secret);
  const oidc = await startOidcProvider(OIDC_CLIENT);
  return {
    wechat,
    github,
    oidc,
    env: socialEnv({ wechat, github, oidc }),
    async close(): Promise<void> {
      await Promise.all([wechat.close(), github.close(), oidc.close()]);
    },
  };
}

export type SocialStandIns = Awaited<ReturnType<typeof startSocialStandIns>>;
