export { createAuthClient } from './auth-client.js';
export type { AuthClient, AuthClientOptions } from './auth-client.js';
export { GatehouseError } from './errors.js';
export { createSocialClient } from './social.js';
export type * from './social.js';
export { createWebhooksAdmin } from './webhooks.js';
export type * from './webhooks.js';
export { localStorageAdapter, memoryStorage } from './storage.js';
export type * from './types.js';
// The whole generated OpenAPI document, for calls the client has no method for.
export type { components, operations, paths } from './openapi.js';
// The admin API (`@Auth('admin')` routes), for a client signed in as an admin.
export { createAdminApi } from './admin.js';
export type * from './admin.js';
