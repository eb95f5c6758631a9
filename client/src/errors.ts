import type { FieldError } from './types.js';

/** A non-2xx answer from the API, carrying the envelope's stable `error` code (SPEC §3). */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';

  constructor(
    /** HTTP status. */
    readonly status: number,
    /** Stable error code such as `INVALID_CREDENTIALS`; branch on this, never on `message`. */
    readonly code: string,
    message: string,
    /** Field messages of a 400 `VALIDATION_FAILED`. */
    readonly errors: FieldError[] = [],
    /** Seconds from `Retry-After` on 429/503, when sent. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

interface ErrorBody {
  msg?: unknown;
  error?: unknown;
  errors?: unknown;
}

/** Reads the error envelope; tolerates a non-JSON body (a proxy's HTML page, an empty 502). */
export async function errorFromResponse(response: Response): Promise<GatehouseError> {
  let body: ErrorBody = {};
  try {
    body = ((await response.clone().json()) as ErrorBody | null) ?? {};
  } catch {
    // Not JSON: keep the status alone.
  }
  const retry = Number(response.headers.get('retry-after'));
  return new GatehouseError(
    response.status,
    typeof body.error === 'string' ? body.error : `HTTP_${response.status}`,
    typeof body.msg === 'string' ? body.msg : response.statusText || `HTTP ${response.status}`,
    Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

/** The `error` code of a 401 answer, without consuming the body the caller will read. */
export async function errorCodeOf(response: Response): Promise<string | null> {
  if (response.status !== 401) {
    return null;
  }
  return (await errorFromResponse(response)).code;
}
