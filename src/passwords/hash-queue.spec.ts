import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import { HashQueue } from '#src/passwords/hash-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe(HashQueue.name, () => {
  it('runs no more than `concurrency` jobs at once and starts the next when one ends', async () => {
    const queue = new HashQueue(2, 10);
    const gates = [deferred(), deferred(), deferred()];
    let active = 0;
    let peak = 0;
    const jobs = gates.map((gate, i) =>
      queue.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await gate.promise;
        active--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(queue.depth).toBe(3);
    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(jobs)).toEqual([0, 1, 2]);
    expect(peak).toBe(2);
    expect(queue.depth).toBe(0);
  });

  it('refuses work with SERVICE_UNAVAILABLE and a Retry-After once the queue is full', async () => {
    const queue = new HashQueue(1, 1);
    const gate = deferred();
    const first = queue.run(() => gate.promise);
    const second = queue.run(() => Promise.resolve('queued'));
    const third = queue.run(() => Promise.resolve('refused'));
    await expect(third).rejects.toMatchObject({
      code: CoreErrors.SERVICE_UNAVAILABLE.code,
      options: { retryAfter: 1 },
    });
    await expect(third).rejects.toBeInstanceOf(AppException);
    gate.resolve();
    await first;
    expect(await second).toBe('queued');
  });

  it('frees its slot when a job fails', async () => {
    const queue = new HashQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(() => Promise.resolve('next'))).toBe('next');
  });
});
