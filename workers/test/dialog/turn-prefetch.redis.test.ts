/**
 * The dialog's first reads of a turn (the handoff flag, the pending reminder)
 * leave in the socket write of the open of the batch (TurnHandler.prefetch,
 * issue #14): one round trip and one syscall fewer per turn. Counted where the
 * bytes leave, as in turn-writes.redis.test.ts, with the commands each write
 * carried.
 */
import {
  connectRedis,
  createLogger,
  HandoffStore,
  SessionInbox,
  SessionTurns,
  TranscriptStore,
  type InboxEntry,
  type TurnState,
} from '@medcita/shared';
import { watchSocketWrites } from '@medcita/testkit';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { HandoffSightings, HandoffTranscriptRecorder } from '../../src/handoff/index.js';
import type { ReplySender } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner } from '../../src/pipeline/turn-runner.js';
import { ReminderStore } from '../../src/reminders/index.js';
import { FIXED_NOW, recordCommands } from '../clinic/clinic-test-kit.js';
import { openDialog, PHONE_NUMBER_ID, redis as dialogRedis, type Harness } from './dialog-kit.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A worker's connection (coalesced writes) that lists, for each socket write, the commands it carried. */
function countedConnection(): { redis: Redis; writes: string[][] } {
  const redis = connectRedis({ REDIS_URL }, { role: 'blocking', coalesceWrites: true }) as Redis;
  const writes: string[][] = [];
  let pending: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (...[command, stream]: Parameters<Redis['sendCommand']>) => {
    if (redis.status === 'ready') pending.push(command.name.toLowerCase());
    return send(command, stream);
  };
  watchSocketWrites(redis, () => {
    writes.push(pending);
    pending = [];
  });
  return { redis, writes };
}

describe('the dialog reads what it needs first together with the open of the batch', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const logger = createLogger({ level: 'silent', service: 'test' });
  const sender: ReplySender = { send: async () => ({ messageId: 'wamid.out', skipped: false }), markRead: async () => {} };
  // The test's own commands (inbox, checks) go on another connection, uncounted.
  const other = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const inbox = new SessionInbox(other, { keyPrefix, seenTtlSeconds: 3_600 });
  const { redis, writes } = countedConnection();
  const harnesses: Harness[] = [];

  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.cleanup()));
    const keys = await other.keys(`${keyPrefix}:*`);
    if (keys.length) await other.del(...keys);
    await Promise.all([redis.quit(), other.quit()]);
  });

  /** A worker's runner over the dialog; `flagReads` is the handoff store the dialog reads the flag with. */
  async function worker(flagReads?: (prefix: string) => HandoffStore) {
    let handoff!: HandoffStore;
    let transcript!: HandoffTranscriptRecorder;
    const sightings = new HandoffSightings();
    const h = await openDialog({
      handoffPort: (_store, prefix) => {
        // The worker's stores share its one connection, as in compose-worker.ts.
        handoff = new HandoffStore(redis, { keyPrefix: prefix, timeoutSeconds: 3600 });
        const transcripts = new TranscriptStore(redis, {
          keyPrefix: prefix,
          contextLines: 20,
          contextTtlSeconds: 1800,
          transcriptTtlSeconds: 3600,
        });
        transcript = new HandoffTranscriptRecorder(transcripts, handoff, sightings);
        const port = flagReads?.(prefix) ?? handoff;
        return { isFlagged: (key) => port.isFlagged(key), flag: (...a) => handoff.flag(...a), noteFlag: (...a) => sightings.note(...a) };
      },
      reminders: new ReminderStore(redis, `test:{reminders-${randomUUID()}}`),
    });
    harnesses.push(h);
    const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 60_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
    const runner = new TurnRunner(
      {
        turns,
        handler: h.handler,
        sender,
        journal: new TurnJournal(redis, { keyPrefix, maxLength: 100, maxAgeMs: 60_000 }),
        logger,
        texts: pipelineTextsEs,
        transcript,
        now: () => FIXED_NOW,
      },
      { lockTtlMs: 60_000, maxBatchAttempts: 5, maxBatchesPerJob: 10 },
    );
    return { h, handoff, turns, runner };
  }

  let n = 0;
  function patient() {
    const waId = `5917${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const session = `${PHONE_NUMBER_ID}:${waId}`;
    const receive = (text: string) => {
      const entry: InboxEntry = {
        address: { phoneNumberId: PHONE_NUMBER_ID, waId },
        message: { wamid: `wamid.${session}.${++n}`, kind: 'text', rawType: 'text', timestamp: Math.floor(FIXED_NOW / 1000), text },
        acceptedAt: FIXED_NOW,
      };
      return inbox.accept(session, entry);
    };
    return { session, receive, lock: `${keyPrefix}:{${session}}:lock` };
  }

  it('sends the handoff flag and the reminder reads in the write of the open, and reads the flag once per turn', async () => {
    const w = await worker();
    const p = patient();
    // The first turn loads the scripts (EVAL after NOSCRIPT); the second is counted as every later one runs.
    await p.receive('hola');
    expect(await w.runner.run(p.session, 'token-1')).toEqual({ kind: 'done' });
    await p.receive('hola');
    writes.length = 0;
    expect(await w.runner.run(p.session, 'token-2')).toEqual({ kind: 'done' });
    // Before: the open alone, then the two reads in a write (and a round trip) of their own.
    expect(writes[0]).toEqual(['evalsha', 'exists', 'get']);
    // The transcript recorder reuses the dialog's reading (handoff-sightings.ts).
    expect(writes.flat().filter((c) => c === 'exists')).toEqual(['exists']);
  });

  it('stays silent on a session handed off, the flag read with the open', async () => {
    const w = await worker();
    const p = patient();
    await p.receive('quiero hablar con una persona');
    expect(await w.runner.run(p.session, 'token-1')).toEqual({ kind: 'done' });
    expect(await w.handoff.isFlagged(p.session)).toBe(true);
    await p.receive('hola?');
    const before = (await w.turns.history(p.session)).length;
    expect(await w.runner.run(p.session, 'token-2')).toEqual({ kind: 'done' });
    const lines = (await w.turns.history(p.session)).slice(before).map((l) => (JSON.parse(l) as { dir: string }).dir);
    expect(lines).toEqual(['in']);
  });

  it('a read that fails with the open finding nothing to do is no unhandled rejection, and the turn runs when the session is free', async () => {
    // The dialog's flag reads go through a connection that is closed: every read rejects.
    const closed = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null });
    closed.disconnect();
    let failing = true;
    const w = await worker((prefix) => {
      const broken = new HandoffStore(closed, { keyPrefix: prefix, timeoutSeconds: 3600 });
      const working = new HandoffStore(redis, { keyPrefix: prefix, timeoutSeconds: 3600 });
      return { isFlagged: (key: string) => (failing ? broken : working).isFlagged(key) } as HandoffStore;
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const p = patient();
      // Nothing in the inbox: the open releases the lock and the run is done.
      expect(await w.runner.run(p.session, 'token-1')).toEqual({ kind: 'done' });
      // Another run holds the session: busy.
      await p.receive('hola');
      await other.set(p.lock, 'other-run', 'PX', 60_000);
      expect(await w.runner.run(p.session, 'token-2')).toEqual({ kind: 'busy' });
      expect(await other.get(p.lock)).toBe('other-run');
      // Unhandled rejections are reported after the microtasks of the tick that rejected.
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);

      // The session free, a flag that cannot be read fails the turn as it did when read after the open: it is retried.
      await other.del(p.lock);
      await expect(w.runner.run(p.session, 'token-3')).rejects.toThrow(/Connection is closed/);
      expect(await other.get(p.lock)).toBeNull();
      failing = false;
      expect(await w.runner.run(p.session, 'token-4')).toEqual({ kind: 'done' });
      expect((await w.turns.history(p.session)).map((l) => (JSON.parse(l) as { dir: string }).dir)).toEqual(['in', 'out']);
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a prefetched handoff flag found clear while the state says handed off', () => {
  const sent = recordCommands(dialogRedis);
  let h: Harness;
  beforeEach(async () => {
    h = await openDialog();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  async function turn(state: TurnState, flagged: boolean, sessionKey: string) {
    const address = { phoneNumberId: PHONE_NUMBER_ID, waId: sessionKey.split(':')[1]! };
    const wamid = `wamid.${randomUUID()}`;
    const entries: InboxEntry[] = [
      {
        address,
        message: { wamid, timestamp: Math.floor(FIXED_NOW / 1000), kind: 'text', rawType: 'text', text: 'hola' },
        acceptedAt: FIXED_NOW,
      },
    ];
    sent.clear();
    const input = { sessionKey, address, entries, state, turnId: wamid, now: FIXED_NOW };
    return h.handler.handle(input, Promise.resolve({ flagged, pendingReminder: null }));
  }

  const handedOffState = async (sessionKey: string): Promise<TurnState> => {
    const address = { phoneNumberId: PHONE_NUMBER_ID, waId: sessionKey.split(':')[1]! };
    const entries: InboxEntry[] = [
      {
        address,
        message: { wamid: `wamid.${randomUUID()}`, timestamp: 1, kind: 'text', rawType: 'text', text: 'quiero hablar con una persona' },
        acceptedAt: FIXED_NOW,
      },
    ];
    const out = await h.handler.handle({ sessionKey, address, entries, state: {}, turnId: entries[0]!.message.wamid, now: FIXED_NOW });
    expect(await h.handoff.isFlagged(sessionKey)).toBe(true);
    return { ...out.state, updatedAt: String(FIXED_NOW) };
  };

  const key = () => `${PHONE_NUMBER_ID}:5916${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  // On a Redis Cluster (or after NOSCRIPT) the prefetch may run before the open took the lock, so before the
  // previous turn of the session flagged it and committed: the state, read under the lock, says so.
  it('reads the flag again, and stays silent when a turn of the session handed it off meanwhile', async () => {
    const sessionKey = key();
    const state = await handedOffState(sessionKey);
    const out = await turn(state, false, sessionKey);
    expect(out.replies).toEqual([]);
    expect(sent.trips().filter(([c]) => c === 'exists')).toHaveLength(1);
  });

  it('greets again once the operator released it, and trusts the prefetched flag otherwise', async () => {
    const sessionKey = key();
    const state = await handedOffState(sessionKey);
    await h.handoff.release(sessionKey);
    const out = await turn(state, false, sessionKey);
    expect(out.replies.length).toBeGreaterThan(0);
    expect(sent.trips().filter(([c]) => c === 'exists')).toHaveLength(1);
    const again = await turn(out.state, false, sessionKey);
    expect(again.replies.length).toBeGreaterThan(0);
    expect(sent.trips().filter(([c]) => c === 'exists')).toEqual([]);
  });
});
