/*
 * The admin API (`@Auth('admin')` routes) over an AuthClient's authenticated `request`, typed from the generated
 * OpenAPI document. The admin console uses it; so can a team's own tooling.
 */
import type { AuthClient } from './auth-client.js';
import type { components, operations } from './openapi.js';

type Schemas = components['schemas'];

/** One page of a list, with the total for the pager. */
export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
}

/** A page of the user list: `next_after` is the cursor for the next page (send it as `after`), null on the last. */
export interface KeysetPage<T> extends Page<T> {
  next_after: number | null;
}

export type AdminUser = Schemas['AdminUserViewDto'];
export type AdminUserDetail = Schemas['AdminUserDetailDto'];
export type AdminDevice = Schemas['AdminDeviceDto'];
export type AuditEvent = Schemas['AuditEventViewDto'];
/** Roles are open-ended (`ROLES=`, modules): any registered name, not only the document's built-in ones. */
export type AdminUserUpdate = Omit<Schemas['UpdateUserDto'], 'role'> & { role?: string };
/** Event types are open-ended too: a module's own types filter like the built-in ones. */
export type AuditEventQuery = Omit<
  NonNullable<operations['AdminController_listAuditEvents']['parameters']['query']>,
  'type'
> & { type?: string };
export type AdminUsersQuery = NonNullable<operations['AdminController_listUsers']['parameters']['query']>;

export interface AdminApi {
  /**
   * Users in a stable order; `q` matches part of the username, name, phone or email, or a whole phone number. Page
   * with `after` (the previous answer's `next_after`, fast at any depth) or `page`, not both; `total` may be up to
   * 10 s old.
   */
  users(query?: AdminUsersQuery): Promise<KeysetPage<AdminUser>>;
  /** One user with live sessions and every device they used. */
  user(id: number): Promise<AdminUserDetail>;
  /** Changes the role or disables/enables; either ends the user's sessions. */
  updateUser(id: number, changes: AdminUserUpdate): Promise<AdminUser>;
  /** Lifts every login lockout of the user. */
  unlock(id: number): Promise<void>;
  /** Ends one session of the user. */
  revokeSession(id: number, sessionId: string): Promise<void>;
  /** Ends every session of the user; resolves to how many were live. */
  revokeSessions(id: number): Promise<number>;
  /** Removes the user's TOTP and recovery codes. */
  resetMfa(id: number): Promise<void>;
  /** Every role a user may be given. */
  roles(): Promise<string[]>;
  /** Every audit event type, built-in first. */
  auditEventTypes(): Promise<string[]>;
  /** The audit trail, newest first. */
  auditEvents(query?: AuditEventQuery): Promise<Page<AuditEvent>>;
}

function queryString(query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(name, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The admin API for a client signed in as an admin. Errors are `GatehouseError`s, as for the other calls. */
export function createAdminApi(client: AuthClient): AdminApi {
  return {
    users: (query) => client.request('GET', `/admin/users${queryString(query)}`),
    user: (id) => client.request('GET', `/admin/users/${id}`),
    updateUser: (id, changes) => client.request('PATCH', `/admin/users/${id}`, changes),
    unlock: async (id) => {
      await client.request('POST', `/admin/users/${id}/unlock`);
    },
    revokeSession: async (id, sessionId) => {
      await client.request('DELETE', `/admin/users/${id}/sessions/${encodeURIComponent(sessionId)}`);
    },
    revokeSessions: async (id) =>
      (await client.request<{ revoked: number }>('POST', `/admin/users/${id}/revoke-sessions`)).revoked,
    resetMfa: async (id) => {
      await client.request('POST', `/admin/users/${id}/mfa/reset`);
    },
    roles: async () => (await client.request<{ roles: string[] }>('GET', '/admin/roles')).roles,
    auditEventTypes: async () => (await client.request<{ types: string[] }>('GET', '/admin/audit-events/types')).types,
    auditEvents: (query) => client.request('GET', `/admin/audit-events${queryString(query)}`),
  };
}
