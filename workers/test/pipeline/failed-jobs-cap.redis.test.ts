/** Failed turn jobs are kept for operators, but only the newest few: a bad day must not fill Redis. */
import { TurnScheduler, type SessionTurnJob } from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

describe('failed turn jobs', () => {
  const prefix = `{test-${randomUUID()}}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queue = new Queue<SessionTurnJob>('turns', { connection: redis, prefix });
  let worker: Worker<SessionTurnJob> | undefined;

  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
  });

  it('keeps only the newest failures, up to the cap', async () => {
    const scheduler = new TurnScheduler(queue, 1, 3);
    let failures = 0;
    worker = new Worker<SessionTurnJob>(
      'turns',
      async () => {
        throw new Error('boom');
      },
      { connection: redis.duplicate(), prefix },
    );
    const allFailed = new Promise<void>((resolve) => worker!.on('failed', () => ++failures === 6 && resolve()));
    for (let i = 0; i < 6; i++) await scheduler.schedule(`1:${i}`);
    await allFailed;
    await worker.close();
    const kept = await queue.getJobs(['failed']);
    expect(kept.map((j) => j.data.sessionKey).sort()).toEqual(['1:3', '1:4', '1:5']);
  });
});
