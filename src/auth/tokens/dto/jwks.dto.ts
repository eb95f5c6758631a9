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
}

/** A JSON Web Key Set (RFC 7517 §5): the current and retired public keys. */
export class JwksDto {
  keys: PublicJwkDto[];
}
