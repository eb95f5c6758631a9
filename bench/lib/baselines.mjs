// The servers every scenario compares the app with, as startServer() options: run.mjs starts them as they are, the
// instruction count (instructions.mjs) starts the same ones under valgrind.
import { join } from 'node:path';
import jwt from 'jsonwebtoken';

/** The NestJS docs' jwtConstants.secret, a plain string: what the recipe signs and verifies with. */
export const RECIPE_SECRET = 'secretKey';

/** The `Authorization` header the recipe's guard accepts: its own token, as the NestJS docs' login would sign. */
export function recipeAuthorization() {
  return {
    authorization: `Bearer ${jwt.sign({ sub: '1', sid: 'bench-session' }, RECIPE_SECRET, { expiresIn: '1h' })}`,
  };
}

export function baselineServers(root, { hashEnv = {}, keycloakArgon2 = {} } = {}) {
  const script = (name) => join(root, 'bench/baselines', name);
  return {
    bare: { name: 'bare-fastify', script: script('bare-fastify.mjs'), readyPath: '/ping' },
    nest: {
      name: 'nest-express-passport',
      script: script('nest-express-passport.mjs'),
      env: { BASELINE_JWT_SECRET: RECIPE_SECRET },
      readyPath: '/health',
    },
    recipe: {
      name: 'nest-fastify-passport',
      script: script('nest-fastify-passport.mjs'),
      env: { BASELINE_JWT_SECRET: RECIPE_SECRET },
      readyPath: '/health',
    },
    argon2: { name: 'argon2-verify', script: script('hash-verify.mjs'), env: { ...hashEnv, HASH_ALGO: 'argon2' } },
    argon2kc: {
      name: 'argon2-verify-keycloak',
      script: script('hash-verify.mjs'),
      env: { ...hashEnv, ...keycloakArgon2, HASH_ALGO: 'argon2' },
    },
    bcrypt: {
      name: 'bcrypt-verify',
      script: script('hash-verify.mjs'),
      env: { ...hashEnv, HASH_ALGO: 'bcrypt', BCRYPT_COST: '12' },
    },
  };
}
