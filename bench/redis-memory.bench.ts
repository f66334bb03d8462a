/**
 * `npm run bench:redis-memory`: Redis memory per inbound message and its
 * reply, per key family, measured with INFO memory (used_memory deltas) on
 * a private redis-server with the compose settings.
 *
 *   npm run bench:redis-memory -- [--rate 80] [--slots 32] [--out bench/results/redis-memory.json]
 *
 * Messages go through the real scripts: acceptMessage (the ingress's
 * dedupe and inbox), openTurn/commitTurn (the inbox drained), and the send
 * ledger's claim/begin/complete and the post-commit TTL cut (the reply's marker). The dedupe
 * buckets are shared per cluster slot and per period, so their cost depends
 * on the rate: the run fills `--slots` slots with the messages a fleet at
 * `--rate` messages/s puts in each slot during the full seen TTL (7 days,
 * eight buckets), which is what every one of the 16,384 slots holds.
 *
 * "before" replays the writes of the previous design (one key per wamid,
 * one five-field marker per reply, kept 3 days) for comparison.
 */
import { keySlot, SessionInbox, sessionKeys, SessionTurns } from '@medcita/shared';
import { startRedisServer } from '@medcita/testkit';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SendLedger } from '../workers/src/whatsapp/send-ledger.js';
import { SendLimiter } from '../workers/src/whatsapp/send-limiter.js';

const { values: f } = parseArgs({
  options: {
    rate: { type: 'string', default: '80' },
    slots: { type: 'string', default: '32' },
    out: { type: 'string', default: 'bench/results/redis-memory.json' },
  },
});
const RATE = Number(f.rate);
const SAMPLE_SLOTS = Number(f.slots);
const SEEN_TTL = 7 * 86_400;
const PERIOD = Math.ceil(SEEN_TTL / 7);
const MARKER_TTL_S = 86_400;
const SETTLED_TTL_S = 900;
const PN = '106540352242922';

/** Sessions whose keys land in the sampled slots (any session of a slot shares its bucket). */
function sessionsInSlots(slots: Set<number>, perSlot: number): Map<number, string[]> {
  const bySlot = new Map<number, string[]>([...slots].map((s) => [s, []]));
  let left = slots.size * perSlot;
  for (let n = 59170000000; left > 0; n++) {
    const session = `${PN}:${n}`;
    const list = bySlot.get(keySlot(`mc:{${session}}`));
    if (list && list.length < perSlot) {
      list.push(session);
      left -= 1;
    }
  }
  return bySlot;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function main(): Promise<void> {
  const server = await startRedisServer(['--maxmemory-policy', 'noeviction', '--set-max-intset-entries', '4096']);
  const redis = new Redis(server.url);
  try {
    const perSlotBucket = Math.max(1, Math.round((RATE * PERIOD) / 16_384));
    const slots = new Set(Array.from({ length: SAMPLE_SLOTS }, (_, i) => Math.floor((i * 16_384) / SAMPLE_SLOTS)));
    const sessions = sessionsInSlots(slots, 4);
    const messages = SAMPLE_SLOTS * 8 * perSlotBucket;
    const inbox = new SessionInbox(redis, { keyPrefix: 'mc', seenTtlSeconds: SEEN_TTL });
    const turns = new SessionTurns(redis, { keyPrefix: 'mc', lockTtlMs: 30_000, maxBatch: 1000, stateTtlSeconds: 1_800, historyCap: 20 });
    const ledger = new SendLedger(redis, 'mc', MARKER_TTL_S * 1000);
    const pacing = new SendLimiter({ redis, keyPrefix: 'mc', perSecond: 1_000_000 }).pacing(PN, '59170000001');
    const start = Date.now() + 60_000;
    process.stdout.write(`rate ${RATE}/s → ${perSlotBucket} messages per slot and bucket; ${messages} messages in ${SAMPLE_SLOTS} slots\n`);

    // Dedupe: eight periods of traffic, as the full seen TTL holds it.
    const m0 = await usedMemory(redis);
    const wamids: string[] = [];
    let i = 0;
    for (const [, list] of sessions) {
      for (let b = 0; b < 8; b++) {
        const now = start + b * PERIOD * 1000;
        const batch: Promise<boolean>[] = [];
        for (let k = 0; k < perSlotBucket; k++) {
          const wamid = `wamid.HBgLNTkxNzAwMDAwMDEVAgASGBQz${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}${i++}`;
          wamids.push(wamid);
          const session = list[k % list.length]!;
          batch.push(
            inbox.accept(
              session,
              {
                address: { phoneNumberId: PN, waId: session.split(':')[1]! },
                message: { wamid, kind: 'text', rawType: 'text', timestamp: 0, text: 'hola, quiero una cita' } as never,
                acceptedAt: now,
              },
              now,
            ),
          );
        }
        await Promise.all(batch);
      }
    }
    const m1 = await usedMemory(redis);
    // Turns drain the inboxes (commit drops the batch): what stays is the dedupe.
    for (const list of sessions.values()) {
      for (const session of list) {
        const opts = { now: Date.now(), maxAttempts: Number.MAX_SAFE_INTEGER };
        // `next` releases the lock once the inbox is empty.
        for (let opened = await turns.open(session, 't', opts); opened.kind === 'batch'; opened = await turns.next(session, 't', opts)) {
          await turns.commit(session, 't', {}, []);
        }
      }
    }
    await redis.call('DEL', ...[...sessions.values()].flat().flatMap((s) => [`mc:{${s}}:state`, `mc:{${s}}:history`]));
    const m2 = await usedMemory(redis);

    // Replies: one marker each, through the ledger's scripts, then settled after the commit.
    const sample = wamids.slice(0, Math.min(wamids.length, 50_000));
    for (let k = 0; k < sample.length; k += 500) {
      await Promise.all(
        sample.slice(k, k + 500).map(async (w) => {
          await ledger.start(PN, `${w}:0`, 'owner', pacing, { unknownGraceMs: 20_000, takeoverMs: 10_000, beginWithinMs: 60_000 }, true);
          await ledger.complete(PN, `${w}:0`, `wamid.HBgLNTkxNzAwMDAwMDEVAgARGBI${w.slice(-24)}`);
        }),
      );
    }
    const m3 = await usedMemory(redis);
    for (let k = 0; k < sample.length; k += 500)
      await ledger.shortenTtl(
        PN,
        sample.slice(k, k + 500).map((w) => `${w}:0`),
        SETTLED_TTL_S * 1000,
      );
    const m4 = await usedMemory(redis);

    // A conversation's own keys (state hash, capped history), kept for the session TTL + 1 day.
    const s0 = await usedMemory(redis);
    const convs = 2_000;
    const stateFields = {
      step: 'confirm_slot',
      intent: 'book',
      specialty: 'cardiologia',
      slotId: 'slot-2026-12-01T10:00',
      patientRef: 'p-1234',
      verified: '1',
      lang: 'es',
      updatedAt: String(Date.now()),
    };
    const historyLine = (n: number) =>
      JSON.stringify({ dir: n % 2 ? 'out' : 'in', kind: 'text', wamid: `wamid.HBgLNTkxNzAwMDAwMDEVAgASGBQz${n}`, at: Date.now() });
    for (let c = 0; c < convs; c++) {
      const session = `${PN}:6${c}`;
      // The run's lock, as openTurn would leave it; the commit releases it.
      await redis.set(sessionKeys('mc', session).lock, 't', 'PX', 30_000);
      await turns.commit(
        session,
        't',
        stateFields,
        Array.from({ length: 20 }, (_, n) => historyLine(n)),
        '',
        undefined,
        'always',
      );
    }
    const perSession = ((await usedMemory(redis)) - s0) / convs;

    // Before: the previous design's writes for the same traffic sample.
    const before = sample.slice(0, 20_000);
    const b0 = await usedMemory(redis);
    const tx = redis.pipeline();
    for (const w of before) tx.set(`mc:{${PN}:59170000001}:seen:${w}`, '1', 'EX', SEEN_TTL, 'NX');
    await tx.exec();
    const b1 = await usedMemory(redis);
    const tx2 = redis.pipeline();
    for (const w of before) {
      const key = `mc:wa:{${PN}}:sent:${w}:0`;
      tx2.hset(
        key,
        'state',
        'done',
        'owner',
        randomUUID(),
        'claimedAt',
        Date.now(),
        'sendingAt',
        Date.now(),
        'messageId',
        `wamid.HBgLNTkxNzAwMDAwMDEVAgARGBI${w.slice(-24)}`,
      );
      tx2.pexpire(key, 3 * 86_400_000);
    }
    await tx2.exec();
    const b2 = await usedMemory(redis);

    const seen = (m2 - m0) / messages;
    const inboxLeft = (m1 - m0) / messages - seen;
    // Until its turn commits (seconds) a marker holds the message id; after the commit (15 minutes) only its key.
    const marker = (m3 - m2) / sample.length;
    const settled = (m4 - m2) / sample.length;
    const beforeSeen = (b1 - b0) / before.length;
    const beforeMarker = (b2 - b1) / before.length;
    // Steady state at `rate`: each family holds rate × its lifetime; per message of the seen window.
    const markerSteady = settled * (SETTLED_TTL_S / SEEN_TTL);
    const result = {
      rate: RATE,
      messages,
      perSlotBucket,
      sessionBytes: Math.round(perSession),
      redis: (await redis.info('server')).match(/redis_version:(\S+)/)?.[1],
      after: {
        seenBytesPerMessage: round(seen),
        inboxBytesPerMessageWhileQueued: round(inboxLeft),
        markerBytesWhileAlive: round(marker),
        markerBytesAfterCommit: round(settled),
        markerBytesPerMessageSteadyState: round(markerSteady),
        totalLiveBytesPerMessageAndReply: round(seen + marker),
        totalLiveBytesPerMessageAndReplyAfterCommit: round(seen + settled),
        totalSteadyStateBytesPerMessage: round(seen + markerSteady),
      },
      before: {
        seenBytesPerMessage: round(beforeSeen),
        markerBytesWhileAlive: round(beforeMarker),
        totalLiveBytesPerMessageAndReply: round(beforeSeen + beforeMarker),
        totalSteadyStateBytesPerMessage: round(beforeSeen + (beforeMarker * (3 * 86_400)) / SEEN_TTL),
      },
      steadyStateGiB: {
        after: round(((seen + markerSteady) * RATE * SEEN_TTL) / 2 ** 30),
        before: round(((beforeSeen * SEEN_TTL + beforeMarker * 3 * 86_400) * RATE) / 2 ** 30),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    mkdirSync(path.dirname(f.out), { recursive: true });
    writeFileSync(f.out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

await main();
