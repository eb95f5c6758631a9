import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { join } from 'node:path';
import appConfig from '#src/config/app.config.js';
import { validateConfig } from '#src/config/validate-config.js';

class DatabaseEnv {
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/.+|^sqlite:.+/, {
    message: 'DATABASE_URL must be mysql://user:pass@host:port/db or sqlite:/path/to/file.sqlite',
  })
  DATABASE_URL?: string;
}

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

export default registerAs('database', (): DatabaseConfig => {
  const env = validateConfig(process.env, DatabaseEnv);
  const url = env.DATABASE_URL;
  if (url && !url.startsWith('sqlite:')) {
    return { type: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
  }
  return { type: 'sqlite', path: url ? url.slice('sqlite:'.length) : join(appConfig().dataDir, 'gatehouse.sqlite') };
});
