import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** The active signing key and every public key that still verifies (the active one plus retired ones). */
export interface JwtKeySet {
  activeKid: string;
  privateKey: KeyObject;
  publicKeys: Map<string, KeyObject>;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;

/** RFC 8725 §3.5: only keys of the pinned algorithm's type and strength are accepted. */
function keyProblem(key: KeyObject, algorithm: AsymmetricAlgorithm): string | null {
  const details = key.asymmetricKeyDetails ?? {};
  switch (algorithm) {
    case 'RS256':
      return key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048
        ? null
        : 'RS256 needs an RSA key of at least 2048 bits';
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1' ? null : 'ES256 needs a P-256 key';
  }
}

function readKey(file: string): { private?: KeyObject; public: KeyObject } {
  const pem = readFileSync(file, 'utf8');
  if (pem.includes('PRIVATE KEY')) {
    const privateKey = createPrivateKey(pem);
    return { private: privateKey, public: createPublicKey(privateKey) };
  }
  return { public: createPublicKey(pem) };
}

/**
 * Reads `JWT_KEYS_DIR/<kid>.pem`: the active kid's file must hold a private
 * key; other files (public or private) are retired keys that keep verifying
 * tokens until they are removed. Stops the start with a message naming the variable.
 */
export function loadJwtKeys(
  dir: string | undefined,
  activeKid: string | undefined,
  algorithm: AsymmetricAlgorithm,
): JwtKeySet {
  const fail = (message: string): never => {
    throw new Error(`Invalid configuration:\n  ${message}`);
  };
  if (!dir || !existsSync(dir)) {
    return fail(`JWT_KEYS_DIR: JWT_ALGORITHM=${algorithm} needs a directory of <kid>.pem key files`);
  }
  if (!activeKid || !KID.test(activeKid)) {
    return fail(
      'JWT_ACTIVE_KID: must name the signing key (its file is JWT_KEYS_DIR/<kid>.pem, kid of [A-Za-z0-9._-])',
    );
  }
  const publicKeys = new Map<string, KeyObject>();
  let privateKey: KeyObject | undefined;
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.pem'))) {
    const kid = name.slice(0, -'.pem'.length);
    if (!KID.test(kid)) {
      fail(`JWT_KEYS_DIR: ${name} is not named <kid>.pem with a kid of [A-Za-z0-9._-]`);
    }
    let key: ReturnType<typeof readKey>;
    try {
      key = readKey(join(dir, name));
    } catch (e) {
      return fail(`JWT_KEYS_DIR: ${name} is not a PEM key (${(e as Error).message})`);
    }
    const problem = keyProblem(key.public, algorithm);
    if (problem) {
      fail(`JWT_KEYS_DIR: ${name}: ${problem}`);
    }
    publicKeys.set(kid, key.public);
    if (kid === activeKid) {
      privateKey = key.private;
    }
  }
  if (!privateKey) {
    return fail(`JWT_ACTIVE_KID: ${join(dir, `${activeKid}.pem`)} must exist and hold a private key`);
  }
  return { activeKid, privateKey, publicKeys };
}
