/**
 * A turn's lines for the operators (rolling context, handoff transcript) are
 * stored by its commit (commitTurn-9.lua): what a commit that lost its lock
 * decided is stored nowhere, and lines that come again are stored once.
 */
import {
  LockLostError,
  SessionInbox,
  SessionTurns,
  TranscriptStore,
  sessionKeys,
  type InboxEntry,
  type TranscriptLine,
} from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { HandoffTranscriptRecorder } from '../../src/handoff/index.js';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { testTurnRunner } from './test-turn-runner.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe("a turn's transcript lines", () => {
  const keyPrefix = `test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const inbox = new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 });
  const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 60_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
  const transcripts = new TranscriptStore(redis, { keyPrefix, contextLines: 20, contextTtlSeconds: 1_800, transcriptTtlSeconds: 3_600 });
  const sender: ReplySender = { send: async () => ({ messageId: 'wamid.out', skipped: false }), markRead: async () => {} };

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const newSession = () => `123:5917${Math.floor(Math.random() * 1e7)}`;
  const ids = async (key: string) => (await redis.lrange(key, 0, -1)).map((r) => (JSON.parse(r) as TranscriptLine).id);

  const runnerWith = (handler: TurnHandler, transcript: HandoffTranscriptRecorder) =>
    testTurnRunner(
      redis,
      keyPrefix,
      { turns, handler, sender, transcript },
      { lockTtlMs: 60_000, maxBatchAttempts: 5, maxBatchesPerJob: 5 },
    );

  async function receive(session: string, n: number): Promise<InboxEntry> {
    const entry: InboxEntry = {
      address: { phoneNumberId: '123', waId: session.split(':')[1]! },
      message: { wamid: `wamid.${session}.${n}`, kind: 'text', rawType: 'text', timestamp: n, text: `m${n}` },
      acceptedAt: Date.now(),
    };
    await inbox.accept(session, entry);
    return entry;
  }

  it('are stored by nothing when the commit lost its lock', async () => {
    const session = newSession();
    const k = sessionKeys(keyPrefix, session);
    let bumps = 0;
    const recorder = new HandoffTranscriptRecorder(transcripts, { isFlagged: async () => true, bump: async () => void (bumps += 1) });
    // Another worker takes the session while this turn's handler runs (this one stalled past its lock).
    const handler: TurnHandler = {
      async handle() {
        await redis.set(k.lock, 'another-run', 'PX', 60_000);
        return { state: {}, replies: [{ kind: 'text', body: 'never committed' }] };
      },
    };
    const runner = runnerWith(handler, recorder);
    await receive(session, 1);
    await expect(runner.run(session, 'stalled-run')).rejects.toBeInstanceOf(LockLostError);
    expect(await redis.exists(k.context, k.transcript)).toBe(0);
    expect(bumps).toBe(0);
    expect(await redis.get(k.lock)).toBe('another-run');
  });

  it('are stored with the commit, once however often it is sent, and in the transcript only while handed off', async () => {
    const session = newSession();
    const k = sessionKeys(keyPrefix, session);
    const line = (id: string): TranscriptLine => ({ id, dir: 'in', kind: 'text', text: id, at: 1 });
    const commit = async (token: string, lines: TranscriptLine[], handedOff: boolean) =>
      turns.commit(session, token, { step: 'x' }, [], '', undefined, 'never', transcripts.text(lines, handedOff));

    await receive(session, 1);
    expect((await turns.open(session, 't1', { now: Date.now(), maxAttempts: 5 })).kind).toBe('batch');
    expect((await commit('t1', [line('a'), line('b')], false)).transcriptAdded).toBe(0);
    expect(await ids(k.context)).toEqual(['a', 'b']);
    expect(await redis.exists(k.transcript)).toBe(0);
    expect(await redis.ttl(k.context)).toBeGreaterThan(1_700);

    // Handed off now; the same commit sent twice (its reply lost on the way back).
    expect((await commit('t1', [line('b'), line('c'), line('d')], true)).transcriptAdded).toBe(3);
    expect((await commit('t1', [line('b'), line('c'), line('d')], true)).transcriptAdded).toBe(0);
    expect(await ids(k.context)).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids(k.transcript)).toEqual(['b', 'c', 'd']);
    expect(await redis.ttl(k.transcript)).toBeGreaterThan(3_500);

    // A commit under a lock another run holds stores nothing.
    await expect(commit('someone-else', [line('e')], true)).rejects.toBeInstanceOf(LockLostError);
    expect(await ids(k.context)).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids(k.transcript)).toEqual(['b', 'c', 'd']);
  });

  it('of a retried batch are stored once; the transcript grows only while handed off, and the inbox is told only then', async () => {
    const session = newSession();
    const k = sessionKeys(keyPrefix, session);
    let bumps = 0;
    let flag: boolean | Error = new Error('Redis timed out');
    const recorder = new HandoffTranscriptRecorder(transcripts, {
      isFlagged: async () => {
        if (flag instanceof Error) throw flag;
        return flag;
      },
      bump: async () => void (bumps += 1),
    });
    const handler: TurnHandler = {
      async handle({ entries }) {
        return { state: {}, replies: entries.map((e) => ({ kind: 'text' as const, body: `re ${e.message.text}` })) };
      },
    };
    const runner = runnerWith(handler, recorder);
    const first = (await receive(session, 1)).message.wamid;
    // The first attempt sends its reply, then fails before its commit: nothing stored yet.
    await expect(runner.run(session, 'run-1')).rejects.toThrow('Redis timed out');
    expect(await redis.exists(k.context, k.transcript)).toBe(0);
    // As a worker of the version before would have left it: the lines stored ahead of the failed commit.
    flag = true;
    await transcripts.record(session, [{ id: first, dir: 'in', kind: 'text', text: 'm1', at: 1000 }], true);
    expect(await runner.run(session, 'run-2')).toEqual({ kind: 'done' });
    expect(await ids(k.transcript)).toEqual([first, `${first}:0`]);
    expect(await ids(k.context)).toEqual([first, `${first}:0`]);
    expect(bumps).toBe(1);

    flag = false;
    const second = (await receive(session, 2)).message.wamid;
    expect(await runner.run(session, 'run-3')).toEqual({ kind: 'done' });
    expect(await ids(k.transcript)).toEqual([first, `${first}:0`]);
    expect(await ids(k.context)).toEqual([first, `${first}:0`, second, `${second}:0`]);
    expect(bumps).toBe(1);
  });
});
