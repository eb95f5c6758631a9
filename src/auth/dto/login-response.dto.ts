/** The seed's `userInfo`, kept exactly. */
export class UserInfoDto {
  id: number;
  name: string;
  role: string;
}

/** The login `data`: the seed format. */
export class LoginResponseDto {
  /** Send as `Authorization: Bearer …`. */
  access_token: string;
  /** Keep it safe; spend it at `/auth/refresh`. Rotates on every use. */
  refresh_token: string;
  token_type: 'bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  /** Seconds until the refresh token expires. */
  refresh_expires_in: number;
  userInfo: UserInfoDto;
}
