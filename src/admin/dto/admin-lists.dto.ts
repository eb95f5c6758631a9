/** `GET /admin/roles`. */
export class AdminRolesDto {
  /** `user`, `admin`, those from `ROLES=` and those modules defined. */
  roles: string[];
}

/** `GET /admin/audit-events/types`. */
export class AuditEventTypesDto {
  /** Every type the audit trail can hold: the built-in ones first, then those modules defined. */
  types: string[];
}
