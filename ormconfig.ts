import 'reflect-metadata';
import { DataSource } from 'typeorm';
import databaseConfig from '#src/database/database.config.js';
import { buildDataSourceOptions, findEntities } from '#src/database/data-source.js';
import { ReleaseLogger } from '#src/database/release-logger.js';

/**
 * The data source the TypeORM CLI uses (`npm run migration:*`), built from the same config as the app. The CLI has
 * no Nest modules to register entities, so it finds every `*.entity` file itself.
 */
export default new DataSource({
  ...(await buildDataSourceOptions(databaseConfig())),
  entities: await findEntities(),
  logger: new ReleaseLogger(),
});
