import { registerAs } from '@nestjs/config';
import { IsBooleanString, IsOptional } from 'class-validator';
import { EnvDoc, toBool, validateConfig } from '#src/platform/index.js';

class ConsoleEnv {
  @EnvDoc('The admin console at /admin (built by npm run build); false turns it off.', 'true')
  @IsOptional()
  @IsBooleanString()
  ADMIN_CONSOLE_ENABLED?: string;
}

export interface ConsoleConfig {
  enabled: boolean;
}

/** SPEC §17: on unless ADMIN_CONSOLE_ENABLED=false, in production too (it is only a page; the API decides). */
export default registerAs('console', (): ConsoleConfig => {
  const env = validateConfig(process.env, ConsoleEnv);
  return { enabled: toBool(env.ADMIN_CONSOLE_ENABLED, true) };
});
