import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { normalizePassword, PasswordService } from '#src/passwords/password.service.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { PasswordConfig } from '#src/passwords/password.config.js';

const config: PasswordConfig = {
  memoryKib: 2048,
  timeCost: 1,
  parallelism: 1,
  hashConcurrency: 4,
  hashQueueMax: 64,
  backgroundThreadNice: 0,
};

describe(PasswordService.name, () => {
  const service = new PasswordService(config);

  it('hashes with Argon2id at the configured parameters and verifies', async () => {
    const hash = await service.hash('Blue-Kettle-42');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=2048,t=1,p=1\$/);
    expect(await service.verify(hash, 'Blue-Kettle-42')).toBe(true);
    expect(await service.verify(hash, 'blue-kettle-42')).toBe(false);
    expect(service.needsRehash(hash)).toBe(false);
  });

  it('never trims: surrounding spaces are part of the password', async () => {
    const hash = await service.hash('  pass-word-x  ');
    expect(await service.verify(hash, '  pass-word-x  ')).toBe(true);
    expect(await service.verify(hash, 'pass-word-x')).toBe(false);
  });

  it('normalises with NFKC, so composed and decomposed forms match', async () => {
    const hash = await service.hash('caf\u00e9-ﬀ-pw');
    expect(await service.verify(hash, 'cafe\u0301-ff-pw')).toBe(true);
    expect(normalizePassword('ﬀ')).toBe('ff');
  });

  it('verifies bcrypt hashes of any prefix and marks them for rehash', async () => {
    const legacy = bcrypt.hashSync('Old-Pw-123', 4);
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const hash = legacy.replace(/^\$2[aby]\$/, prefix);
      expect(await service.verify(hash, 'Old-Pw-123')).toBe(true);
      expect(await service.verify(hash, 'Old-Pw-124')).toBe(false);
      expect(service.needsRehash(hash)).toBe(true);
      expect(PasswordService.isLegacyHash(hash)).toBe(true);
    }
  });

  it('verifies a hash imported from the raw, unnormalised password', async () => {
    const raw = await argon2Hash('ﬀ-raw-pw', { memoryCost: 2048, timeCost: 1, parallelism: 1 });
    expect(await service.verify(raw, 'ﬀ-raw-pw')).toBe(true);
  });

  it('marks weaker or other-variant Argon2 hashes for rehash', async () => {
    expect(service.needsRehash(await argon2Hash('x-pw-123', { memoryCost: 1024, timeCost: 1, parallelism: 1 }))).toBe(
      true,
    );
    expect(
      service.needsRehash(
        await argon2Hash('x-pw-123', { memoryCost: 2048, timeCost: 1, parallelism: 1, algorithm: 1 }),
      ),
    ).toBe(true);
    expect(service.needsRehash(await argon2Hash('x-pw-123', { memoryCost: 4096, timeCost: 2, parallelism: 2 }))).toBe(
      false,
    );
  });

  it('answers false, never throws, for a malformed hash', async () => {
    for (const hash of ['', 'plain', '$argon2id$garbage', '$2b$10$short']) {
      expect(await service.verify(hash, 'Blue-Kettle-42')).toBe(false);
      expect(service.needsRehash(hash)).toBe(true);
    }
  });

  it('does the dummy verify and always answers false', async () => {
    expect(await service.verifyDummy('Blue-Kettle-42')).toBe(false);
    expect(await service.verifyDummy('anything-else')).toBe(false);
  });

  it('answers 503 when the queue is full, then recovers, dummy verify included', async () => {
    const tight = new PasswordService({ ...config, hashConcurrency: 1, hashQueueMax: 0 });
    const first = tight.hash('Blue-Kettle-42');
    const refused = await tight.verifyDummy('Blue-Kettle-42').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppException);
    expect((refused as AppException).code).toBe(CoreErrors.SERVICE_UNAVAILABLE.code);
    expect((refused as AppException).options.retryAfter).toBeGreaterThanOrEqual(1);
    await first;
    expect(await tight.verifyDummy('Blue-Kettle-42')).toBe(false);
    expect(tight.queueDepth).toBe(0);
  });
});
