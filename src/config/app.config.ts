import { registerAs } from '@nestjs/config';
import { IsBooleanString, IsIn, IsInt, IsIP, IsOptional, IsString, Max, Min } from 'class-validator';
import { isSupportedCountry } from 'libphonenumber-js';
import { resolve } from 'node:path';
import { EnvDoc, toBool, validateConfig } from '#src/config/validate-config.js';

const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

class AppEnv {
  @EnvDoc('development, production or test; production requires every secret to be set explicitly.', 'development')
  @IsOptional()
  @IsIn(NODE_ENVS)
  NODE_ENV?: NodeEnv;
  @EnvDoc('HTTP port.', '3000')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;
  @EnvDoc(
    'Address the HTTP server listens on; unset, 127.0.0.1 (this machine only) except in production, where 0.0.0.0 (every interface, as a container needs).',
    '',
  )
  @IsOptional()
  @IsIP()
  HOST?: string;
  @EnvDoc('Where the SQLite file and the development secrets live.', './data')
  @IsOptional()
  @IsString()
  DATA_DIR?: string;
  @EnvDoc('Level of the JSON logs (pino): fatal, error, warn, info, debug, trace or silent.', 'info')
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @EnvDoc('false closes POST /auth/register (403 REGISTRATION_DISABLED); create users with the CLI instead.', 'true')
  @IsOptional()
  @IsBooleanString()
  REGISTRATION_ENABLED?: string;
  @EnvDoc('ISO 3166 region in which national phone numbers are read.', 'CN')
  @IsOptional()
  @IsString()
  DEFAULT_PHONE_REGION?: string;
  @EnvDoc('Minimum password length in Unicode code points after NFKC (ASVS 5 recommends 8).', '6')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(128)
  PASSWORD_MIN_LENGTH?: number;
  @EnvDoc('Serves Swagger UI at /docs and the OpenAPI JSON at /docs-json; unset, on except in production.', '')
  @IsOptional()
  @IsBooleanString()
  DOCS_ENABLED?: string;
  @EnvDoc('Serves the built demo page (web/dist) at /; unset, on except in production.', '')
  @IsOptional()
  @IsBooleanString()
  DEMO_ENABLED?: string;
}

export interface AppConfig {
  env: NodeEnv;
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  registrationEnabled: boolean;
  defaultPhoneRegion: string;
  passwordMinLength: number;
  docsEnabled: boolean;
  demoEnabled: boolean;
}

export default registerAs('app', (): AppConfig => {
  const env = validateConfig(process.env, AppEnv);
  const region = (env.DEFAULT_PHONE_REGION ?? 'CN').toUpperCase();
  if (!isSupportedCountry(region)) {
    throw new Error(
      `Invalid configuration:\n  DEFAULT_PHONE_REGION: ${region} is not an ISO 3166 region that libphonenumber knows`,
    );
  }
  const nodeEnv = env.NODE_ENV ?? 'development';
  // OWASP ASVS 5.0 V13.4.5: production exposes no documentation or test pages unless an operator opts in.
  const onOutsideProduction = nodeEnv !== 'production';
  return {
    env: nodeEnv,
    port: env.PORT ?? 3000,
    // A development server is reachable from this machine only; a production one serves a container's network.
    host: env.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    dataDir: resolve(env.DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    registrationEnabled: toBool(env.REGISTRATION_ENABLED, true),
    defaultPhoneRegion: region,
    // SPEC §4 keeps the seed's 6; OWASP ASVS 5.0 V6.2.1 recommends at least 8.
    passwordMinLength: env.PASSWORD_MIN_LENGTH ?? 6,
    docsEnabled: toBool(env.DOCS_ENABLED, onOutsideProduction),
    demoEnabled: toBool(env.DEMO_ENABLED, onOutsideProduction),
  };
});
