import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The person a stand-in signs in: WeChat's openid (per app) and unionid (per Open Platform account). */
export interface WechatPerson {
  appId: string;
  openid: string;
  unionid?: string;
  nickname?: string;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) {
    raw += String(chunk);
  }
  return raw;
}

const newCode = () => randomBytes(12).toString('hex');

/**
 * WeChat's Open Platform and mini-program APIs as the documentation shows them: JSON sent as `text/plain`, errors
 * in a 200 answer as `{errcode, errmsg}` (40029 invalid code, 40163 code been used, 40125 invalid appsecret).
 */
export async function startWechatStandIn(apps: Record<string, string>) {
  const codes = new Map<string, WechatPerson>();
  const used = new Set<string>();
  const tokens = new Map<string, WechatPerson>();
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    calls.push(url.pathname);
    const q = Object.fromEntries(url.searchParams);
    const send = (body: object) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/connect/qrconnect') {
      return qrPage(res, q);
    }
    if (url.pathname === '/sns/userinfo') {
      const person = tokens.get(q.access_token);
      return person
        ? send({ openid: person.openid, nickname: person.nickname ?? 'wx', unionid: person.unionid, headimgurl: '' })
        : send({ errcode: 40001, errmsg: 'invalid credential' });
    }
    if (url.pathname !== '/sns/oauth2/access_token' && url.pathname !== '/sns/jscode2session') {
      res.writeHead(404).end();
      return;
    }
    const code = q.code ?? q.js_code;
    if (apps[q.appid] === undefined || apps[q.appid] !== q.secret) {
      return send({ errcode: 40125, errmsg: 'invalid appsecret' });
    }
    if (used.has(code)) {
      return send({ errcode: 40163, errmsg: 'code been used' });
    }
    const person = codes.get(code);
    if (!person || person.appId !== q.appid) {
      return send({ errcode: 40029, errmsg: 'invalid code' });
    }
    used.add(code);
    if (url.pathname === '/sns/jscode2session') {
      return send({ openid: person.openid, session_key: 'sk', ...(person.unionid ? { unionid: person.unionid } : {}) });
    }
    const accessToken = newCode();
    tokens.set(accessToken, person);
    return send({
      access_token: accessToken,
      expires_in: 7200,
      refresh_token: newCode(),
      openid: person.openid,
      scope: 'snsapi_login',
      ...(person.unionid ? { unionid: person.unionid } : {}),
    });
  });
  /** The QR page: "scanning" is a link back to the redirect URI with a code for the person queued for it. */
  const scanners: WechatPerson[] = [];
  function qrPage(res: ServerResponse, q: Record<string, string>) {
    const person = scanners.shift() ?? { appId: q.appid, openid: `o_${newCode()}`, nickname: '扫码用户' };
    const code = newCode();
    codes.set(code, person);
    const back = new URL(q.redirect_uri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.state);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>WeChat</title><a id="scan" href="${back.href}">扫码确认登录</a>`);
  }
  const url = await listen(server);
  return {
    url,
    calls,
    /** A code WeChat would hand this person's app (SDK, wx.login) or put on the QR redirect. */
    codeFor(person: WechatPerson): string {
      const code = newCode();
      codes.set(code, person);
      return code;
    },
    /** The next QR page signs in this person. */
    scanAs(person: WechatPerson): void {
      scanners.push(person);
    },
    close: () => close(server),
  };
}

/** GitHub's OAuth app endpoints: a bad or used code is 200 `{error: 'bad_verification_code'}`. */
export async function startGithubStandIn(clientId: string, clientSecret: string) {
  const codes = new Map<string, { id: number; login: string }>();
  const tokens = new Map<string, { id: number; login: string }>();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
        const body = JSON.parse(await readBody(req)) as Record<string, string>;
        const person = codes.get(body.code);
        codes.delete(body.code);
        if (body.client_id !== clientId || body.client_secret !== clientSecret) {
          return json(200, { error: 'incorrect_client_credentials' });
        }
        if (!person) {
          return json(200, {
            error: 'bad_verification_code',
            error_description: 'The code passed is incorrect or expired.',
          });
        }
        const token = `gho_${newCode()}`;
        tokens.set(token, person);
        return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user' });
      }
      if (url.pathname === '/user') {
        const person = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        return person
          ? json(200, { ...person, name: null, email: 'shared@example.com' })
          : json(401, { message: 'Bad credentials' });
      }
      json(404, { message: 'Not Found' });
    })();
  });
  const url = await listen(server);
  return {
    url,
    codeFor(person: { id: number; login: string }): string {
      const code = newCode();
      codes.set(code, person);
      return code;
    },
    close: () => close(server),
  };
}

/** A real OpenID provider (panva's oidc-provider) in-process, with its development login and consent pages. */
export async function startOidcProvider(client: { id: string; secret: string; redirectUris: string[] }) {
  const server = createServer();
  const issuer = await listen(server);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: client.redirectUris,
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // Any login name is an account; its claims include an email that must never be used to match an account.
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, email: 'shared@example.com', email_verified: true, preferred_username: sub }),
    }),
    pkce: { required: () => true },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));
  return {
    issuer,
    /** Walks the provider's login and consent pages as `login` and answers the redirect's query. */
    async authorize(authorizeUrl: string, login: string): Promise<URLSearchParams> {
      const cookies = new Map<string, string>();
      let next = authorizeUrl;
      let form: Record<string, string> | null = null;
      for (let hop = 0; hop < 12; hop += 1) {
        const res: Response = await fetch(next, {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: form ? new URLSearchParams(form).toString() : undefined,
        });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const [k, v] = pair.split('=');
          cookies.set(k, v);
        }
        form = null;
        const location = res.headers.get('location');
        if (location) {
          const target = new URL(location, next);
          if (client.redirectUris.some((u) => target.href.startsWith(u))) {
            return target.searchParams;
          }
          next = target.href;
          continue;
        }
        const html: string = await res.text();
        const action = /action="([^"]+)"/.exec(html)?.[1];
        if (!action) {
          throw new Error(`OIDC stand-in: no form at ${next}: ${html.slice(0, 200)}`);
        }
        next = new URL(action, next).href;
        form = html.includes('name="login"') ? { prompt: 'login', login, password: 'any' } : { prompt: 'consent' };
      }
      throw new Error('OIDC stand-in: too many hops');
    },
    close: () => close(server),
  };
}
