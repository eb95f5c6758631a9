import { createSocialClient, type AuthClient, type LoginResult, type SocialResult } from '../../client/src/index.js';
import { byId, element, field } from './dom.js';
import { locale } from './i18n/index.js';

/** This module's strings in both languages (SPEC §14); the type makes zh-CN list every English key. */
const en = {
  title: 'Or sign in with',
  wechat: 'WeChat',
  github: 'GitHub',
  link_title: 'Link this sign-in to your account',
  link_lead: 'No account has this identity yet. Prove your account with its password, or create a new one.',
  username: 'Username',
  password: 'Password',
  link_submit: 'Link and log in',
  signup: 'Create a new account instead',
  returning: 'Finishing sign-in…',
};
const messages: Record<'en' | 'zh-CN', typeof en> = {
  en,
  'zh-CN': {
    title: '或使用以下方式登录',
    wechat: '微信登录',
    github: 'GitHub',
    link_title: '把这个登录方式绑定到你的账户',
    link_lead: '还没有账户绑定这个身份。请用已有账户的密码证明身份，或创建新账户。',
    username: '用户名',
    password: '密码',
    link_submit: '绑定并登录',
    signup: '改为创建新账户',
    returning: '正在完成登录…',
  },
};
const say = (key: keyof typeof en) => messages[locale()][key];

const PENDING = 'gatehouse.social.provider';

export interface SocialHooks {
  client: AuthClient;
  run: (form: HTMLFormElement | null, action: () => Promise<void>) => Promise<void>;
  /** A sign-in answered: a session, or the MFA challenge. */
  onLogin(result: LoginResult): Promise<void>;
}

/**
 * SPEC §15 on the demo page: "微信登录 / GitHub" buttons for the providers the server has on, the return from the
 * provider (this page is the redirect URI, so it must be listed in SOCIAL_REDIRECT_URIS), and the link flow.
 */
export function setupSocial(hooks: SocialHooks): void {
  const social = createSocialClient(hooks.client);
  const redirectUri = `${location.origin}${location.pathname}`;
  const panel = element('div', undefined, { id: 'social', class: 'panel', hidden: '' });
  const heading = element('h2');
  const buttons = element('div', undefined, { class: 'actions' });
  const linkForm = element('form', undefined, { id: 'social-link-form', class: 'panel', novalidate: '', hidden: '' });
  panel.append(heading, buttons);
  byId('signed-out').append(panel, linkForm);
  let linkToken: string | null = null;

  const render = () => {
    heading.textContent = say('title');
    for (const button of buttons.querySelectorAll<HTMLButtonElement>('button')) {
      button.textContent = say(button.dataset.provider === 'wechat' ? 'wechat' : 'github');
    }
    linkForm.replaceChildren(
      element('h2', say('link_title')),
      element('p', say('link_lead')),
      element('label', say('username'), { for: 'social-link-username' }),
      element('input', undefined, { id: 'social-link-username', name: 'username', autocomplete: 'username' }),
      element('label', say('password'), { for: 'social-link-password' }),
      element('input', undefined, { id: 'social-link-password', name: 'password', type: 'password' }),
      element('button', say('link_submit'), { type: 'submit' }),
      element('button', say('signup'), { type: 'button', id: 'social-signup', class: 'secondary' }),
    );
    byId('social-signup').addEventListener(
      'click',
      () => void hooks.run(linkForm, () => finish(social.signup(linkToken!))),
    );
  };

  const finish = async (answer: Promise<SocialResult>) => {
    const result = await answer;
    if ('link_required' in result) {
      linkToken = result.link_token;
      linkForm.hidden = false;
      field(linkForm, 'username').focus();
      return;
    }
    linkForm.hidden = true;
    await hooks.onLogin(result);
  };

  linkForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const proof = {
      link_token: linkToken!,
      username: field(linkForm, 'username').value.trim(),
      password: field(linkForm, 'password').value,
    };
    void hooks.run(linkForm, () => finish(social.link(proof)));
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
    button.addEventListener('click', render);
  }

  void hooks.run(null, async () => {
    const providers = (await social.providers()).filter((p) => p.flow === 'redirect' && p.kind !== 'oidc');
    for (const { name } of providers) {
      const button = element('button', undefined, { type: 'button', class: 'secondary', 'data-provider': name });
      button.addEventListener(
        'click',
        () =>
          void hooks.run(null, async () => {
            // Which provider the browser comes back from: the redirect carries only code and state.
            sessionStorage.setItem(PENDING, name);
            location.assign(await social.start(name, redirectUri));
          }),
      );
      buttons.append(button);
    }
    panel.hidden = providers.length === 0;
    render();
    await returnFromProvider();
  });

  /** Back from the provider with `?code&state` (and `iss`): finish the sign-in and clean the address bar. */
  async function returnFromProvider(): Promise<void> {
    const query = new URLSearchParams(location.search);
    const provider = sessionStorage.getItem(PENDING);
    const code = query.get('code');
    const state = query.get('state');
    if (!provider || !code || !state) {
      return;
    }
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, '', redirectUri);
    byId('status').textContent = say('returning');
    await finish(social.callback(provider, { code, state, ...(query.get('iss') ? { iss: query.get('iss')! } : {}) }));
  }
}
