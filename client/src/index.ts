export { createAuthClient } from './auth-client.js';
export type { AuthClient, AuthClientOptions } from './auth-client.js';
export { GatehouseError } from './errors.js';
export { createWebhooksAdmin } from './webhooks.js';
export type * from './webhooks.js';
export { localStorageAdapter, memoryStorage } from './storage.js';
export type * from './types.js';
// The whole generated OpenAPI document, for calls the client has no method for.
export type { components, operations, paths } from './openapi.js';
