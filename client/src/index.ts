export { createAuthClient } from './auth-client.js';
export type { AuthClient, AuthClientOptions } from './auth-client.js';
export { GatehouseError } from './errors.js';
export { localStorageAdapter, memoryStorage } from './storage.js';
export type * from './types.js';
