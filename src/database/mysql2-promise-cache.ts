import mysql2 from 'mysql2';

/** The part of mysql2's module TypeORM's MysqlDriver uses when handed one through the `driver` option. */
type Mysql2 = typeof mysql2;
type Pool = ReturnType<Mysql2['createPool']>;
interface WrapsItself {
  promise(promiseImpl?: PromiseConstructor): unknown;
}

/**
 * Issue 29: TypeORM's MysqlQueryRunner calls `connection.promise()` for every query, and mysql2 answers a new
 * PromisePoolConnection each time (a `require()`, an EventEmitter with two listeners: about 25 µs in a profile).
 * The wrapper holds nothing but the connection, so one per pooled connection serves every query on it. This is
 * mysql2 as TypeORM gets it through its `driver` option, with `createPool` marking each new connection to keep
 * its first wrapper; everything else is mysql2's own. Upstream note: docs/upstream-mysql2-promise-wrapper.md.
 */
export function mysql2WithCachedPromiseWrappers(driver: Mysql2 = mysql2): Mysql2 {
  return {
    ...driver,
    createPool: ((config: Parameters<Mysql2['createPool']>[0]) => {
      const pool: Pool = driver.createPool(config);
      pool.on('connection', (connection) => cachePromiseWrapper(connection));
      return pool;
    }) as Mysql2['createPool'],
  };
}

/** `promise()` without an argument answers the same wrapper every time; with a Promise implementation, a new one. */
export function cachePromiseWrapper(connection: WrapsItself): void {
  const create = connection.promise.bind(connection);
  let wrapper: unknown;
  connection.promise = (promiseImpl?: PromiseConstructor) =>
    promiseImpl ? create(promiseImpl) : (wrapper ??= create());
}
