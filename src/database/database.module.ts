import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import databaseConfig from '#src/database/database.config.js';
import { buildDataSourceOptions } from '#src/database/data-source.js';

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
    }),
  ],
})
export class DatabaseModule {}
