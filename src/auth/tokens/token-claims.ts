export type TokenType = 'access' | 'refresh';

/** SPEC §5 claims shared by both token types. */
export interface BaseClaims {
  sub: string;
  sid: string;
  type: TokenType;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

export interface AccessClaims extends BaseClaims {
  type: 'access';
  role: string;
}

export interface RefreshClaims extends BaseClaims {
  type: 'refresh';
}

export type ClaimsOf<T extends TokenType> = T extends 'access' ? AccessClaims : RefreshClaims;
