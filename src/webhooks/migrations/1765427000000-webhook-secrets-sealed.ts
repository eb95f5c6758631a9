import type { MigrationInterface, QueryRunner } from 'typeorm';
import mfaConfig from '#src/mfa/mfa.config.js';
import { SecretCipher } from '#src/mfa/secret-cipher.js';
import { WebhookSecrets } from '#src/webhooks/webhook-secrets.js';

const TABLE = 'webhook_endpoints';
/** A sealed `whsec_` secret is about 110 characters (`v1.<iv>.<tag>.<ciphertext>`, base64url). */
const SEALED_LENGTH = '255';

interface EndpointSecrets {
  id: number | string;
  secret: string;
  previous_secret: string | null;
}

/**
 * Signing secrets were stored in clear; they are sealed now (OWASP ASVS 5.0 V11.4 / V13.3, see WebhookSecrets):
 * the columns grow to hold the ciphertext and every clear `whsec_` value is sealed under MFA_ENCRYPTION_KEY, the
 * key the app itself reads. Only clear values are touched, so a rerun changes nothing. SQLite and MySQL alike.
 */
export class WebhookSecretsSealed1765427000000 implements MigrationInterface {
  name = 'WebhookSecretsSealed1765427000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.resize(queryRunner, SEALED_LENGTH);
    // A handful of rows at most: read them all rather than write a LIKE escape both databases parse alike.
    const rows = (await queryRunner.query(`SELECT id, secret, previous_secret FROM ${TABLE}`)) as EndpointSecrets[];
    const clear = rows.filter((r) => r.secret.startsWith('whsec_') || r.previous_secret?.startsWith('whsec_'));
    if (clear.length === 0) {
      // A fresh database (or a rerun) has nothing to seal: the release step then needs no MFA_ENCRYPTION_KEY.
      return;
    }
    const secrets = new WebhookSecrets(new SecretCipher(mfaConfig()));
    const seal = (id: number, value: string | null) => (value?.startsWith('whsec_') ? secrets.seal(id, value) : value);
    for (const row of clear) {
      const id = Number(row.id);
      await queryRunner.query(`UPDATE ${TABLE} SET secret = ?, previous_secret = ? WHERE id = ?`, [
        seal(id, row.secret),
        seal(id, row.previous_secret),
        id,
      ]);
    }
  }

  /** Opens the sealed secrets again and narrows the columns back. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const secrets = new WebhookSecrets(new SecretCipher(mfaConfig()));
    const open = (id: number, value: string | null) => (value?.startsWith('v1.') ? secrets.open(id, value) : value);
    const rows = (await queryRunner.query(`SELECT id, secret, previous_secret FROM ${TABLE}`)) as EndpointSecrets[];
    for (const row of rows) {
      const id = Number(row.id);
      await queryRunner.query(`UPDATE ${TABLE} SET secret = ?, previous_secret = ? WHERE id = ?`, [
        open(id, row.secret),
        open(id, row.previous_secret),
        id,
      ]);
    }
    await this.resize(queryRunner, '100');
  }

  private async resize(queryRunner: QueryRunner, length: string): Promise<void> {
    for (const name of ['secret', 'previous_secret']) {
      // Read again each time: SQLite rebuilds the table on every column change.
      const column = (await queryRunner.getTable(TABLE))?.findColumnByName(name);
      if (!column) {
        throw new Error(`${TABLE}.${name} is missing`);
      }
      if (column.length !== length) {
        const wider = column.clone();
        wider.length = length;
        await queryRunner.changeColumn(TABLE, column, wider);
      }
    }
  }
}
