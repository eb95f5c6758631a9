import { Strategy } from 'passport-strategy';
import { NO_TOKEN } from '#src/auth/guards/passport-errors.js';

/** passport's typings name Express' request; Nest on Fastify hands the raw request in its place. */
type PassportRequest = Parameters<Strategy['authenticate']>[0];

export interface VerifiedTokenOptions {
  extract: (request: PassportRequest) => string | null;
  /** Checks signature, pinned algorithm, key id and claims; throws the SPEC §3 error otherwise. */
  verify: (token: string) => unknown;
}

type Done = (err: unknown, user?: unknown, info?: unknown) => void;

/**
 * A passport strategy that verifies through TokenService rather than
 * passport-jwt's jsonwebtoken, which has no EdDSA: one verification path for
 * HS256, EdDSA, RS256 and ES256, with the key chosen by `kid`.
 */
export class VerifiedTokenStrategy extends Strategy {
  constructor(
    private readonly options: VerifiedTokenOptions,
    private readonly validateCallback: (payload: unknown, done: Done) => void,
  ) {
    super();
  }

  override authenticate(request: PassportRequest): void {
    const token = this.options.extract(request);
    if (!token) {
      this.fail(new Error(NO_TOKEN) as unknown as string, 401);
      return;
    }
    let payload: unknown;
    try {
      payload = this.options.verify(token);
    } catch (e) {
      this.fail(e as string, 401);
      return;
    }
    this.validateCallback(payload, (err, user, info) => {
      if (err) {
        this.error(err as Error);
      } else if (!user) {
        this.fail(info as string, 401);
      } else {
        this.success(user, info);
      }
    });
  }
}
