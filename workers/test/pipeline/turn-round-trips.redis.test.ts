/**
 * What a turn costs Redis (issue #14): the lock, the audit outbox, the batch,
 * the rate limit and the state come back from one script, and the commit
 * stores the turn's text for operators and releases the lock when the run
 * stops with it. Counted on the runner's own client (the shared Redis serves
 * other tests, so its INFO is no measure).
 */
import {
  createLogger,
  SessionInbox,
  SessionRateLimit,
  SessionTurns,
  TranscriptStore,
  type InboxEntry,
  type RedisClient,
} from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { HandoffTranscriptRecorder } from '../../src/handoff/index.js';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner, type TurnRunnerOptions } from '../../src/pipeline/turn-runner.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The client with every call the code makes on it counted: a script, a pipeline or a plain command is one round trip. */
function counted(redis: Redis): { client: RedisClient; calls: string[] } {
  const calls: string[] = [];
  const client = new Proxy(redis, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(prop === 'evalsha' || prop === 'eval' ? 'script' : prop);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: client, calls };
}

describe('round trips of a turn', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const inbox = new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 });
  const logger = createLogger({ level: 'silent', service: 'test' });
  const sender: ReplySender = { send: async () => ({ messageId: 'wamid.out', skipped: false }), markRead: async () => {} };

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  function setup(handler: TurnHandler, options: Partial<TurnRunnerOptions> = {}, maxBatch = 10, limit = 30) {
    const session = `123:5917${Math.floor(Math.random() * 1e7)}`;
    const { client, calls } = counted(redis);
    const turns = new SessionTurns(client, { keyPrefix, lockTtlMs: 60_000, maxBatch, stateTtlSeconds: 3_600, historyCap: 20 });
    const journal = new TurnJournal(client, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 });
    // As in a worker with the dialog: every turn keeps its text. The handoff flag is what the dialog saw (no read here).
    const transcripts = new TranscriptStore(client, { keyPrefix, contextLines: 20, contextTtlSeconds: 3_600, transcriptTtlSeconds: 3_600 });
    const transcript = new HandoffTranscriptRecorder(transcripts, { isFlagged: async () => false, bump: async () => {} });
    const runner = new TurnRunner(
      {
        turns,
        handler,
        sender,
        logger,
        texts: pipelineTextsEs,
        journal,
        transcript,
        rateLimit: new SessionRateLimit({ limit, windowMs: 60_000, backlogMax: limit }),
      },
      { lockTtlMs: 60_000, maxBatchAttempts: 5, maxBatchesPerJob: 10, ...options },
    );
    let n = 0;
    const receive = async (count = 1) => {
      for (let i = 0; i < count; i++) {
        n += 1;
        const entry: InboxEntry = {
          address: { phoneNumberId: '123', waId: session.split(':')[1]! },
          message: { wamid: `wamid.${session}.${n}`, kind: 'text', rawType: 'text', timestamp: n, text: `m${n}` },
          acceptedAt: Date.now(),
        };
        await inbox.accept(session, entry);
      }
    };
    const lockHolder = () => redis.get(`${keyPrefix}:{${session}}:lock`);
    const context = async () =>
      (await redis.lrange(`${keyPrefix}:{${session}}:context`, 0, -1)).map((l) => (JSON.parse(l) as { id: string }).id);
    return { session, calls, turns, journal, transcript, runner, receive, lockHolder, context };
  }

  const echo: TurnHandler = {
    async handle({ entries, state }) {
      const seen = Number(state.seen ?? '0') + entries.length;
      return { state: { seen: String(seen) }, replies: [{ kind: 'text', body: `seen ${seen}` }] };
    },
  };

  it('answers a message with two script calls and leaves the session unlocked', async () => {
    const s = setup(echo);
    await s.receive();
    expect(await s.runner.run(s.session, 'token-1')).toEqual({ kind: 'done' });
    // open (lock, outbox, batch, rate limit, state) and commit (with the text and the unlock); then the audit stream
    // (with its first age trim) and the outbox.
    expect(s.calls).toEqual(['script', 'script', 'xadd', 'xtrim', 'lrem']);
    expect(await s.context()).toEqual([`wamid.${s.session}.1`, `wamid.${s.session}.1:0`]);
    expect(await s.lockHolder()).toBeNull();
    expect(await s.turns.pendingAudit(s.session)).toEqual([]);

    // The next message finds the session free and the state the first turn saved.
    await s.receive();
    s.calls.length = 0;
    expect(await s.runner.run(s.session, 'token-2')).toEqual({ kind: 'done' });
    expect(s.calls.filter((c) => c === 'script')).toHaveLength(2);
    expect(await s.lockHolder()).toBeNull();
    expect((await s.turns.history(s.session)).filter((l) => l.includes('"out"'))).toHaveLength(2);
    const [, fields] = (await redis.xrevrange(`${keyPrefix}:audit`, '+', '-', 'COUNT', 1))[0]!;
    expect(fields[fields.indexOf('wamids') + 1]).toBe(`wamid.${s.session}.2`);
  });

  it('after the commit, settles the send markers and publishes the audit record together, not one after the other', async () => {
    const s = setup(echo);
    // The runner's sender: its settle answers only after a while, and notes what the runner had started by then.
    let duringSettle: string[] = [];
    const slowSettle: ReplySender = {
      ...sender,
      turnCommitted: async () => {
        await new Promise((r) => setTimeout(r, 50));
        duringSettle = [...s.calls];
      },
    };
    const runner = new TurnRunner(
      { turns: s.turns, handler: echo, sender: slowSettle, logger, texts: pipelineTextsEs, journal: s.journal, transcript: s.transcript },
      { lockTtlMs: 60_000, maxBatchAttempts: 5, maxBatchesPerJob: 10 },
    );
    await s.receive();
    expect(await runner.run(s.session, 'token-1')).toEqual({ kind: 'done' });
    // open, commit, then the audit record already sent while the markers were being settled.
    expect(duringSettle.slice(0, 3)).toEqual(['script', 'script', 'xadd']);
    expect(await s.turns.pendingAudit(s.session)).toEqual([]);
  });

  it('an empty inbox costs one script call and leaves no lock', async () => {
    const s = setup(echo);
    expect(await s.runner.run(s.session, 'token-1')).toEqual({ kind: 'done' });
    expect(s.calls).toEqual(['script']);
    expect(await s.lockHolder()).toBeNull();
  });

  it('a session held by another run is busy and its lock is left alone', async () => {
    const s = setup(echo);
    await s.receive();
    await redis.set(`${keyPrefix}:{${s.session}}:lock`, 'other', 'PX', 5_000);
    expect(await s.runner.run(s.session, 'token-1')).toEqual({ kind: 'busy' });
    expect(s.calls).toEqual(['script']);
    expect(await s.lockHolder()).toBe('other');
  });

  it('runs later batches under the same lock and releases it with the last commit of the job', async () => {
    const s = setup(echo, { maxBatchesPerJob: 2 }, 1);
    await s.receive(3);
    expect(await s.runner.run(s.session, 'token-1')).toEqual({ kind: 'more' });
    expect(s.calls.filter((c) => c === 'script')).toHaveLength(4); // open, commit, next, commit
    expect(await s.context()).toHaveLength(4); // two turns of one line in and one out
    expect(await s.lockHolder()).toBeNull();
    expect(await s.runner.run(s.session, 'token-2')).toEqual({ kind: 'done' });
    expect(await redis.hget(`${keyPrefix}:{${s.session}}:state`, 'seen')).toBe('3');
  });

  it('keeps the newest lines of the history up to its cap', async () => {
    const s = setup(echo, {}, 1);
    for (let n = 1; n <= 12; n++) {
      await s.receive();
      await s.runner.run(s.session, `token-${n}`);
    }
    const lines = (await s.turns.history(s.session)).map((l) => JSON.parse(l) as { dir: string; wamid?: string });
    expect(lines).toHaveLength(20); // 12 turns of one line in and one out, capped at 20
    expect(lines[0]!.wamid).toBe(`wamid.${s.session}.3`);
    expect(lines.at(-2)!.wamid).toBe(`wamid.${s.session}.12`);
  });

  it('admits a retried batch again without counting it twice against the rate limit', async () => {
    let fail = true;
    const flaky: TurnHandler = {
      async handle(input) {
        if (fail) {
          fail = false;
          throw new Error('model timed out');
        }
        return echo.handle(input);
      },
    };
    const s = setup(flaky, {}, 10, 2);
    await s.receive(2);
    await expect(s.runner.run(s.session, 'token-1')).rejects.toThrow('model timed out');
    expect(await s.lockHolder()).toBeNull();
    expect(await s.runner.run(s.session, 'token-2')).toEqual({ kind: 'done' });
    expect(await redis.hget(`${keyPrefix}:{${s.session}}:state`, 'seen')).toBe('2');
    expect(await redis.get(`${keyPrefix}:{${s.session}}:rate-notice`)).toBeNull();
  });
});
