import type { MigrationInterface, QueryRunner } from 'typeorm';
import { repairSchema, type SchemaRepair } from '#src/platform/index.js';

const REPAIR: SchemaRepair = {
  foreignKeys: [
    { table: 'mfa_challenges', name: 'FK_mfa_challenges_user', column: 'user_id', references: 'users' },
    { table: 'mfa_recovery_codes', name: 'FK_mfa_recovery_codes_user', column: 'user_id', references: 'users' },
  ],
  usersBooleanColumn: 'totp_enabled',
};

/** Makes the MFA tables and columns read back exactly as the entities declare them (see `SchemaRepair`). */
export class MfaSchemaMatchesEntities1764600100000 implements MigrationInterface {
  name = 'MfaSchemaMatchesEntities1764600100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await repairSchema(queryRunner, REPAIR, 'up');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await repairSchema(queryRunner, REPAIR, 'down');
  }
}
