import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEMO_PAGE_DIR } from '#src/common/demo-page.js';
import appConfig from '#src/config/app.config.js';
import databaseConfig, { type DatabaseConfig } from '#src/database/database.config.js';
import jwtConfig from '#src/config/jwt.config.js';

export interface StartInfo {
  /** Where a browser on this machine reaches the server, e.g. `http://localhost:3000`. */
  url: string;
  database: DatabaseConfig;
  /** Whether Swagger UI is served at `/docs` (DOCS_ENABLED). */
  docs: boolean;
  /** `/`: served, enabled but not built (`npm run build:web`), or off (DEMO_ENABLED). */
  demoPage: 'served' | 'not built' | 'off';
  /** The generated development secrets file, when the JWT secrets come from it. */
  devSecretsFile?: string;
}

/** The database in use, for a person: a SQLite path, or a MySQL host and database without the credentials. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.type === 'sqlite') {
    return `SQLite ${displayPath(database.path)}`;
  }
  const url = new URL(database.url);
  return `MySQL ${url.host}${url.pathname}`;
}

/**
 * Lines of the banner logged once the server listens (issue 17.1): where to go, what it runs on. It names only what
 * is served (issue 24.7): production turns off `/docs` and the demo page, and a link that answers 404 misleads.
 */
export function startBanner(info: StartInfo): string[] {
  const demo = { served: `${info.url}/`, 'not built': 'not built (npm run build:web)', off: undefined }[info.demoPage];
  return [
    `Gatehouse is ready at ${info.url} (API under ${info.url}/api/v1)`,
    ...(info.docs ? [`  API docs:  ${info.url}/docs`] : []),
    ...(demo ? [`  Demo page: ${demo}`] : []),
    `  Database:  ${describeDatabase(info.database)}`,
    info.devSecretsFile
      ? `  Secrets:   DEVELOPMENT secrets generated in ${displayPath(info.devSecretsFile)}: never use them in production`
      : '  Secrets:   from the environment',
  ];
}

/** Gathers what the banner names from the running app and logs it as one entry. */
export function logStartBanner(app: NestFastifyApplication, host = 'localhost'): string[] {
  const { port, dataDir, docsEnabled, demoEnabled } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const jwt = app.get<ConfigType<typeof jwtConfig>>(jwtConfig.KEY);
  const address = app.getHttpServer().address();
  const listening = typeof address === 'object' && address !== null ? address.port : port;
  const lines = startBanner({
    url: `http://${host}:${listening}`,
    database: app.get<ConfigType<typeof databaseConfig>>(databaseConfig.KEY),
    docs: docsEnabled,
    demoPage: !demoEnabled ? 'off' : existsSync(join(DEMO_PAGE_DIR, 'index.html')) ? 'served' : 'not built',
    devSecretsFile: devSecretsInUse(dataDir, [jwt.accessSecret, jwt.refreshSecret]),
  });
  new Logger('Gatehouse').log(lines.join('\n'));
  return lines;
}

/** `dev-secrets.ts` writes generated secrets to this file; they are in use when the JWT config holds one of them. */
function devSecretsInUse(dataDir: string, secrets: string[]): string | undefined {
  const file = join(dataDir, 'dev-secrets.json');
  if (!existsSync(file)) {
    return undefined;
  }
  try {
    const generated = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    return secrets.some((secret) => generated.includes(secret)) ? file : undefined;
  } catch {
    return undefined;
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : `./${rel}`;
}
