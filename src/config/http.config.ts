import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { validateConfig } from '#src/config/validate-config.js';

class HttpEnv {
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
