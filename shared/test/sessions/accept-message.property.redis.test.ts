/**
 * Property-based checks of the ingress's acceptMessage script on real Redis:
 * whatever order and duplication Meta delivers in, on one connection or
 * several racing ones, one message a call or a whole delivery's, each wamid
 * enters its session inbox once, and a session's inbox keeps the order its
 * messages first arrived in.
 */
import fc from 'fast-check';
import { SessionInbox, sessionKeys, type InboxEntry } from '@medcita/shared';
import { planDeliveries } from '@medcita/testkit/simulator';
import { testRedis } from '@medcita/testkit';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

interface Msg {
  session: string;
  wamid: string;
}

const entry = (m: Msg): InboxEntry => ({
  address: { phoneNumberId: '1', waId: m.session },
  message: { kind: 'text', wamid: m.wamid, timestamp: 0, text: m.wamid } as InboxEntry['message'],
  acceptedAt: 0,
});

/** 1–5 sessions of 1–6 messages each. */
const sizesArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 });

/** Fresh ids on every call, so a run (or a shrink replaying it) never meets the keys of another. */
function conversation(sizes: number[]): Msg[][] {
  const run = randomUUID();
  return sizes.map((n, s) => Array.from({ length: n }, (_, m): Msg => ({ session: `1:${run}-${s}`, wamid: `wamid.${run}.${s}.${m}` })));
}
const planArb = fc.record({ seed: fc.integer(), duplicateRate: fc.double({ min: 0, max: 0.9, noNaN: true }), reorder: fc.boolean() });

describe('acceptMessage under any delivery order and duplication', () => {
  const prefix = `test-${randomUUID()}`;
  const clients: Redis[] = [];
  let inboxes: SessionInbox[];

  beforeAll(() => {
    for (let i = 0; i < 3; i++) clients.push(testRedis());
    inboxes = clients.map((c) => new SessionInbox(c, { keyPrefix: prefix, seenTtlSeconds: 3_600 }));
  });
  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await clients[0]!.del(...keys.slice(i, i + 500));
    await Promise.all(clients.map((c) => c.quit()));
  });

  const inboxOf = async (session: string) =>
    (await clients[0]!.lrange(sessionKeys(prefix, session).inbox, 0, -1)).map((raw) => (JSON.parse(raw) as InboxEntry).message.wamid);

  it('one connection: accepts exactly the first delivery of each wamid, and the inbox keeps first-arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(sizesArb, planArb, async (sizes, plan) => {
        const sessions = conversation(sizes);
        const stream = planDeliveries(sessions, {
          seed: plan.seed,
          duplicateRate: plan.duplicateRate,
          reorderWithinSession: plan.reorder,
        }).flat();
        const seen = new Set<string>();
        for (const m of stream) {
          const accepted = await inboxes[0]!.accept(m.session, entry(m));
          expect(accepted).toBe(!seen.has(m.wamid));
          seen.add(m.wamid);
        }
        for (const session of sessions) {
          const firstArrivals = [...new Set(stream.filter((m) => m.session === session[0]!.session).map((m) => m.wamid))];
          expect(await inboxOf(session[0]!.session)).toEqual(firstArrivals);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('whole deliveries, one call for the messages of a session in a POST (duplicates inside it too): the same guarantees', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizesArb,
        planArb,
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 40 }),
        async (sizes, plan, cuts) => {
          const sessions = conversation(sizes);
          const stream = planDeliveries(sessions, {
            seed: plan.seed,
            duplicateRate: plan.duplicateRate,
            reorderWithinSession: plan.reorder,
          }).flat();
          // Cut the stream into POSTs of 1–5 messages; a POST's messages of one session go in one call, in body order.
          const seen = new Set<string>();
          for (let from = 0, c = 0; from < stream.length; c++) {
            const post = stream.slice(from, from + cuts[c % cuts.length]!);
            from += post.length;
            for (const session of new Set(post.map((m) => m.session))) {
              const mine = post.filter((m) => m.session === session);
              const added = await inboxes[0]!.acceptAll(session, mine.map(entry));
              expect(added).toEqual(
                mine.map((m) => {
                  const fresh = !seen.has(m.wamid);
                  seen.add(m.wamid);
                  return fresh;
                }),
              );
            }
          }
          for (const session of sessions) {
            const firstArrivals = [...new Set(stream.filter((m) => m.session === session[0]!.session).map((m) => m.wamid))];
            expect(await inboxOf(session[0]!.session)).toEqual(firstArrivals);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('three racing connections redelivering the same stream: each wamid once, in the order its user wrote', async () => {
    await fc.assert(
      fc.asyncProperty(sizesArb, fc.array(planArb, { minLength: 3, maxLength: 3 }), async (sizes, plans) => {
        const sessions = conversation(sizes);
        // Every connection carries the whole conversation (Meta retrying on parallel connections), each
        // with its own interleaving and duplicates, a user's messages in the order written.
        const streams = plans.map((p) => planDeliveries(sessions, { seed: p.seed, duplicateRate: p.duplicateRate }).flat());
        const acceptedPerWamid = new Map<string, number>();
        await Promise.all(
          streams.map(async (stream, c) => {
            for (const m of stream) {
              if (await inboxes[c]!.accept(m.session, entry(m))) acceptedPerWamid.set(m.wamid, (acceptedPerWamid.get(m.wamid) ?? 0) + 1);
            }
          }),
        );
        const all = sessions.flat();
        expect(all.map((m) => acceptedPerWamid.get(m.wamid))).toEqual(all.map(() => 1));
        for (const session of sessions) expect(await inboxOf(session[0]!.session)).toEqual(session.map((m) => m.wamid));
      }),
      { numRuns: 150 },
    );
  });
});
