import type { Pool, PoolConnection, QueryError } from 'mysql2';
import type { DataSource } from 'typeorm';

/** The code of the error a request gets when no pooled connection freed up in time (see `isDatabaseUnavailable`). */
export const POOL_WAIT_TIMEOUT = 'POOL_WAIT_TIMEOUT';

type GetConnectionCallback = (err: NodeJS.ErrnoException | QueryError | null, connection: PoolConnection) => void;

/** mysql2's pool internals: the callbacks waiting for a connection, in order. */
interface WaitQueue {
  length: number;
  get(index: number): unknown;
  removeOne(index: number): void;
}

/** Takes a timed-out waiter out of mysql2's queue, so that requests after it do not queue behind the dead. */
function leaveQueue(pool: Pool, waiter: unknown): void {
  const queue = (pool as unknown as { _connectionQueue?: Partial<WaitQueue> })._connectionQueue;
  if (typeof queue?.get !== 'function' || typeof queue.removeOne !== 'function') {
    return; // another mysql2 version: the waiter stays, and hands on what reaches it (below)
  }
  for (let i = 0; i < (queue.length ?? 0); i++) {
    if (queue.get(i) === waiter) {
      queue.removeOne(i);
      return;
    }
  }
}

/** mysql2's connection internals: the command in progress, if any. */
type Retirable = PoolConnection & { _command?: unknown; __gatehouseRetiring?: true };

/**
 * A query past its timeout fails, but mysql2 leaves it in progress on its connection until the server answers; TypeORM
 * then releases that connection to the pool, where every later query queues behind the stalled one, without a timer
 * of its own (mysql2 starts a query's timer when the query starts). Such a connection is destroyed instead, so the
 * pool opens a fresh one for the next waiter.
 */
function retireStalledOnRelease(connection: Retirable): Retirable {
  if (!connection.__gatehouseRetiring) {
    connection.__gatehouseRetiring = true;
    const release = connection.release.bind(connection);
    connection.release = () => (connection._command ? connection.destroy() : release());
  }
  return connection;
}

/**
 * SPEC §10: a request waits for a pooled connection no longer than one query may take. mysql2's pool has a queue cap
 * (`queueLimit`) but no time limit on a place in its queue, so under a slow or saturated database a request would
 * wait as long as the database does. Past `timeoutMs` the waiter gets an error the filter answers 503 with
 * Retry-After and leaves the queue; should it still be there (mysql2 wraps waiters when a tracing channel is
 * subscribed), a connection that reaches it later goes straight back to the pool instead of being lost.
 */
export function boundPoolWaits(pool: Pool, timeoutMs: number): void {
  const getConnection = pool.getConnection.bind(pool) as (callback: GetConnectionCallback) => void;
  // mysql2 calls getConnection again for a waiter when the connection it was to get is gone: a waiter still waiting
  // keeps its own timer, one that timed out in between is dropped.
  const waiters = new WeakMap<GetConnectionCallback, { answered: boolean }>();
  const bounded = (callback: GetConnectionCallback) => {
    const again = waiters.get(callback);
    if (again) {
      if (!again.answered) {
        getConnection(callback);
      }
      return;
    }
    const state = { answered: false };
    // Declared first: mysql2 answers some waiters synchronously ("Queue limit reached").
    let timer: NodeJS.Timeout | undefined = undefined;
    const waiter: GetConnectionCallback = (err, connection) => {
      if (state.answered) {
        if (!err) {
          connection.release();
        }
        return;
      }
      state.answered = true;
      clearTimeout(timer);
      callback(err, err ? connection : retireStalledOnRelease(connection));
    };
    timer = setTimeout(() => {
      state.answered = true;
      leaveQueue(pool, waiter);
      const error = Object.assign(new Error(`no pooled database connection within ${timeoutMs} ms`), {
        code: POOL_WAIT_TIMEOUT,
      });
      callback(error, undefined as unknown as PoolConnection);
    }, timeoutMs);
    waiters.set(waiter, state);
    getConnection(waiter);
  };
  pool.getConnection = bounded as Pool['getConnection'];
}

/** Bounds the pool of a MySQL/MariaDB data source by its own query timeout; SQLite has no pool to wait for. */
export function boundDataSourcePoolWaits(dataSource: DataSource): void {
  const { options } = dataSource;
  if ((options.type === 'mysql' || options.type === 'mariadb') && options.maxQueryExecutionTime) {
    boundPoolWaits((dataSource.driver as unknown as { pool: Pool }).pool, options.maxQueryExecutionTime);
  }
}
