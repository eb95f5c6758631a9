import { DataSource } from 'typeorm';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import { PrebuiltInsert } from '#src/database/prebuilt-insert.js';

describe(PrebuiltInsert.name, () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [AuditEvent],
      synchronize: true,
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('writes the rows Repository.insert would and answers each generated id, undefined as NULL', async () => {
    const repository = dataSource.getRepository(AuditEvent);
    const insert = new PrebuiltInsert(repository);
    const first = await insert.insert({
      type: 'login_success',
      userId: 7,
      sessionId: 's-1',
      createdAt: 1_700_000_000_123,
    });
    const second = await insert.insert({ type: 'logout', userId: null, ip: '127.0.0.1', createdAt: 1_700_000_000_456 });
    expect([first, second]).toEqual([1, 2]);
    const rows = await repository.find({ order: { id: 'ASC' } });
    expect(rows).toMatchObject([
      { id: 1, type: 'login_success', userId: 7, sessionId: 's-1', ip: null, createdAt: 1_700_000_000_123 },
      { id: 2, type: 'logout', userId: null, sessionId: null, ip: '127.0.0.1', createdAt: 1_700_000_000_456 },
    ]);
  });
});
