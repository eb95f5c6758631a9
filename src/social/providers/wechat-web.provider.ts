import type { ProvenIdentity, RedirectProvider, StartedFlow } from '#src/social/providers/provider.js';
import type { WechatClient } from '#src/social/providers/wechat.client.js';
import type { WechatApp } from '#src/social/social.config.js';

/** WeChat website QR login: `qrconnect`, then the code is exchanged like a mobile app's. */
export class WechatWebProvider implements RedirectProvider {
  readonly name = 'wechat';

  constructor(
    private readonly client: WechatClient,
    private readonly app: WechatApp,
  ) {}

  authorizeUrl(flow: StartedFlow, state: string): Promise<string> {
    // WeChat supports neither PKCE nor nonce: the single-use state alone binds the callback (RFC 9700 §2.1).
    return Promise.resolve(this.client.qrconnectUrl(this.app, flow.redirectUri, state));
  }

  exchange(code: string): Promise<ProvenIdentity> {
    return this.client.oauthIdentity(this.app, code);
  }
}
