import jwt from 'jsonwebtoken';
import { sign, verify, type KeyObject } from 'node:crypto';
import type { AsymmetricAlgorithm } from '#src/config/jwt-keys.js';

/**
 * Compact JWS for the asymmetric algorithms with node:crypto, synchronous like
 * jsonwebtoken (which has no EdDSA). RFC 8725 §3.1: the header's `alg` must be
 * the configured one, so a token signed with HS256 and the public key as its
 * secret is refused before any key is used.
 */
const DIGEST: Record<AsymmetricAlgorithm, string | null> = { EdDSA: null, RS256: 'sha256', ES256: 'sha256' };

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function keyInput(algorithm: AsymmetricAlgorithm, key: KeyObject) {
  // RFC 7518 §3.4: ES256 signatures are the raw r||s pair, not DER.
  return algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
}

export function signJws(payload: object, algorithm: AsymmetricAlgorithm, kid: string, key: KeyObject): string {
  const input = `${b64({ alg: algorithm, typ: 'JWT', kid })}.${b64(payload)}`;
  const signature = sign(DIGEST[algorithm], Buffer.from(input), keyInput(algorithm, key));
  return `${input}.${signature.toString('base64url')}`;
}

function parse(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new jwt.JsonWebTokenError('malformed token');
  }
  return value as Record<string, unknown>;
}

/**
 * Checks the signature with the key the header's `kid` names, then `exp`/`nbf`.
 * Throws jsonwebtoken's error classes so one mapping serves both paths.
 */
export function verifyJws(
  token: string,
  algorithm: AsymmetricAlgorithm,
  keyFor: (kid: string) => KeyObject | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new jwt.JsonWebTokenError('malformed token');
  }
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = parse(parts[0]);
    payload = parse(parts[1]);
  } catch {
    throw new jwt.JsonWebTokenError('malformed token');
  }
  const key = typeof header.kid === 'string' ? keyFor(header.kid) : undefined;
  // RFC 7515 §4.1.11: a `crit` extension we do not understand makes the token invalid.
  if (header.alg !== algorithm || header.crit !== undefined || !key) {
    throw new jwt.JsonWebTokenError('invalid algorithm or key id');
  }
  const signature = Buffer.from(parts[2], 'base64url');
  if (!verify(DIGEST[algorithm], Buffer.from(`${parts[0]}.${parts[1]}`), keyInput(algorithm, key), signature)) {
    throw new jwt.JsonWebTokenError('invalid signature');
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds) {
    throw new jwt.NotBeforeError('jwt not active', new Date(payload.nbf * 1000));
  }
  if (typeof payload.exp === 'number' && payload.exp <= nowSeconds) {
    throw new jwt.TokenExpiredError('jwt expired', new Date(payload.exp * 1000));
  }
  return payload;
}
