/**
 * Socket writes of a turn on the worker's Redis connection (issue #14): each
 * one is a syscall, and corking the socket per tick (coalesce-writes.ts) only
 * saves them when the turn does not wait for a reply it does not need. The
 * `sent` record of a reply goes out with the turn's next command, and the
 * audit outbox's cleanup with BullMQ completing the job. Counted where the
 * bytes leave: the socket's own `_write` / `_writev`, one call per flush.
 */
import { connectRedis, createLogger, SessionInbox, SessionTurns, TurnScheduler, type SessionTurnJob } from '@medcita/shared';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { Queue, Worker, type Job } from 'bullmq';
import { watchSocketWrites } from '@medcita/testkit';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner } from '../../src/pipeline/turn-runner.js';
import { sessionTurnProcessor } from '../../src/processors/session-turn.processor.js';
import { GraphClient } from '../../src/whatsapp/index.js';
import { WORKER_CONNECTION } from '../../src/worker-connection.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = 'EAAG-token-for-tests';
const PN = '106540352242922';

/** The worker's connection as compose-worker builds it, with the writes its sockets make counted. */
function countedConnection(): { redis: Redis; writes: { n: number } } {
  const redis = connectRedis({ REDIS_URL }, WORKER_CONNECTION) as Redis;
  const writes = { n: 0 };
  watchSocketWrites(redis, () => {
    writes.n += 1;
  });
  return { redis, writes };
}

describe('socket writes of a turn', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const prefix = `{test-${randomUUID()}}`;
  const logger = createLogger({ level: 'silent', service: 'test' });
  // The test's own commands (enqueueing, checks) go on another connection, uncounted.
  const other = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<SessionTurnJob>('turns', { connection: other, prefix });
  const { redis, writes } = countedConnection();
  let fake: FakeGraphApi;
  let worker: Worker<SessionTurnJob> | undefined;

  beforeAll(async () => {
    fake = await FakeGraphApi.start({ accessToken: TOKEN });
  });

  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await fake.close();
    const keys = await other.keys(`${keyPrefix}:*`);
    if (keys.length) await other.del(...keys);
    await Promise.all([redis.quit(), other.quit()]);
  });

  it('a one-reply turn run by the BullMQ worker costs five: open, start of the send, sent + commit, settle + audit, outbox + job done', async () => {
    const sender = new GraphClient({ baseUrl: fake.url, version: 'v23.0', accessToken: TOKEN, redis, keyPrefix, logger });
    const echo: TurnHandler = { handle: async () => ({ state: {}, replies: [{ kind: 'text', body: 'ok' }] }) };
    const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 60_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
    const journal = new TurnJournal(redis, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 });
    // A 60 s lock: neither the runner's heartbeat nor BullMQ's lock renewal falls inside a counted turn.
    const runner = new TurnRunner(
      { turns, handler: echo, sender, journal, logger, texts: pipelineTextsEs },
      { lockTtlMs: 60_000, maxBatchAttempts: 5, maxBatchesPerJob: 10 },
    );
    const processJob = sessionTurnProcessor(runner, 200);
    const counted: number[] = [];
    let at = 0;
    worker = new Worker<SessionTurnJob>(
      'turns',
      async (job: Job<SessionTurnJob>, token?: string) => {
        at = writes.n;
        await processJob(job, token);
      },
      // The worker shares the turns' connection, as in compose-worker.ts (its blocking client is a copy, uncounted).
      { connection: redis, prefix, concurrency: 1, lockDuration: 60_000, stalledInterval: 60_000 },
    );
    // Read in the event BullMQ emits once moveToFinished answered: the writes from the job's start to its end.
    worker.on('completed', () => counted.push(writes.n - at));
    const inbox = new SessionInbox(other, { keyPrefix, seenTtlSeconds: 3_600 });
    const scheduler = new TurnScheduler(queue, 1);
    const user = `5917${Math.floor(Math.random() * 1e7)}`;
    const session = `${PN}:${user}`;
    // The first turn loads the scripts (EVAL after NOSCRIPT); the second is counted as every later one runs.
    for (let n = 1; n <= 2; n++) {
      await inbox.accept(session, {
        address: { phoneNumberId: PN, waId: user },
        message: { wamid: `wamid.${session}.${n}`, kind: 'text', rawType: 'text', timestamp: n, text: `m${n}` },
        acceptedAt: Date.now(),
      });
      await scheduler.schedule(session, 0);
      await waitFor(() => counted.length === n);
    }
    expect(fake.sent).toHaveLength(2);
    expect(await turns.pendingAudit(session)).toEqual([]);
    // Awaiting the `sent` SET and the outbox's LREM made it seven.
    expect(counted[1]).toBe(5);
  });

  it('commands issued in one event-loop turn leave in one write, even when a later one comes after the tick', async () => {
    // As BullMQ's moveToFinished comes a few promise hops after the runner's last command.
    const before = writes.n;
    const first = redis.get(`${keyPrefix}:a`);
    const second = new Promise((resolve, reject) => {
      process.nextTick(() => process.nextTick(() => redis.get(`${keyPrefix}:b`).then(resolve, reject)));
    });
    await Promise.all([first, second]);
    // Flushed per tick (process.nextTick) it was two.
    expect(writes.n - before).toBe(1);
  });

  it('a turn that dies after its reply went out, before its commit, is redone without sending the reply again', async () => {
    const echo: TurnHandler = { handle: async () => ({ state: {}, replies: [{ kind: 'text', body: 'ok' }] }) };
    const turnsOn = (client: Redis) =>
      new SessionTurns(client, { keyPrefix, lockTtlMs: 60_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
    // A grace of 400 ms: were the marker left open, the retry would resend soon after, with no status webhook here.
    const runnerOn = (client: Redis, turns: SessionTurns) =>
      new TurnRunner(
        {
          turns,
          handler: echo,
          sender: new GraphClient({
            baseUrl: fake.url,
            version: 'v23.0',
            accessToken: TOKEN,
            redis: client,
            keyPrefix,
            logger,
            timeoutMs: 200,
            statusWaitMs: 200,
          }),
          journal: new TurnJournal(client, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 }),
          logger,
          texts: pipelineTextsEs,
        },
        { lockTtlMs: 60_000, maxBatchAttempts: 5, maxBatchesPerJob: 10 },
      );
    const user = `5918${Math.floor(Math.random() * 1e7)}`;
    const session = `${PN}:${user}`;
    await new SessionInbox(other, { keyPrefix, seenTtlSeconds: 3_600 }).accept(session, {
      address: { phoneNumberId: PN, waId: user },
      message: { wamid: `wamid.${session}.1`, kind: 'text', rawType: 'text', timestamp: 1, text: 'hola' },
      acceptedAt: Date.now(),
    });
    const sentBefore = fake.sent.length;

    // The first worker's sender returns before Redis recorded the message sent; the turn dies at its commit.
    const dying = turnsOn(redis);
    dying.commit = () => Promise.reject(new Error('SIGKILL'));
    await expect(runnerOn(redis, dying).run(session, 'first-worker')).rejects.toThrow('SIGKILL');

    // Another worker, on its own connection, redoes the batch.
    const rescuer = connectRedis({ REDIS_URL }, WORKER_CONNECTION) as Redis;
    try {
      const turns = turnsOn(rescuer);
      expect(await runnerOn(rescuer, turns).run(session, 'second-worker')).toEqual({ kind: 'done' });
      expect(fake.sent.length - sentBefore).toBe(1);
      expect(await turns.history(session)).toHaveLength(2);
    } finally {
      await rescuer.quit();
    }
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('the turn never completed');
}
