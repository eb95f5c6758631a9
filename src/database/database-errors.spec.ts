import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '#src/database/database-errors.js';

const driverError = (code: string | undefined, message: string) => Object.assign(new Error(message), { code });

describe(isDatabaseUnavailable.name, () => {
  it.each([
    ['PROTOCOL_CONNECTION_LOST', 'Connection lost: The server closed the connection.'],
    ['ECONNRESET', 'read ECONNRESET'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3306'],
    ['ETIMEDOUT', 'connect ETIMEDOUT'],
    ['ER_SERVER_SHUTDOWN', 'Server shutdown in progress'],
    [undefined, "Can't add new command when connection is in closed state"],
    [undefined, 'Queue limit reached.'],
  ])('recognises %s %j, bare and wrapped by TypeORM', (code, message) => {
    const error = driverError(code, message);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], error))).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: error }))).toBe(true);
  });

  it('recognises TypeORM refusing to work without a connection', () => {
    const error = Object.assign(new Error('Cannot execute operation on "default" connection'), {
      name: 'CannotExecuteNotConnectedError',
    });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isDatabaseUnavailable(driverError('ER_DUP_ENTRY', 'Duplicate entry'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNRESET')).toBe(false);
  });
});
