import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ModuleMetadata, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '#src/app.module.js';
import { buildOpenApiDocument, configureApp, createFastifyAdapter } from '#src/app.setup.js';
import { Clock, ManualClock } from '#src/common/clock.js';
import { DEMO_PAGE_DIR } from '#src/common/demo-page.js';
import type { LogDestination } from '#src/logging/logger-options.js';
import { ContractChecker, recordAnswers } from './openapi-contract.js';
import { OPENAPI_METADATA_FILE } from './openapi-metadata-file.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_ACCESS_SECRET: 'test-access-secret-0123456789abcdef0123456789',
  JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdef012345678',
  MFA_ENCRYPTION_KEY: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  // Small Argon2 parameters keep the suite fast; the rehash tests raise them where it matters.
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  ARGON2_PARALLELISM: '1',
  // Every test logs in from 127.0.0.1: the throttling specs set their own limits, others should not meet them.
  THROTTLE_LOGIN_ACCOUNT_IP_MAX: '100000',
  THROTTLE_LOGIN_IP_MAX: '100000',
  THROTTLE_LOGIN_ACCOUNT_MAX: '100000',
  THROTTLE_REGISTER_MAX: '100000',
  THROTTLE_REFRESH_MAX: '100000',
};

/** One slot, no queue and a slow hash: a second login at once finds the hashing queue full. */
export const FULL_HASH_QUEUE = {
  HASH_CONCURRENCY: '1',
  HASH_QUEUE_MAX: '0',
  ARGON2_MEMORY_KIB: '65536',
  ARGON2_TIME_COST: '3',
};

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** The app's clock: `clock.advance(ms)` moves time for every service instead of a sleep. Kept across restarts. */
  clock: ManualClock;
  /** Every answer is checked against the app's OpenAPI document; `close()` fails on what it found. */
  contract: ContractChecker;
  /** Closes the app and boots a new one on the same database and settings, changed by `overrides`. */
  restart(overrides?: Record<string, string>): Promise<void>;
  /** Closes the app, drops its database, then throws if any answer broke the OpenAPI contract. */
  close(): Promise<void>;
}

let pluginMetadata: Promise<void> | undefined;

/** The Swagger plugin's metadata that `nest build` compiles in (see openapi-metadata.ts), loaded once per worker. */
function loadPluginMetadata(): Promise<void> {
  pluginMetadata ??= (async () => {
    if (!existsSync(OPENAPI_METADATA_FILE)) {
      // Normally made by the Vitest globalSetup; a run without it generates it here.
      const { ensureOpenApiMetadata } = await import('./openapi-metadata.js');
      ensureOpenApiMetadata();
    }
    const generated = (await import(pathToFileURL(OPENAPI_METADATA_FILE).href)) as {
      default: () => Promise<Record<string, unknown>>;
    };
    await SwaggerModule.loadPluginMetadata(generated.default);
  })();
  return pluginMetadata;
}

/** Config is read once at boot, so the overrides are set for the boot only and then put back. */
async function boot(
  env: Record<string, string>,
  options: TestAppOptions,
  clock: ManualClock,
  contract: { checker?: ContractChecker },
): Promise<NestFastifyApplication> {
  await loadPluginMetadata();
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [...(options.imports ?? [AppModule]), ...(options.mount ?? [])],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const adapter = createFastifyAdapter(options);
    // Added before configureApp so it sees every answer, the framework's own errors included.
    recordAnswers(adapter.getInstance(), () => contract.checker);
    const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
    await configureApp(app);
    // Built the way /docs-json builds it, whether or not DOCS_ENABLED serves it.
    const document = buildOpenApiDocument(app);
    if (contract.checker === undefined) {
      contract.checker = new ContractChecker(document, DEMO_PAGE_DIR);
    } else {
      contract.checker.useDocument(document);
    }
    return app;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
}

/** Boots the real app (same `configureApp` as main.ts) on a database of its own. */
export interface TestAppOptions {
  /** Receives the app's JSON log lines (set LOG_LEVEL too: the default for tests is silent). */
  logStream?: LogDestination;
  /** Boots on this database instead of a new one (several instances, one database); the caller drops it. */
  database?: TestDatabase;
  /** The modules to boot instead of `[AppModule]`, e.g. its imports in another order, or with a test module. */
  imports?: ModuleMetadata['imports'];
  /** Extra modules mounted beside the app's, e.g. a test controller. */
  mount?: Type[];
}

export async function createTestApp(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const env = { ...TEST_ENV, DATA_DIR: db.dataDir, DATABASE_URL: db.url, ...overrides };
  const clock = new ManualClock();
  const contract: { checker?: ContractChecker } = {};
  const state = { app: await boot(env, options, clock, contract) };
  const testApp: TestApp = {
    get app() {
      return state.app;
    },
    db,
    get dataSource() {
      return state.app.get(DataSource);
    },
    http: () => request(state.app.getHttpServer()),
    clock,
    get contract() {
      return contract.checker!;
    },
    async restart(changes = {}) {
      await state.app.close();
      Object.assign(env, changes);
      state.app = await boot(env, options, clock, contract);
    },
    async close() {
      await state.app.close();
      if (!options.database) {
        await db.drop();
      }
      assertContractKept(contract.checker);
    },
  };
  return testApp;
}

/** Issue 14.5: an answer the OpenAPI document does not describe fails the test file that produced it. */
function assertContractKept(checker: ContractChecker | undefined): void {
  const counts = new Map<string, number>();
  for (const violation of checker?.violations ?? []) {
    counts.set(violation, (counts.get(violation) ?? 0) + 1);
  }
  if (counts.size > 0) {
    const lines = [...counts].map(([violation, n]) => `  ${violation}${n > 1 ? ` (x${n})` : ''}`);
    throw new Error(`Answers that break the OpenAPI document (/docs-json):\n${lines.join('\n')}`);
  }
}
