import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample } from '#src/config/env-example.js';
import { documentedEnv } from '#src/config/validate-config.js';

const SRC = fileURLToPath(new URL('../', import.meta.url));

describe('.env.example (issue 17.3)', () => {
  it('is what `npm run env:example` generates from the config schemas today', async () => {
    const committed = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(committed, 'stale: run `npm run env:example` and commit .env.example').toBe(await renderEnvExample(SRC));
  });

  it('lists the core variables of SPEC §2 with their defaults and a meaning for each', async () => {
    const text = await renderEnvExample(SRC);
    for (const line of ['#PORT=3000', '#JWT_ACCESS_TTL=24h', '#JWT_REFRESH_TTL=7d', '#SESSION_MAX_AGE=30d']) {
      expect(text.split('\n')).toContain(line);
    }
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'TRUST_PROXY', 'HASH_QUEUE_MAX', 'IMPORT_BCRYPT_COST']) {
      expect(text).toMatch(new RegExp(`^#${name}=`, 'm'));
    }
    expect(documentedEnv().every((doc) => doc.meaning.length > 0)).toBe(true);
  });
});
