import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type DevSecrets = Record<string, string>;

/**
 * Development only: secrets generated once into DATA_DIR so `npm start`
 * works with zero configuration and tokens survive a restart.
 */
export function loadDevSecrets(dataDir: string, names: string[]): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  const secrets: DevSecrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevSecrets) : {};
  const missing = names.filter((name) => !secrets[name]);
  if (missing.length > 0) {
    for (const name of missing) {
      secrets[name] = randomBytes(48).toString('base64url');
    }
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  new Logger('Config').warn(
    `!!! Using development secrets from ${file} for ${names.join(', ')}. ` +
      'Never use them in production: set NODE_ENV=production and real secrets. !!!',
  );
  return secrets;
}
