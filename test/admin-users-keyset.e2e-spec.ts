import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface ListAnswer {
  items: { id: number; username: string }[];
  page: number;
  page_size: number;
  total: number;
  next_after: number | null;
}

/** Registers a user and promotes them in the database, then logs in again so the token carries the role. */
async function createAdmin(t: TestApp): Promise<Tokens> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
  return login.body.data as Tokens;
}

// Issue 27: the admin user list pages by keyset (`after`) so page 1,000 costs what page 1 does, and `total` is a
// count cached per search for 10 s (the COUNT(*) was the cost of every page).
describe('admin user list by keyset', () => {
  let t: TestApp;
  let admin: Tokens;

  const list = async (query: Record<string, string | number>, language?: string) => {
    const req = t.http().get(`${API}/admin/users`).query(query).set(bearer(admin.access_token));
    return language ? req.set('Accept-Language', language) : req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks every user exactly once in id order, also while users register between pages', async () => {
    for (let i = 0; i < 5; i++) {
      await register(t);
    }
    const seen: number[] = [];
    let after: number | null = 0;
    let pages = 0;
    while (after !== null) {
      const res = await list({ after, page_size: 3 });
      expect(res.status).toBe(200);
      const data = res.body.data as ListAnswer;
      expect(data.items.length).toBeLessThanOrEqual(3);
      seen.push(...data.items.map((u) => u.id));
      after = data.next_after;
      if (after !== null) {
        expect(after).toBe(data.items[data.items.length - 1].id);
      }
      pages += 1;
      if (pages <= 2) {
        await register(t); // lands after the cursor: it must show up once, later, and shift nothing
      }
      expect(pages).toBeLessThan(20);
    }
    const ids = await t.dataSource.query<{ id: number }[]>('SELECT id FROM users ORDER BY id');
    expect(seen).toEqual(ids.map((row) => Number(row.id)));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers next_after null on the last page, and a cursor past the end gives an empty last page', async () => {
    const ids = await t.dataSource.query<{ id: number }[]>('SELECT id FROM users ORDER BY id');
    const secondLast = Number(ids[ids.length - 2].id);
    const last = await list({ after: secondLast, page_size: 5 });
    expect(last.body.data).toMatchObject({ next_after: null, page_size: 5 });
    expect(last.body.data.items.map((u: { id: number }) => u.id)).toEqual([Number(ids[ids.length - 1].id)]);
    // Exactly page_size rows left: the extra row read (page_size + 1) says there is no next page.
    const exact = await list({ after: Number(ids[ids.length - 3].id), page_size: 2 });
    expect(exact.body.data.items).toHaveLength(2);
    expect(exact.body.data.next_after).toBeNull();
    const past = await list({ after: Number(ids[ids.length - 1].id) });
    expect(past.body.data).toMatchObject({ items: [], next_after: null });
  });

  it('keeps page working and gives it next_after too, so a page jump can go on by cursor', async () => {
    const byPage = await list({ page: 2, page_size: 2 });
    const ids = await t.dataSource.query<{ id: number }[]>('SELECT id FROM users ORDER BY id');
    expect(byPage.body.data).toMatchObject({ page: 2, page_size: 2, next_after: Number(ids[3].id) });
    const next = await list({ after: byPage.body.data.next_after, page_size: 2 });
    expect(next.body.data.items.map((u: { id: number }) => u.id)).toEqual([Number(ids[4].id), Number(ids[5].id)]);
  });

  it('refuses page > 1 together with after: 400 VALIDATION_FAILED naming after, in en and zh-CN', async () => {
    const en = await list({ page: 2, after: 1 }, 'en');
    expect(en.status).toBe(400);
    expect(en.body).toMatchObject({
      code: 400,
      error: 'VALIDATION_FAILED',
      data: null,
      errors: [
        {
          field: 'after',
          rule: 'invalid',
          message: 'after cannot be combined with page > 1: page with one or the other',
        },
      ],
    });
    const zh = await list({ page: 2, after: 1 }, 'zh-CN');
    expect(zh.status).toBe(400);
    expect(zh.body.errors).toEqual([expect.objectContaining({ field: 'after' })]);
    expect(zh.body.errors[0].message).toMatch(/[\u4e00-\u9fff]/);
    const negative = await list({ after: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors[0].field).toBe('after');
    // page=1 (the default) with after is the cursor's own first page: accepted.
    expect((await list({ page: 1, after: 0 })).status).toBe(200);
  });

  it('counts total at most every 10 s per search: a new user shows in total after the TTL, not before', async () => {
    const q = 'ttl_probe';
    await register(t, { username: `${q}_1` });
    const before = await list({ q });
    expect(before.body.data.total).toBe(1);
    const newcomer = await register(t, { username: `${q}_2` });
    const cached = await list({ q });
    // The items are read fresh; only the count is up to 10 s old.
    expect(cached.body.data.items.map((u: { id: number }) => u.id)).toContain(newcomer.userInfo.id);
    expect(cached.body.data.total).toBe(1);
    t.clock.advance(9_000);
    expect((await list({ q })).body.data.total).toBe(1);
    t.clock.advance(1_001);
    expect((await list({ q })).body.data.total).toBe(2);
    // Another search has its own count.
    expect((await list({ q: `${q}_2` })).body.data.total).toBe(1);
  });
});
