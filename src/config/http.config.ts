import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { documentEnvPattern, EnvDoc, validateConfig } from '#src/config/validate-config.js';

// Read by readTrustProxy() before the app module exists, so it has no env class of its own.
documentEnvPattern(
  'HttpEnv',
  'TRUST_PROXY',
  'Comma-separated IPs, CIDR ranges or loopback: proxies whose X-Forwarded-For is believed. Default: unset (trust none).',
  '',
);

class HttpEnv {
  @EnvDoc(
    'Comma-separated browser origins allowed to call the API, e.g. https://app.example.com. Default: unset (CORS off).',
  )
  @IsOptional()
  @Matches(/^\s*(https?:\/\/[^\s,/]+|\*)(\s*,\s*https?:\/\/[^\s,/]+)*\s*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;
}

export interface HttpConfig {
  /** Browser origins allowed to call the API; empty means CORS stays off. */
  corsOrigins: string[];
}

export default registerAs('http', (): HttpConfig => {
  const env = validateConfig(process.env, HttpEnv);
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  return { corsOrigins };
});
