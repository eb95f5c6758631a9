import type { TestApp } from './test-app.js';

export const API = '/api/v1';
export const GOOD_PASSWORD = 'Blue-Kettle-42';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  userInfo: { id: number; name: string; role: string };
}

let counter = 0;
/** A username unique within the run. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

export async function register(t: TestApp, body: Record<string, unknown> = {}): Promise<Tokens & { username: string }> {
  const username = (body.username as string | undefined) ?? uniqueName();
  const res = await t
    .http()
    .post(`${API}/auth/register`)
    .send({ username, password: GOOD_PASSWORD, ...body });
  if (res.status !== 201) {
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { ...(res.body.data as Tokens), username };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
