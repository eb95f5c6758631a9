import type { MigrationInterface, QueryRunner } from 'typeorm';
import { repairSchema, type SchemaRepair } from '#src/database/schema-repair.js';

const REPAIR: SchemaRepair = {
  foreignKeys: [
    { table: 'sessions', name: 'FK_sessions_user', column: 'user_id', references: 'users' },
    { table: 'refresh_tokens', name: 'FK_refresh_tokens_session', column: 'session_id', references: 'sessions' },
  ],
  usersBooleanColumn: 'disabled',
};

/** Makes the core tables read back exactly as the entities declare them (see `SchemaRepair`). */
export class SchemaMatchesEntities1764600000000 implements MigrationInterface {
  name = 'SchemaMatchesEntities1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await repairSchema(queryRunner, REPAIR, 'up');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await repairSchema(queryRunner, REPAIR, 'down');
  }
}
