import { ApiProperty } from '@nestjs/swagger';

/** One public signing key (RFC 7517); which members appear depends on the key type. */
export class PublicJwkDto {
  /** Key id, matched against the `kid` header of a token. */
  kid: string;
  /** The signing algorithm this key is used with. */
  alg: string;
  @ApiProperty({ enum: ['sig'] })
  use: 'sig';
  /** Key type: RSA, EC or OKP. */
  kty: string;
  /** RSA modulus, base64url (RFC 7518 §6.3.1). */
  n?: string;
  /** RSA public exponent, base64url (RFC 7518 §6.3.1). */
  e?: string;
  /** EC or OKP curve, e.g. `P-256` (RFC 7518 §6.2.1, RFC 8037 §2). */
  crv?: string;
  /** EC or OKP public key x coordinate, base64url. */
  x?: string;
  /** EC public key y coordinate, base64url. */
  y?: string;
}

/** A JSON Web Key Set (RFC 7517 §5): the current and retired public keys. */
export class JwksDto {
  keys: PublicJwkDto[];
}
