import 'reflect-metadata';
import type { ModuleMetadata, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/app.setup.js';
import { Clock, ManualClock } from '#src/common/clock.js';
import type { LogDestination } from '#src/logging/logger-options.js';
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
  /** Closes the app and boots a new one on the same database and settings, changed by `overrides`. */
  restart(overrides?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** Config is read once at boot, so the overrides are set for the boot only and then put back. */
async function boot(
  env: Record<string, string>,
  options: TestAppOptions,
  clock: ManualClock,
): Promise<NestFastifyApplication> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [...(options.imports ?? [AppModule]), ...(options.mount ?? [])],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(options), {
      logger: false,
    });
    return await configureApp(app);
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
  const state = { app: await boot(env, options, clock) };
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
    async restart(changes = {}) {
      await state.app.close();
      Object.assign(env, changes);
      state.app = await boot(env, options, clock);
    },
    async close() {
      await state.app.close();
      if (!options.database) {
        await db.drop();
      }
    },
  };
  return testApp;
}
