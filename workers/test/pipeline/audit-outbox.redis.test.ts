/**
 * A turn's audit record is committed with the turn (into the session's
 * outbox) and moved to the audit stream afterwards. A worker that dies in
 * between must not lose it: the next run on that session publishes it.
 * (The SIGKILL e2e test caught a turn committed with no audit record.)
 */
import { createLogger, SessionInbox, SessionTurns } from '@medcita/shared';
import { randomUUID } from 'node:crypto';
import type { ReplySender, TurnHandler } from '../../src/pipeline/ports.js';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal, type TurnJournalOptions } from '../../src/pipeline/turn-journal.js';
import { TurnRunner } from '../../src/pipeline/turn-runner.js';
import { captureLogger, testRedis } from '@medcita/testkit';

/** Dies (as far as the audit goes) right after the commit: never reaches the stream. */
class DyingJournal extends TurnJournal {
  override async publish(): Promise<void> {
    throw new Error('SIGKILL');
  }
}

describe('audit records of committed turns', () => {
  const keyPrefix = `test-${randomUUID()}`;
  const redis = testRedis();
  const session = '123:59170000042';
  const journalOptions: TurnJournalOptions = { keyPrefix, maxLength: 100, maxAgeMs: 60_000 };
  const turns = new SessionTurns(redis, { keyPrefix, lockTtlMs: 5_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 });
  const inbox = new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 });
  const handler: TurnHandler = { handle: async () => ({ state: {}, replies: [{ kind: 'text', body: 'ok' }] }) };
  const sender: ReplySender = { send: async () => ({ messageId: 'wamid.out', skipped: false }), markRead: async () => {} };
  const runner = (journal: TurnJournal) =>
    new TurnRunner(
      { turns, handler, sender, journal, logger: createLogger({ level: 'silent', service: 'test' }), texts: pipelineTextsEs },
      { lockTtlMs: 5_000, maxBatchAttempts: 5, maxBatchesPerJob: 5 },
    );
  const stream = async () => (await redis.xrange(`${keyPrefix}:audit`, '-', '+')).map(([, f]) => f[f.indexOf('wamids') + 1]);

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps the record of a turn whose worker died after the commit, and the next run publishes it once', async () => {
    await inbox.accept(session, {
      address: { phoneNumberId: '123', waId: '59170000042' },
      message: { wamid: 'wamid.in-42', kind: 'text', rawType: 'text', timestamp: 1, text: 'hola' },
      acceptedAt: Date.now(),
    });
    await runner(new DyingJournal(redis, journalOptions)).run(session, 'first-worker');
    expect(await turns.history(session)).toHaveLength(2); // committed: one line in, one out
    expect(await stream()).toEqual([]);
    expect(await turns.pendingAudit(session)).toHaveLength(1);

    await runner(new TurnJournal(redis, journalOptions)).run(session, 'second-worker');
    expect(await stream()).toEqual(['wamid.in-42']);
    expect(await turns.pendingAudit(session)).toEqual([]);

    await runner(new TurnJournal(redis, journalOptions)).run(session, 'third-worker');
    expect(await stream()).toEqual(['wamid.in-42']);
  });

  it('does not wait for the outbox to let go of a published record; when that fails, the turn still ends and the next run publishes it again', async () => {
    const other = '123:59170000043';
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const captured = captureLogger({ level: 'warn' });
    const refusing = Object.assign(
      new SessionTurns(redis, { keyPrefix, lockTtlMs: 5_000, maxBatch: 10, stateTtlSeconds: 3_600, historyCap: 20 }),
      {
        dropAudit: () => Promise.reject(new Error('LREM refused')),
      },
    );
    await inbox.accept(other, {
      address: { phoneNumberId: '123', waId: '59170000043' },
      message: { wamid: 'wamid.in-43', kind: 'text', rawType: 'text', timestamp: 1, text: 'hola' },
      acceptedAt: Date.now(),
    });
    const first = new TurnRunner(
      {
        turns: refusing,
        handler,
        sender,
        journal: new TurnJournal(redis, journalOptions),
        logger: captured.logger,
        texts: pipelineTextsEs,
      },
      { lockTtlMs: 5_000, maxBatchAttempts: 5, maxBatchesPerJob: 5 },
    );
    expect(await first.run(other, 'first-worker')).toEqual({ kind: 'done' });
    // The refusal is handled once the microtasks after the run ran.
    await new Promise((r) => setImmediate(r));
    expect(captured.records().map((r) => r.msg)).toContain('audit outbox not emptied');
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    expect(await turns.pendingAudit(other)).toHaveLength(1);

    // At least once: the next run publishes it again (readers dedupe by rid) and empties the outbox.
    await runner(new TurnJournal(redis, journalOptions)).run(other, 'second-worker');
    expect((await stream()).filter((w) => w === 'wamid.in-43')).toHaveLength(2);
    expect(await turns.pendingAudit(other)).toEqual([]);
  });
});
