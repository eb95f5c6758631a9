/** What a provider proved: its stable key for the person (SPEC §15), never an email or phone claim. */
export interface ProvenIdentity {
  /** The route name: `wechat`, `github` or an OIDC provider's configured name. */
  provider: string;
  issuer: string;
  subject: string;
  displayName: string | null;
}

/** What a `/start` keeps with its single-use state, to finish the same flow on the callback. */
export interface StartedFlow {
  redirectUri: string;
  /** RFC 7636 verifier (OIDC); the challenge went out in the authorization URL. */
  codeVerifier: string;
  /** OIDC Core §3.1.2.1: bound into the ID token, checked on the way back. */
  nonce: string;
}

/** A provider signed into through a browser redirect (`/start` then `/callback`). */
export interface RedirectProvider {
  readonly name: string;
  authorizeUrl(flow: StartedFlow, state: string): Promise<string>;
  /** Exchanges the code; throws ProviderFailure on any provider error. */
  exchange(code: string, flow: StartedFlow, callback: { state: string; iss?: string }): Promise<ProvenIdentity>;
}

/** A provider answered an error or nothing usable; `detail` is for the log only, never for the client. */
export class ProviderFailure extends Error {
  constructor(
    readonly provider: string,
    readonly detail: string,
  ) {
    super(`${provider}: ${detail}`);
  }
}

/** GET/POST JSON with a deadline; any transport error or non-JSON answer is a ProviderFailure. */
export async function fetchJson(
  provider: string,
  url: string,
  init: RequestInit & { timeoutMs: number },
): Promise<Record<string, unknown>> {
  let text: string;
  let status: number;
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs) });
    status = res.status;
    // WeChat answers JSON as text/plain, so the body is parsed whatever its content type says.
    text = await res.text();
  } catch (e) {
    throw new ProviderFailure(provider, `request failed: ${(e as Error).name}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProviderFailure(provider, `HTTP ${status}, not JSON`);
  }
  if (status >= 400 || typeof body !== 'object' || body === null) {
    throw new ProviderFailure(provider, `HTTP ${status}`);
  }
  return body as Record<string, unknown>;
}
