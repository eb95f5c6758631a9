import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BINARY_COLLATION, DEFAULT_COLLATION, setCollation, type TextColumn } from '#src/database/binary-collation.js';
import { canonicalEmail } from '#src/users/canonical.js';

const COLUMNS: TextColumn[] = [
  { name: 'username_normalized', length: 50, nullable: false },
  { name: 'email_normalized', length: 254, nullable: true },
];

interface Row {
  id: number;
  email: string;
  email_normalized: string | null;
}

/**
 * Issue 22: usernames and emails compare byte for byte on every database, and stored emails take the canonical
 * form (NFKC, lower case, IDNA domain; SPEC §4), so a look-alike address never resolves to another account.
 */
export class CanonicalIdentities1765150000000 implements MigrationInterface {
  name = 'CanonicalIdentities1765150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await setCollation(queryRunner, 'users', COLUMNS, BINARY_COLLATION);
    await recomputeEmails(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await setCollation(queryRunner, 'users', COLUMNS, DEFAULT_COLLATION);
  }
}

/**
 * Rewrites each stored canonical email. Rows already canonical keep theirs first; a row whose new form another
 * row already holds keeps its old one (still unique, found only by that exact form) rather than failing the upgrade.
 */
async function recomputeEmails(queryRunner: QueryRunner): Promise<void> {
  const rows = (await queryRunner.query(
    'SELECT id, email, email_normalized FROM users WHERE email IS NOT NULL ORDER BY id',
  )) as Row[];
  const held = new Set(rows.map((row) => row.email_normalized).filter((value) => value !== null));
  for (const row of rows) {
    const canonical = canonicalEmail(row.email);
    if (canonical === row.email_normalized || held.has(canonical)) {
      continue;
    }
    held.add(canonical);
    await queryRunner.query('UPDATE users SET email_normalized = ? WHERE id = ?', [canonical, row.id]);
  }
}
