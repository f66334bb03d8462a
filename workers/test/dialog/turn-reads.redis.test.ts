import { randomUUID } from 'node:crypto';
import { TranscriptStore, type InboxEntry, type OperatorReplyJob, type HandoffTimeoutJob } from '@medcita/shared';
import { Queue } from 'bullmq';
import { HandoffSightings, HandoffTranscriptRecorder, OperatorHandoff, type TranscriptTurn } from '../../src/handoff/index.js';
import { ReminderStore } from '../../src/reminders/index.js';
import { capturingLogger } from '../nlu/helpers.js';
import { connectTestRedis, FIXED_NOW, recordCommands } from '../clinic/clinic-test-kit.js';
import { openDialog, PHONE_NUMBER_ID, redis, type Harness } from './dialog-kit.js';

// Issue #14: the Redis reads a dialog turn makes, from the handler's start to the transcript at its end.
describe('the reads of a dialog turn', () => {
  const sent = recordCommands(redis);
  // On a connection of its own, so its commands are not counted.
  const queueRedis = connectTestRedis();
  const queue = new Queue<OperatorReplyJob | HandoffTimeoutJob>('handoff-timeouts', {
    connection: queueRedis,
    prefix: `{test-turn-reads-${randomUUID()}}`,
  });
  let h: Harness;
  let transcripts: TranscriptStore;
  let recorder: HandoffTranscriptRecorder;
  let n = 0;

  beforeEach(async () => {
    const sightings = new HandoffSightings();
    h = await openDialog({
      handoffPort: (store, prefix) => {
        transcripts = new TranscriptStore(redis, {
          keyPrefix: prefix,
          contextLines: 20,
          contextTtlSeconds: 1800,
          transcriptTtlSeconds: 3600,
        });
        recorder = new HandoffTranscriptRecorder(transcripts, store, sightings);
        return new OperatorHandoff({ store, transcripts, queue, logger: capturingLogger().logger, sightings });
      },
      reminders: new ReminderStore(redis, `test:{reminders-${randomUUID()}}`),
    });
  });
  afterEach(async () => {
    await h.cleanup();
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await queueRedis.quit();
  });

  /** The recorder's part of a turn, its lines stored as the commit stores them (the same recordLines). */
  async function record(t: TranscriptTurn) {
    const text = await recorder.text(t);
    if (text && (await transcripts.write(t.sessionKey, text)) > 0) await recorder.added();
  }

  /** One turn as the runner makes it: the handler, then the transcript, both told the same turn. */
  async function turn(sessionKey: string, text: string, between?: () => Promise<unknown>) {
    const address = { phoneNumberId: PHONE_NUMBER_ID, waId: sessionKey.split(':')[1]! };
    const wamid = `wamid.${randomUUID()}-${++n}`;
    const now = FIXED_NOW + n * 1000;
    const entries: InboxEntry[] = [
      { address, message: { wamid, timestamp: Math.floor(now / 1000), kind: 'text', rawType: 'text', text }, acceptedAt: now },
    ];
    const out = await h.handler.handle({ sessionKey, address, entries, state: {}, turnId: wamid, now });
    await between?.();
    await record({ sessionKey, turnId: wamid, entries, replies: out.replies, now });
    return { wamid, replies: out.replies };
  }

  const sessionKey = () => `${PHONE_NUMBER_ID}:5917${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  it('reads the handoff flag once: the dialog reads it, and the transcript reuses that', async () => {
    sent.clear();
    await turn(sessionKey(), 'hola');
    expect(sent.trips().filter(([name]) => name === 'exists')).toEqual([['exists']]);
  });

  it('has the flag and the reminder in flight together, rather than one after the other', async () => {
    sent.clear();
    await turn(sessionKey(), 'hola');
    const reads = sent.events().filter((e) => /^(send|reply) (exists|get)$/.test(e));
    expect(reads.slice(0, 2).sort()).toEqual(['send exists', 'send get']);
  });

  it('puts the lines of the turn that hands off in the transcript, as the operator reads them', async () => {
    const key = sessionKey();
    const { wamid } = await turn(key, 'quiero hablar con una persona');
    expect(await h.handoff.isFlagged(key)).toBe(true);
    const { lines } = await transcripts.read(key);
    expect(lines.map((l) => l.id)).toContain(wamid);
    expect(lines.filter((l) => l.dir === 'out').map((l) => l.text)).toContainEqual(expect.stringMatching(/persona/));
  });

  // The documented choice (docs/dialog.md, Human handoff): what the bot stayed silent on is the operator's to read.
  it('keeps a message the bot stayed silent on in the transcript, even when the operator released the session meanwhile', async () => {
    const key = sessionKey();
    await turn(key, 'quiero hablar con una persona');
    const silent = await turn(key, 'sigo esperando', () => h.handoff.release(key));
    expect(silent.replies).toEqual([]);
    expect((await transcripts.read(key)).lines.map((l) => l.id)).toContain(silent.wamid);
  });

  it('reads the flag itself for a turn the dialog did not handle', async () => {
    const key = sessionKey();
    await turn(key, 'quiero hablar con una persona');
    const at = FIXED_NOW + 999_000;
    const address = { phoneNumberId: PHONE_NUMBER_ID, waId: key.split(':')[1]! };
    const entries: InboxEntry[] = [
      { address, message: { wamid: 'wamid.dropped', timestamp: at / 1000, kind: 'text', rawType: 'text', text: 'hola?' }, acceptedAt: at },
    ];
    sent.clear();
    await record({ sessionKey: key, turnId: 'wamid.dropped', entries, replies: [], now: at });
    expect(sent.trips().filter(([name]) => name === 'exists')).toHaveLength(1);
    expect((await transcripts.read(key)).lines.map((l) => l.id)).toContain('wamid.dropped');
  });
});
