import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/app.setup.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_ACCESS_SECRET: 'test-access-secret-0123456789abcdef0123456789',
  JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdef012345678',
  // Small Argon2 parameters keep the suite fast; the rehash tests raise them where it matters.
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  ARGON2_PARALLELISM: '1',
};

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** Closes the app and boots a new one on the same database and settings. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Config is read once at boot, so the overrides are set for the boot only and then put back. */
async function boot(env: Record<string, string>): Promise<NestFastifyApplication> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false });
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
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const env = { ...TEST_ENV, DATA_DIR: db.dataDir, DATABASE_URL: db.url, ...overrides };
  const state = { app: await boot(env) };
  const testApp: TestApp = {
    get app() {
      return state.app;
    },
    db,
    get dataSource() {
      return state.app.get(DataSource);
    },
    http: () => request(state.app.getHttpServer()),
    async restart() {
      await state.app.close();
      state.app = await boot(env);
    },
    async close() {
      await state.app.close();
      await db.drop();
    },
  };
  return testApp;
}
