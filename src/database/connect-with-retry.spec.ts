import type { DataSource } from 'typeorm';
import { StartError, startFailureText } from '#src/config/config-report.js';
import { connectWithRetry } from '#src/database/connect-with-retry.js';

const URL = 'mysql://gatehouse:s3cret-pw@db.internal:3306/gatehouse';

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:3306'), { code: 'ECONNREFUSED' });
}

function policy(lines: string[], attempts = 3) {
  return {
    url: URL,
    attempts,
    delayMs: 3000,
    report: (line: string) => lines.push(line),
    sleep: () => Promise.resolve(),
  };
}

describe(connectWithRetry.name, () => {
  it('prints one progress line per retry, then connects when the server answers', async () => {
    const lines: string[] = [];
    const dataSource = {} as DataSource;
    let calls = 0;
    const connect = () => (++calls < 3 ? Promise.reject(refused()) : Promise.resolve(dataSource));
    await expect(connectWithRetry(connect, policy(lines))).resolves.toBe(dataSource);
    expect(lines).toEqual([
      'Database at DATABASE_URL=mysql://gatehouse:****@db.internal:3306/gatehouse is not reachable (connect ECONNREFUSED 10.0.0.5:3306).',
      '  attempt 1/3 failed; trying again in 3 s',
      '  attempt 2/3 failed; trying again in 3 s',
    ]);
  });

  it('gives up with one block naming DATABASE_URL, masked, and what was tried, without a stack trace', async () => {
    const lines: string[] = [];
    const error = await connectWithRetry(() => Promise.reject(refused()), policy(lines)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    const text = startFailureText(error);
    expect(text.split('\n')[0]).toBe(
      'Gatehouse cannot start: the database at DATABASE_URL=mysql://gatehouse:****@db.internal:3306/gatehouse is not reachable (connect ECONNREFUSED 10.0.0.5:3306).',
    );
    expect(text).toContain('Tried 3 times (DATABASE_CONNECT_ATTEMPTS).');
    expect(text).not.toContain('s3cret-pw');
    expect(text).not.toMatch(/\n\s+at /);
    expect(lines).toHaveLength(3);
  });

  it('does not retry a login the server refuses: no retry changes a wrong DATABASE_URL', async () => {
    const lines: string[] = [];
    let calls = 0;
    const denied = Object.assign(new Error("Access denied for user 'gatehouse'@'10.0.0.9'"), {
      code: 'ER_ACCESS_DENIED_ERROR',
    });
    const error = await connectWithRetry(() => (calls++, Promise.reject(denied)), policy(lines)).catch(
      (e: unknown) => e,
    );
    expect(calls).toBe(1);
    expect(lines).toEqual([]);
    expect(startFailureText(error)).toMatch(
      /^Gatehouse cannot start: .* refused the connection \(ER_ACCESS_DENIED_ERROR: /,
    );
  });

  it('lets any other error through unchanged, such as a failing migration', async () => {
    const failure = new Error('Migration AddUsers1700000000000 failed');
    await expect(connectWithRetry(() => Promise.reject(failure), policy([]))).rejects.toBe(failure);
  });
});
