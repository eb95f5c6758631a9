/** What the access token proves about the caller, attached to the request by `SecurityGuard`. */
export interface AuthUser {
  userId: number;
  sessionId: string;
  role: string;
}
