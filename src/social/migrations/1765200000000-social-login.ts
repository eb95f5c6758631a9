import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const userFk = (table: string) =>
  new TableForeignKey({
    name: `FK_${table}_user`,
    columnNames: ['user_id'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
    // Spelled out: MariaDB reads an omitted rule back as RESTRICT, the entity's @ForeignKey means NO ACTION.
    onUpdate: 'NO ACTION',
  });

/** SPEC §15: linked provider identities, and the single-use states, link tokens and spent codes of the flows. */
export class SocialLogin1765200000000 implements MigrationInterface {
  name = 'SocialLogin1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'user_identities',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          // Null only while a sign-up that claimed the identity creates its account.
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'provider', type: 'varchar', length: '40' },
          { name: 'issuer', type: 'varchar', length: '255' },
          { name: 'subject', type: 'varchar', length: '255' },
          { name: 'display_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'created_at', type: 'bigint' },
        ],
        indices: [
          // The provider's stable key is the identity: one account per key, whoever links first (SPEC §15).
          new TableIndex({
            name: 'UQ_user_identities_issuer_subject',
            columnNames: ['issuer', 'subject'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_user_identities_user_id', columnNames: ['user_id'] }),
        ],
        foreignKeys: [userFk('user_identities')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'social_grants',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'kind', type: 'varchar', length: '10' },
          // SHA-256 of the state, link token or provider code: the value itself is never stored.
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'provider', type: 'varchar', length: '40' },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'payload', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [
          new TableIndex({ name: 'UQ_social_grants_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_social_grants_expires_at', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [userFk('social_grants')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('social_grants');
    await queryRunner.dropTable('user_identities');
  }
}
