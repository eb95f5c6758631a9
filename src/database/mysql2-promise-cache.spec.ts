import mysql2 from 'mysql2';
import { mysql2WithCachedPromiseWrappers } from '#src/database/mysql2-promise-cache.js';

type PoolConnection = { promise(promiseImpl?: PromiseConstructor): { connection: unknown } };
/** mysql2's own pool connection class, without a socket: `promise()` is all this test calls on it. */
const unopened = () => Object.create(mysql2.PoolConnection.prototype) as PoolConnection;

describe(mysql2WithCachedPromiseWrappers.name, () => {
  it('gives each pooled connection one promise wrapper, reused by every query on it', async () => {
    const pool = mysql2WithCachedPromiseWrappers().createPool({ host: '127.0.0.1', port: 9, connectionLimit: 1 });
    try {
      const first = unopened();
      const second = unopened();
      // What the pool announces for each connection it opens.
      pool.emit('connection', first);
      pool.emit('connection', second);
      const wrapper = first.promise();
      expect(wrapper.connection).toBe(first);
      expect(first.promise()).toBe(wrapper);
      expect(second.promise()).not.toBe(wrapper);
      expect(second.promise()).toBe(second.promise());
      // Another Promise implementation still gets a wrapper of its own.
      expect(first.promise(Promise)).not.toBe(wrapper);
    } finally {
      await pool.promise().end();
    }
  });

  it('leaves mysql2 itself unchanged: a connection of an unpatched pool gets a new wrapper per call', () => {
    const connection = unopened();
    expect(connection.promise()).not.toBe(connection.promise());
  });
});
