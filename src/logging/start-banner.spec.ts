import { describeDatabase, startBanner } from '#src/logging/start-banner.js';

describe(startBanner.name, () => {
  const base = {
    url: 'http://localhost:3000',
    docs: true,
    demoPage: 'served' as const,
    database: { type: 'sqlite' as const, path: '/srv/g.sqlite', queryTimeoutMs: 5000, connectAttempts: 10 },
  };

  it('names the URL, /docs, the demo page, the database and where the secrets come from', () => {
    expect(startBanner(base)).toEqual([
      'Gatehouse is ready at http://localhost:3000 (API under http://localhost:3000/api/v1)',
      '  API docs:  http://localhost:3000/docs',
      '  Demo page: http://localhost:3000/',
      '  Database:  SQLite /srv/g.sqlite',
      '  Secrets:   from the environment',
    ]);
  });

  it('says loudly when development secrets were generated, and when the demo page is not built', () => {
    const lines = startBanner({ ...base, demoPage: 'not built', devSecretsFile: '/srv/data/dev-secrets.json' });
    expect(lines[2]).toBe('  Demo page: not built (npm run build:web)');
    expect(lines[4]).toBe(
      '  Secrets:   DEVELOPMENT secrets generated in /srv/data/dev-secrets.json: never use them in production',
    );
  });

  it('leaves out /docs and the demo page when they are not served, as in production', () => {
    expect(startBanner({ ...base, docs: false, demoPage: 'off' })).toEqual([
      'Gatehouse is ready at http://localhost:3000 (API under http://localhost:3000/api/v1)',
      '  Database:  SQLite /srv/g.sqlite',
      '  Secrets:   from the environment',
    ]);
  });
});

describe(describeDatabase.name, () => {
  it('shows a MySQL host and database but never the user or password', () => {
    const text = describeDatabase({
      type: 'mysql',
      url: 'mysql://gatehouse:s3cret-pw@db.internal:3306/gatehouse',
      queryTimeoutMs: 5000,
      connectAttempts: 10,
    });
    expect(text).toBe('MySQL db.internal:3306/gatehouse');
  });

  it('shows a SQLite file under the working directory as a relative path', () => {
    expect(
      describeDatabase({
        type: 'sqlite',
        path: `${process.cwd()}/data/gatehouse.sqlite`,
        queryTimeoutMs: 5000,
        connectAttempts: 10,
      }),
    ).toBe('SQLite ./data/gatehouse.sqlite');
  });
});
