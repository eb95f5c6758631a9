import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BINARY_COLLATION, DEFAULT_COLLATION, setCollation, type TextColumn } from '#src/platform/index.js';

const COLUMNS: TextColumn[] = [{ name: 'destination', length: 254, nullable: false }];

/**
 * Issue 22: a code row is found by its canonical destination byte for byte, as accounts are (SPEC §4): under an
 * accent-folding collation a look-alike address would read, or overwrite, the code row of the address it imitates.
 * Live email codes keyed by the old form simply expire (CODE_TTL).
 */
export class BinaryDestinations1765150100000 implements MigrationInterface {
  name = 'BinaryDestinations1765150100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await setCollation(queryRunner, 'verification_codes', COLUMNS, BINARY_COLLATION);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await setCollation(queryRunner, 'verification_codes', COLUMNS, DEFAULT_COLLATION);
  }
}
