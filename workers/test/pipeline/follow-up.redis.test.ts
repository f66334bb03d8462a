/**
 * A session whose turn job fails for good must not be stranded: the failing
 * job schedules a follow-up that BullMQ creates once the failure is recorded,
 * and the message is eventually handled (found by the crash test under load).
 */
import { createLogger, JobName, SessionInbox, SessionTurns, TurnScheduler, type SessionTurnJob } from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner } from '../../src/pipeline/turn-runner.js';
import { sessionTurnProcessor } from '../../src/processors/session-turn.processor.js';
import { testRedis } from '@medcita/testkit';

describe(sessionTurnProcessor.name, () => {
  const keyPrefix = `test-${randomUUID()}`;
  const prefix = `{test-${randomUUID()}}`;
  const redis = testRedis({ maxRetriesPerRequest: null });
  const queue = new Queue<SessionTurnJob>('turns', { connection: redis, prefix });
  let worker: Worker<SessionTurnJob> | undefined;

  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('schedules a follow-up when a job fails its last attempt, so the message is still answered', async () => {
    const session = '123:59170000009';
    const sent: string[] = [];
    let calls = 0;
    const handler: TurnHandler = {
      async handle() {
        calls += 1;
        if (calls <= 2) throw new Error(`clinic exploded (${calls})`);
        return { state: {}, replies: [{ kind: 'text', body: 'por fin' }] };
      },
    };
    const sender: ReplySender = {
      async send(_to, message) {
        sent.push(message.kind === 'text' ? message.body : message.kind);
        return { messageId: 'wamid.out', skipped: false };
      },
      async markRead() {},
    };
    const logger = createLogger({ level: 'silent', service: 'test' });
    const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 5_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
    const runner = new TurnRunner(
      {
        turns,
        handler,
        sender,
        logger,
        texts: pipelineTextsEs,
        journal: new TurnJournal(redis, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 }),
      },
      { lockTtlMs: 5_000, maxBatchAttempts: 5, maxBatchesPerJob: 5 },
    );
    const scheduler = new TurnScheduler(queue, 1); // one attempt per job: every failure is final
    worker = new Worker<SessionTurnJob>('turns', sessionTurnProcessor(runner, 200, { followUp: (s) => scheduler.schedule(s, 100) }), {
      connection: redis.duplicate(),
      prefix,
      concurrency: 2,
    });

    await new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 }).accept(session, {
      address: { phoneNumberId: '123', waId: '59170000009' },
      message: { wamid: 'wamid.in-1', kind: 'text', rawType: 'text', timestamp: 1, text: 'hola' },
      acceptedAt: Date.now(),
    });
    await scheduler.schedule(session);

    // The reply goes out inside the job; BullMQ marks the job completed only after, so wait for that.
    const deadline = Date.now() + 20_000;
    while ((await queue.getCompletedCount()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual(['por fin']);
    expect(calls).toBe(3);
    expect(await queue.getFailedCount()).toBe(2);
    expect(await redis.llen(`${keyPrefix}:{${session}}:processing`)).toBe(0);
    expect((await queue.getJobs(['completed'])).map((j) => j.name)).toEqual([JobName.SessionTurn]);
  });
});
