import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';
import appConfig from '#src/config/app.config.js';
import { assertStrongSecrets } from '#src/config/secret-strength.js';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';

class MetricsEnv {
  @EnvDoc(
    'Bearer token GET /metrics asks for (Authorization: Bearer <token>); unset in production, /metrics answers 404.',
    'unset',
  )
  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string;
}

export interface MetricsConfig {
  /** Null: no token; /metrics is open outside production and hidden (404) in production. */
  token: string | null;
  production: boolean;
}

export default registerAs('metrics', (): MetricsConfig => {
  const env = validateConfig(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')), MetricsEnv);
  const production = appConfig().env === 'production';
  // SPEC §10: every production secret is checked for entropy alike.
  assertStrongSecrets(appConfig().env, { METRICS_TOKEN: env.METRICS_TOKEN });
  return { token: env.METRICS_TOKEN ?? null, production };
});
