/** A code an authenticator app shows: 6 digits. */
export const TOTP_CODE = /^\d{6}$/;
