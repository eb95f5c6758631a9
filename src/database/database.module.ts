import { Logger, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import databaseConfig from '#src/database/database.config.js';
import { buildDataSourceOptions } from '#src/database/data-source.js';
import { connectWithRetry } from '#src/database/connect-with-retry.js';
import { boundDataSourcePoolWaits } from '#src/database/pool-wait.js';
import { runPendingMigrations } from '#src/database/run-migrations.js';

/** What the start needs beside TypeORM's options, carried from `useFactory` to `dataSourceFactory`. */
interface StartOptions {
  connectAttempts: number;
  displayUrl: string;
}

/**
 * Connects and applies pending migrations before the app serves (SPEC §2). Entities come from each module's
 * `TypeOrmModule.forFeature` (`autoLoadEntities`), so adding a table touches no list here (STYLE 12).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule.forFeature(databaseConfig)],
      inject: [databaseConfig.KEY],
      useFactory: async (config: ConfigType<typeof databaseConfig>) => ({
        ...(await buildDataSourceOptions(config)),
        autoLoadEntities: true,
        // connectWithRetry retries, with one readable line per attempt instead of the module's stack traces.
        toRetry: () => false,
        connectAttempts: config.connectAttempts,
        displayUrl: config.type === 'mysql' ? config.url : `sqlite:${config.path}`,
      }),
      // Initialised here rather than by the module, so that migrations run under the lock before anything is served.
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const { connectAttempts, displayUrl, ...dataSourceOptions } = options as DataSourceOptions & StartOptions;
        return connectWithRetry(() => connectAndMigrate(dataSourceOptions), {
          url: displayUrl,
          attempts: connectAttempts,
          delayMs: 3000,
          report: (line) => process.stderr.write(`${line}\n`),
        });
      },
    }),
  ],
})
export class DatabaseModule {}

async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  boundDataSourcePoolWaits(dataSource);
  try {
    const applied = await runPendingMigrations(dataSource);
    if (applied.length > 0) {
      // Issue 31.7: a first start says it migrated, and what, between the build and the banner.
      new Logger('Database').log(`applied ${applied.length} migrations: ${applied.map((m) => m.name).join(', ')}`);
    }
  } catch (e) {
    await dataSource.destroy(); // a retry opens a new pool: this one must not stay open
    throw e;
  }
  return dataSource;
}
