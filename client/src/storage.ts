import type { TokenStorage } from './types.js';

/** Keeps the refresh token in this JavaScript context only: gone on reload. Node scripts, tests. */
export function memoryStorage(): TokenStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => {
      values.set(key, value);
    },
    remove: (key) => {
      values.delete(key);
    },
  };
}

interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Browser `localStorage`: survives reloads and is shared by the origin's tabs, which is what
 * lets them coordinate refreshes. Any script on the origin can read it, so the page needs a strict
 * CSP (OWASP HTML5 Security Cheat Sheet: do not keep session identifiers in local storage without XSS defences).
 */
export function localStorageAdapter(storage?: WebStorageLike): TokenStorage {
  const target = (): WebStorageLike => {
    const found = storage ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
    if (!found) {
      throw new Error('localStorage is not available here; pass a TokenStorage instead');
    }
    return found;
  };
  return {
    get: (key) => target().getItem(key),
    set: (key, value) => target().setItem(key, value),
    remove: (key) => target().removeItem(key),
  };
}
