/**
 * A run whose session lock expired under it (a stalled worker, a Redis
 * outage longer than the lock's TTL) while another run opened, committed and
 * released the same batch must not commit that batch again. The 100k-message
 * soak found the heartbeat taking the free lock back, after which the stale
 * run's commit went through: the same message committed twice, the second
 * time with the stale run's state.
 */
import { createLogger, LockLostError, SessionInbox, SessionTurns, type InboxEntry, type OutboundMessage } from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { sessionKeys } from '@medcita/shared';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner } from '../../src/pipeline/turn-runner.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOCK_TTL_MS = 900; // the heartbeat beats every 300 ms

describe('a run that lost its lock', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const inbox = new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 });
  const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: LOCK_TTL_MS, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('cannot commit the batch another run committed meanwhile, even once the lock is free again', async () => {
    const session = `123:5917${Date.now() % 100_000}`;
    const sent: string[] = [];
    const sender: ReplySender = {
      async send(_to, message: OutboundMessage, { idempotencyKey }) {
        sent.push(`${idempotencyKey} ${message.kind === 'text' ? message.body : message.kind}`);
        return { messageId: 'wamid.out', skipped: false };
      },
      async markRead() {},
    };
    let releaseStale!: () => void;
    const staleMayGoOn = new Promise<void>((r) => (releaseStale = r));
    let calls = 0;
    // The first run (the stale one) stalls inside its handler; the second is quick.
    const handler: TurnHandler = {
      async handle({ entries }) {
        calls += 1;
        const who = calls === 1 ? 'stale' : 'fresh';
        if (who === 'stale') await staleMayGoOn;
        return { state: { by: who }, replies: entries.map(() => ({ kind: 'text' as const, body: `answered by the ${who} run` })) };
      },
    };
    const runner = new TurnRunner(
      {
        turns,
        handler,
        sender,
        logger: createLogger({ level: 'silent', service: 'test' }),
        texts: pipelineTextsEs,
        journal: new TurnJournal(redis, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 }),
      },
      { lockTtlMs: LOCK_TTL_MS, maxBatchAttempts: 5, maxBatchesPerJob: 5 },
    );
    const entry: InboxEntry = {
      address: { phoneNumberId: '123', waId: session.split(':')[1]! },
      message: { wamid: `wamid.${session}.1`, kind: 'text', rawType: 'text', timestamp: 1, text: 'hola' },
      acceptedAt: Date.now(),
    };
    await inbox.accept(session, entry);

    const stale = runner.run(session, 'stale-token');
    const staleOutcome = stale.then(
      (outcome) => ({ committed: outcome }),
      (err: unknown) => ({ failed: err }),
    );
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    // Its lock expires as if the worker had stalled (a heartbeat that cannot reach Redis).
    const lockKey = sessionKeys(keyPrefix, session).lock;
    await redis.del(lockKey);
    expect(await runner.run(session, 'fresh-token')).toEqual({ kind: 'done' });
    expect(await redis.exists(lockKey)).toBe(0);
    // Several heartbeats of the stale run find the lock free.
    await new Promise((r) => setTimeout(r, 3 * LOCK_TTL_MS));
    releaseStale();

    const outcome = await staleOutcome;
    expect('failed' in outcome && outcome.failed).toBeInstanceOf(LockLostError);
    // The message was committed once, with the fresh run's state.
    const history = (await turns.history(session)).map((l) => JSON.parse(l) as { dir: string; wamid?: string });
    expect(history.filter((l) => l.dir === 'in').map((l) => l.wamid)).toEqual([entry.message.wamid]);
    expect(await redis.hget(sessionKeys(keyPrefix, session).state, 'by')).toBe('fresh');
    expect(await redis.exists(lockKey)).toBe(0);
  });
});
