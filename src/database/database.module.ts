import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import databaseConfig from '#src/config/database.config.js';
import { buildDataSourceOptions } from '#src/database/data-source.js';

/** Connects and applies pending migrations before the app serves (SPEC §2). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => buildDataSourceOptions(config),
    }),
  ],
})
export class DatabaseModule {}
