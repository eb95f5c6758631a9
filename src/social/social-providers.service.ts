import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { GithubProvider } from '#src/social/providers/github.client.js';
import { OidcProvider } from '#src/social/providers/oidc.provider.js';
import type { RedirectProvider } from '#src/social/providers/provider.js';
import { WechatClient } from '#src/social/providers/wechat.client.js';
import { WechatWebProvider } from '#src/social/providers/wechat-web.provider.js';
import type { ProviderDto } from '#src/social/dto/provider.dto.js';
import socialConfig, { type WechatApp } from '#src/social/social.config.js';
import { AppException, CoreErrors } from '#src/platform/index.js';

/** The providers that are on (SPEC §15: on when configured), by route name. */
@Injectable()
export class SocialProvidersService {
  private readonly redirects = new Map<string, RedirectProvider>();
  private readonly wechat: WechatClient;

  constructor(@Inject(socialConfig.KEY) private readonly config: ConfigType<typeof socialConfig>) {
    const timeoutMs = config.httpTimeoutMs;
    this.wechat = new WechatClient({ apiBase: config.wechatApiBase, openBase: config.wechatOpenBase, timeoutMs });
    if (config.wechatWeb) {
      this.redirects.set('wechat', new WechatWebProvider(this.wechat, config.wechatWeb));
    }
    if (config.github) {
      const { githubOauthBase: oauthBase, githubApiBase: apiBase } = config;
      this.redirects.set('github', new GithubProvider({ ...config.github, oauthBase, apiBase, timeoutMs }));
    }
    for (const oidc of config.oidc) {
      this.redirects.set(oidc.name, new OidcProvider(oidc, timeoutMs));
    }
  }

  list(): ProviderDto[] {
    const list: ProviderDto[] = [...this.redirects.keys()].map((name) => ({
      name,
      kind: name === 'wechat' || name === 'github' ? name : 'oidc',
      flow: 'redirect',
    }));
    if (this.config.wechatMobile) {
      list.push({ name: 'wechat', kind: 'wechat', flow: 'app' });
    }
    if (this.config.wechatMini) {
      list.push({ name: 'wechat', kind: 'wechat', flow: 'mini' });
    }
    return list;
  }

  /** A provider not configured is 404 (SPEC §15). */
  redirect(name: string): RedirectProvider {
    const provider = this.redirects.get(name);
    if (!provider) {
      throw notConfigured();
    }
    return provider;
  }

  wechatClient(flow: 'app' | 'mini'): { client: WechatClient; app: WechatApp } {
    const app = flow === 'app' ? this.config.wechatMobile : this.config.wechatMini;
    if (!app) {
      throw notConfigured();
    }
    return { client: this.wechat, app };
  }

  /** SPEC §15 / RFC 9700 §4.1.3: the redirect URI must be one of the configured ones, compared exactly. */
  assertRedirectUri(uri: string): void {
    if (!this.config.redirectUris.includes(uri)) {
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'redirect_uri', rule: 'redirect_uri_not_allowed' }],
      });
    }
  }

  get signupEnabled(): boolean {
    return this.config.signup;
  }
}

function notConfigured(): AppException {
  return new AppException(CoreErrors.NOT_FOUND, 'No such sign-in provider');
}
