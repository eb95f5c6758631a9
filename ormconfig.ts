import 'reflect-metadata';
import { DataSource } from 'typeorm';
import databaseConfig from '#src/config/database.config.js';
import { buildDataSourceOptions } from '#src/database/data-source.js';

/** The data source the TypeORM CLI uses (`npm run migration:*`), built from the same config as the app. */
export default new DataSource({ ...buildDataSourceOptions(databaseConfig()), migrationsRun: false });
