import { Logger, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import databaseConfig from '#src/database/database.config.js';
import { buildDataSourceOptions } from '#src/database/data-source.js';
import { boundDataSourcePoolWaits } from '#src/database/pool-wait.js';
import { runPendingMigrations } from '#src/database/run-migrations.js';

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
      }),
      // Initialised here rather than by the module, so that migrations run under the lock before anything is served.
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = await new DataSource(options!).initialize();
        boundDataSourcePoolWaits(dataSource);
        try {
          const applied = await runPendingMigrations(dataSource);
          if (applied.length > 0) {
            // Issue 31.7: a first start says it migrated, and what, between the build and the banner.
            new Logger('Database').log(
              `applied ${applied.length} migrations: ${applied.map((m) => m.name).join(', ')}`,
            );
          }
        } catch (e) {
          await dataSource.destroy(); // the module retries with a new pool: this one must not stay open
          throw e;
        }
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
