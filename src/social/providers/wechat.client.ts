import { ProviderFailure, type ProvenIdentity, fetchJson } from '#src/social/providers/provider.js';
import type { WechatApp } from '#src/social/social.config.js';

/** Where and how long: the base URLs are configurable so tests talk to a stand-in (SPEC §15). */
export interface WechatEndpoints {
  apiBase: string;
  openBase: string;
  timeoutMs: number;
}

/**
 * WeChat's stable key: the unionid when the app is bound to an Open Platform account (one per person across the
 * account's web, mobile and mini-program apps), else the openid, which is only stable within one app.
 */
function identityOf(app: WechatApp, body: Record<string, unknown>, nickname: string | null): ProvenIdentity {
  const unionid = typeof body.unionid === 'string' && body.unionid ? body.unionid : null;
  const openid = typeof body.openid === 'string' && body.openid ? body.openid : null;
  if (!unionid && !openid) {
    throw new ProviderFailure('wechat', 'answer without openid');
  }
  return unionid
    ? { provider: 'wechat', issuer: 'wechat:unionid', subject: unionid, displayName: nickname }
    : { provider: 'wechat', issuer: `wechat:openid:${app.appId}`, subject: openid!, displayName: nickname };
}

/** WeChat reports errors in a 200 answer as `{errcode, errmsg}` (40029 bad code, 40163 code already used). */
function assertNoErrcode(body: Record<string, unknown>, call: string): void {
  if (body.errcode !== undefined && body.errcode !== 0) {
    throw new ProviderFailure('wechat', `${call} errcode ${JSON.stringify(body.errcode)}`);
  }
}

/** The WeChat Open Platform and mini-program login calls. */
export class WechatClient {
  constructor(private readonly endpoints: WechatEndpoints) {}

  /** Website QR login: the `qrconnect` page, scope `snsapi_login`. */
  qrconnectUrl(app: WechatApp, redirectUri: string, state: string): string {
    const query = new URLSearchParams({
      appid: app.appId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'snsapi_login',
      state,
    });
    return `${this.endpoints.openBase}/connect/qrconnect?${query.toString()}#wechat_redirect`;
  }

  /** Website and mobile-app login: `sns/oauth2/access_token`, then `sns/userinfo` for the unionid and nickname. */
  async oauthIdentity(app: WechatApp, code: string): Promise<ProvenIdentity> {
    const token = await this.get('sns/oauth2/access_token', {
      appid: app.appId,
      secret: app.secret,
      code,
      grant_type: 'authorization_code',
    });
    if (typeof token.access_token !== 'string' || typeof token.openid !== 'string') {
      throw new ProviderFailure('wechat', 'access_token answer without access_token/openid');
    }
    const info = await this.get('sns/userinfo', { access_token: token.access_token, openid: token.openid });
    const nickname = typeof info.nickname === 'string' ? info.nickname.slice(0, 100) : null;
    return identityOf(app, { openid: token.openid, unionid: info.unionid ?? token.unionid }, nickname);
  }

  /** Mini-program login: `sns/jscode2session` answers the openid (and unionid) directly. */
  async miniIdentity(app: WechatApp, code: string): Promise<ProvenIdentity> {
    const session = await this.get('sns/jscode2session', {
      appid: app.appId,
      secret: app.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    return identityOf(app, session, null);
  }

  private async get(path: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const url = `${this.endpoints.apiBase}/${path}?${new URLSearchParams(params).toString()}`;
    const body = await fetchJson('wechat', url, { method: 'GET', timeoutMs: this.endpoints.timeoutMs });
    assertNoErrcode(body, path);
    return body;
  }
}
