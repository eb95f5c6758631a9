import { showAudit, setUpAudit } from './audit.js';
import { byId, client, headers, whenSessionEnds } from './app.js';
import { locale, LOCALES, setLocale, t, translatePage } from './i18n.js';
import { setUpSignIn } from './signin.js';
import { showUser, setUpUser } from './user.js';
import { showUsers, setUpUsers } from './users.js';
import { setUpWebhooks, showDeliveries, showWebhooks } from './webhooks.js';

const SECTIONS = ['signin', 'users', 'user', 'audit', 'webhooks', 'webhook'] as const;
type Section = (typeof SECTIONS)[number];
let signedIn = false;

function show(section: Section): void {
  for (const name of SECTIONS) {
    byId(name).hidden = name !== section;
  }
  byId('nav').hidden = !signedIn;
  for (const link of byId('nav').querySelectorAll('a')) {
    const active = location.hash.startsWith(link.getAttribute('href') ?? '#none');
    if (active) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

/**
 * Hash routes, so the server serves one page: `#/users?q=…`, `#/users/<id>`, `#/audit?type=…`, `#/webhooks`,
 * `#/webhooks/<id>` (its deliveries).
 */
async function route(): Promise<void> {
  if (!signedIn) {
    show('signin');
    return;
  }
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const userMatch = /^\/users\/(\d+)$/.exec(path);
  if (userMatch) {
    show('user');
    await showUser(Number(userMatch[1]));
    byId('user-title').focus();
  } else if (/^\/webhooks\/\d+$/.test(path)) {
    show('webhook');
    await showDeliveries(Number(path.split('/')[2]), query);
    byId('webhook-title').focus();
  } else if (path === '/webhooks') {
    show('webhooks');
    await showWebhooks();
    byId('webhooks-title').focus();
  } else if (path === '/audit') {
    show('audit');
    await showAudit(query);
    byId('audit-title').focus();
  } else {
    show('users');
    await showUsers(query);
    byId('users-title').focus();
  }
}

function signOutLocally(message: string): void {
  signedIn = false;
  byId('whoami').textContent = '';
  byId('status').textContent = message;
  show('signin');
  byId('signin-identifier').focus();
}

setUpSignIn(async () => {
  signedIn = true;
  const me = await client.me();
  byId('whoami').textContent = t('signin.signed_in_as', { name: me.username });
  byId('status').textContent = '';
  if (!location.hash.startsWith('#/')) {
    location.hash = '#/users';
  }
  await route();
});
setUpUsers();
setUpUser();
setUpAudit();
setUpWebhooks();
whenSessionEnds((reason) => signOutLocally(t('signin.session_ended', { reason })));
byId('sign-out').addEventListener('click', () => {
  void client.logout().finally(() => signOutLocally(''));
});
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
  button.addEventListener('click', () => {
    const next = LOCALES.find((l) => l === button.dataset.locale);
    if (next) {
      setLocale(next);
      headers['Accept-Language'] = next;
      void route();
    }
  });
}
window.addEventListener('hashchange', () => void route());
// A section's own link shows it afresh: the hash does not change, so no hashchange would reload its data.
for (const link of byId('nav').querySelectorAll('a')) {
  link.addEventListener('click', () => {
    if (link.getAttribute('href') === location.hash) {
      void route();
    }
  });
}
headers['Accept-Language'] = locale();
translatePage();
show('signin');
byId('signin-identifier').focus();
