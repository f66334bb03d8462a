/**
 * Messages over the per-session rate limit wait for the window instead of
 * being dropped: handled later, in order, with a truthful notice; the backlog
 * is bounded and what falls beyond it is said, not silently lost.
 * Real Redis; the clock is the runner's `now`, so no test waits a minute.
 */
import { SessionInbox, SessionRateLimit, SessionTurns } from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { testTurnRunner } from './test-turn-runner.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WINDOW = 60_000;

describe('rate limit: deferred, not dropped', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  function setup(limit: number) {
    const session = `123:5917${Math.floor(Math.random() * 1e7)}`;
    let clock = 1_000_000;
    const handled: string[] = [];
    const sent: { body: string; key: string }[] = [];
    const handler: TurnHandler = {
      async handle({ entries }) {
        const texts = entries.map((e) => (e.message.kind === 'text' ? (e.message.text ?? '') : ''));
        handled.push(...texts);
        return { state: {}, replies: [{ kind: 'text', body: `eco ${texts.join('+')}` }] };
      },
    };
    const sender: ReplySender = {
      async send(_to, message, opts) {
        // Same idempotency as the Graph client: a key already used sends nothing.
        if (!sent.some((s) => s.key === opts.idempotencyKey)) {
          sent.push({ body: message.kind === 'text' ? message.body : message.kind, key: opts.idempotencyKey });
        }
        return { messageId: 'wamid.out', skipped: false };
      },
      async markRead() {},
    };
    const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 5_000, maxBatch: 20, stateTtlSeconds: 3_600, historyCap: 50 });
    const runner = testTurnRunner(
      redis,
      keyPrefix,
      { turns, handler, sender, rateLimit: new SessionRateLimit({ limit, windowMs: WINDOW, backlogMax: limit }), now: () => clock },
      { lockTtlMs: 5_000, maxBatchAttempts: 5, maxBatchesPerJob: 10 },
      600_000,
    );
    const inbox = new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 });
    let n = 0;
    const receive = async (...texts: string[]) => {
      for (const text of texts) {
        n += 1;
        await inbox.accept(session, {
          address: { phoneNumberId: '123', waId: session.split(':')[1]! },
          message: { wamid: `wamid.${session}.${n}`, kind: 'text', rawType: 'text', timestamp: n, text },
          acceptedAt: clock,
        });
      }
    };
    return {
      session,
      handled,
      sent,
      receive,
      run: () => runner.run(session, randomUUID()),
      advance: (ms: number) => {
        clock += ms;
      },
      inboxLength: () => redis.llen(`${keyPrefix}:{${session}}:inbox`),
    };
  }

  it('answers messages over the limit later, in order, after saying so once', async () => {
    const s = setup(5);
    await s.receive(...Array.from({ length: 7 }, (_, i) => `m${i + 1}`));

    const first = await s.run();
    expect(first.kind).toBe('deferred');
    expect(s.handled).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(s.sent.map((x) => x.body)).toEqual(['eco m1+m2+m3+m4+m5', pipelineTextsEs.rateDeferred]);
    expect(await s.inboxLength()).toBe(2);
    const wait = (first as { retryInMs: number }).retryInMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(WINDOW + 1);

    // One more arrives while the others wait: it queues behind them.
    await s.receive('m8');
    s.advance(wait);
    expect((await s.run()).kind).toBe('done');
    expect(s.handled).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    expect(s.sent.map((x) => x.body)).toEqual(['eco m1+m2+m3+m4+m5', pipelineTextsEs.rateDeferred, 'eco m6+m7+m8']);
  });

  it('a batch deferred whole is answered when its turn comes (its reply is not mistaken for the notice)', async () => {
    const s = setup(2);
    await s.receive('a1', 'a2');
    expect((await s.run()).kind).toBe('done');
    await s.receive('a3');
    s.advance(1_000);
    const r = await s.run();
    expect(r.kind).toBe('deferred');
    expect(s.handled).toEqual(['a1', 'a2']);
    expect(s.sent.map((x) => x.body)).toEqual(['eco a1+a2', pipelineTextsEs.rateDeferred]);
    s.advance((r as { retryInMs: number }).retryInMs);
    expect((await s.run()).kind).toBe('done');
    expect(s.sent.map((x) => x.body)).toEqual(['eco a1+a2', pipelineTextsEs.rateDeferred, 'eco a3']);
  });

  it('bounds the backlog: beyond one window of waiting messages the newest are discarded, and the user is told', async () => {
    const s = setup(3);
    await s.receive(...Array.from({ length: 9 }, (_, i) => `x${i + 1}`));

    const first = await s.run();
    expect(first.kind).toBe('deferred');
    expect(s.handled).toEqual(['x1', 'x2', 'x3']);
    expect(s.sent.map((x) => x.body)).toEqual(['eco x1+x2+x3', pipelineTextsEs.rateDiscarded]);
    expect(await s.inboxLength()).toBe(3);

    s.advance((first as { retryInMs: number }).retryInMs);
    expect((await s.run()).kind).toBe('done');
    // The oldest waiting ones are answered, in order; x7..x9 were the ones not read.
    expect(s.handled).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    expect(s.sent.map((x) => x.body)).toEqual(['eco x1+x2+x3', pipelineTextsEs.rateDiscarded, 'eco x4+x5+x6']);
  });

  it('tells the user once per window, however many messages wait', async () => {
    const s = setup(2);
    await s.receive('b1', 'b2', 'b3');
    const r1 = await s.run();
    await s.receive('b4');
    s.advance(10);
    const r2 = await s.run();
    expect([r1.kind, r2.kind]).toEqual(['deferred', 'deferred']);
    expect(s.sent.filter((x) => x.body === pipelineTextsEs.rateDeferred)).toHaveLength(1);
    s.advance(WINDOW);
    expect((await s.run()).kind).toBe('done');
    expect(s.handled).toEqual(['b1', 'b2', 'b3', 'b4']);
  });
});
