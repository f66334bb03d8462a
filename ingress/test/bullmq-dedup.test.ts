/**
 * Pins the BullMQ behaviour the per-session scheduling relies on
 * (docs/architecture.md): with `deduplication: { id, keepLastIfActive: true }`
 * there is at most one waiting job per id, an add while the job is active is
 * kept and becomes a real job only after the active one finishes.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { testRedis } from '@medcita/testkit';

const opts = (id: string) => ({ deduplication: { id, keepLastIfActive: true } });

describe('BullMQ deduplication with keepLastIfActive', () => {
  let connection: Redis;
  let queue: Queue;
  let name: string;
  const prefix = `{test-${randomUUID()}}`;

  beforeEach(() => {
    connection = testRedis({ maxRetriesPerRequest: null });
    name = `dedup-${randomUUID()}`;
    queue = new Queue(name, { connection, prefix });
  });

  afterEach(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });

  it('keeps one waiting job per id while none is active', async () => {
    await queue.add('t', { n: 1 }, opts('s1'));
    await queue.add('t', { n: 2 }, opts('s1'));
    await queue.add('t', { n: 3 }, opts('s2'));
    const waiting = await queue.getWaiting();
    expect(waiting.map((j) => j.data.n).sort()).toEqual([1, 3]);
  });

  it('creates exactly one follow-up job, after the active one finishes, for adds made while it ran', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let active = 0;
    let maxActive = 0;
    const workerConnection = connection.duplicate();
    const started = new Promise<void>((resolveStarted) => {
      const worker = new Worker(
        name,
        async (job: Job) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          events.push(`start:${job.data.n}`);
          if (job.data.n === 1) {
            resolveStarted();
            await gate;
          }
          events.push(`end:${job.data.n}`);
          active -= 1;
        },
        { connection: workerConnection, prefix, concurrency: 4 },
      );
      afterEachClose.push(async () => {
        await worker.close();
        await workerConnection.quit();
      });
    });
    await queue.add('t', { n: 1 }, opts('s'));
    await started;
    await queue.add('t', { n: 2 }, opts('s'));
    await queue.add('t', { n: 3 }, opts('s'));
    // While 1 is active the follow-up is not a job yet: nothing can run beside it.
    expect(await queue.getWaitingCount()).toBe(0);
    release();
    await waitFor(async () => events.length === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual(['start:1', 'end:1', 'start:3', 'end:3']);
    expect(maxActive).toBe(1);
  });

  const afterEachClose: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(afterEachClose.splice(0).map((f) => f()));
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
