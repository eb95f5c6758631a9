import { Injectable } from '@nestjs/common';
import { SecretCipher } from '#src/mfa/secret-cipher.js';

/**
 * Seals webhook signing secrets at rest the way TOTP secrets are (OWASP ASVS 5.0 V11.4 / V13.3: secrets stored
 * encrypted, under a key kept out of the database): a dump of `webhook_endpoints` alone forges no signature.
 * HMAC keys must be usable to sign, so they are encrypted, not hashed. The associated data binds a sealed secret
 * to its endpoint: copied onto another row it does not open.
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly cipher: SecretCipher) {}

  static aad(endpointId: number): string {
    return `webhook_endpoints.secret:${endpointId}`;
  }

  seal(endpointId: number, secret: string): string {
    return this.cipher.encrypt(secret, WebhookSecrets.aad(endpointId));
  }

  open(endpointId: number, sealed: string): string {
    return this.cipher.decrypt(sealed, WebhookSecrets.aad(endpointId));
  }
}
