/**
 * Pipeline behaviours a patient notices: a long backlog is answered to the
 * end even past one job's share of batches, a slow mark-as-read does not
 * hold the reply, and a poison batch's apology is sent even when the failed
 * attempts already sent their first reply.
 */
import {
  createLogger,
  SessionInbox,
  SessionTurns,
  TurnScheduler,
  type InboxEntry,
  type OutboundMessage,
  type SessionTurnJob,
} from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner, type TurnRunnerOptions } from '../../src/pipeline/turn-runner.js';
import { sessionTurnProcessor } from '../../src/processors/session-turn.processor.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Records what the user received; like the Graph client, a key already sent is not sent again. */
function recordingSender(overrides: Partial<ReplySender> = {}) {
  const received: string[] = [];
  const keys = new Set<string>();
  const sender: ReplySender = {
    async send(_to, message: OutboundMessage, { idempotencyKey }) {
      if (keys.has(idempotencyKey)) return { messageId: 'wamid.x', skipped: true };
      keys.add(idempotencyKey);
      received.push(message.kind === 'text' ? message.body : message.kind);
      return { messageId: 'wamid.x', skipped: false };
    },
    async markRead() {},
    ...overrides,
  };
  return { sender, received, keys };
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('turn runner', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const prefix = `{test-${randomUUID()}}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<SessionTurnJob>('turns', { connection: redis, prefix });
  const logger = createLogger({ level: 'silent', service: 'test' });
  const inbox = new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 });
  const workers: Worker[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await queue.obliterate({ force: true });
    await queue.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const runnerWith = (handler: TurnHandler, sender: ReplySender, options: Partial<TurnRunnerOptions> = {}, maxBatch = 10) =>
    new TurnRunner(
      {
        turns: new SessionTurns(redis, { keyPrefix, lockTtlMs: 5_000, maxBatch, stateTtlSeconds: 3_600, historyCap: 20 }),
        handler,
        sender,
        logger,
        texts: pipelineTextsEs,
        journal: new TurnJournal(redis, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 }),
      },
      { lockTtlMs: 5_000, maxBatchAttempts: 5, maxBatchesPerJob: 5, ...options },
    );
  const message = (session: string, n: number): InboxEntry => ({
    address: { phoneNumberId: '123', waId: session.split(':')[1]! },
    message: { wamid: `wamid.${session}.${n}`, kind: 'text', rawType: 'text', timestamp: n, text: `m${n}` },
    acceptedAt: Date.now(),
  });
  const echo: TurnHandler = {
    async handle({ entries }) {
      return { state: {}, replies: entries.map((e) => ({ kind: 'text' as const, body: `re ${(e.message as { text: string }).text}` })) };
    },
  };

  it('answers a backlog longer than one job runs, through a follow-up job', async () => {
    const session = `123:5917${Date.now() % 100_000}`;
    const { sender, received } = recordingSender();
    // One message per batch and two batches per job: five messages need three jobs.
    const runner = runnerWith(echo, sender, { maxBatchesPerJob: 2 }, 1);
    const scheduler = new TurnScheduler(queue, 1);
    const worker = new Worker<SessionTurnJob>(
      'turns',
      sessionTurnProcessor(runner, 200, {
        followUp: (s, delayMs = 100) => scheduler.schedule(s, delayMs),
      }),
      { connection: redis.duplicate(), prefix },
    );
    workers.push(worker);
    for (let n = 1; n <= 5; n++) await inbox.accept(session, message(session, n));
    await scheduler.schedule(session);
    await until(() => received.length === 5, 'all five messages answered');
    expect(received).toEqual(['re m1', 're m2', 're m3', 're m4', 're m5']);
    await worker.close();
  });

  it('does not wait for mark-as-read before answering', async () => {
    const session = `123:5918${Date.now() % 100_000}`;
    // A Graph API that never answers the read receipt.
    const { sender, received } = recordingSender({ markRead: () => new Promise<void>(() => undefined) });
    const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 5_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
    await inbox.accept(session, message(session, 1));
    expect(await runnerWith(echo, sender).run(session, 'token-1')).toEqual({ kind: 'done' });
    expect(received).toEqual(['re m1']);
    expect(await turns.pendingAudit(session)).toEqual([]);
  });

  it('sends the apology for a poison batch even when a failed attempt already sent its first reply', async () => {
    const session = `123:5919${Date.now() % 100_000}`;
    const { sender, received } = recordingSender();
    // The turn's first reply goes out, then the turn fails (the second reply's request dies): every attempt.
    const flaky: ReplySender = {
      ...sender,
      async send(to, msg, opts) {
        if (msg.kind === 'text' && msg.body === 'segunda') throw new Error('socket hang up');
        return sender.send(to, msg, opts);
      },
    };
    const poison: TurnHandler = {
      async handle() {
        return {
          state: {},
          replies: [
            { kind: 'text', body: 'primera' },
            { kind: 'text', body: 'segunda' },
          ],
        };
      },
    };
    const runner = runnerWith(poison, flaky, { maxBatchAttempts: 2 });
    await inbox.accept(session, message(session, 1));
    for (let attempt = 1; attempt <= 2; attempt++) await expect(runner.run(session, `t${attempt}`)).rejects.toThrow('socket hang up');
    expect(await runner.run(session, 't3')).toEqual({ kind: 'done' });
    expect(received).toEqual(['primera', pipelineTextsEs.apology]);
  });
});
