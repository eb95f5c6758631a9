import type { Response } from 'supertest';
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

/** SPEC §3/§10: a database that is down or too slow answers the 503 envelope with a Retry-After. */
export function expectUnavailable(res: Response): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    code: 503,
    msg: expect.any(String) as string,
    error: 'SERVICE_UNAVAILABLE',
    data: null,
  });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}
