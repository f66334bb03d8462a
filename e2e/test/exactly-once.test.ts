/**
 * Invariants 1–3 of docs/product.md: 2,000 messages from 200 sessions, ~10% redelivered,
 * shuffled across sessions, 3 worker processes. Every message handled once,
 * replies per session in order, turns of a session never overlap, no
 * duplicate reply at the Graph API.
 */
import { LogEvent } from '@medcita/shared';
import { content, inbound, planDeliveries, simUser, type InboundItem } from '@medcita/testkit/simulator';
import { readAudit, overlappingTurns } from '../support/audit.js';
import { echoedTexts } from '../support/echo-replies.js';
import { postAll } from '../support/post-all.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const SESSIONS = 200;
const PER_SESSION = 10;

describe('message pipeline under concurrency', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ workers: 3, workerEnv: { TURN_HANDLER: 'echo' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('handles every message exactly once, in order per session, with no overlapping turns', async () => {
    const users = Array.from({ length: SESSIONS }, (_, i) => simUser(i + 1));
    const sessions: InboundItem[][] = users.map((u, s) =>
      Array.from({ length: PER_SESSION }, (_, m) => inbound(u, content.text(`m-${s}-${m}`))),
    );
    const deliveries = planDeliveries(sessions, { seed: 42, duplicateRate: 0.1, batchSize: { min: 1, max: 4 } });
    const total = deliveries.reduce((n, b) => n + b.length, 0);
    expect(total).toBeGreaterThan(SESSIONS * PER_SESSION * 1.05);

    // 16 deliveries in flight, like Meta's parallel connections; a delivery
    // waits for earlier ones of the same sessions, so arrival order at the
    // ingress is the order each user wrote in.
    const statuses = await postAll(stack, deliveries, 16);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const allEchoed = () => stack.graph.sent.flatMap(echoedTexts).length;
    await waitUntil(() => allEchoed() >= SESSIONS * PER_SESSION, 90_000, 'all messages answered');
    await new Promise((r) => setTimeout(r, 500)); // anything extra (a duplicate) would arrive now

    for (const [s, user] of users.entries()) {
      const echoed = stack.repliesTo(user.waId!).flatMap(echoedTexts);
      expect(echoed).toEqual(Array.from({ length: PER_SESSION }, (_, m) => `m-${s}-${m}`));
    }
    expect(allEchoed()).toBe(SESSIONS * PER_SESSION);

    expect(overlappingTurns(await readAudit(stack.redis))).toEqual({ sessions: SESSIONS, overlapping: [] });
    // Turns spread over all three processes.
    const busy = stack.workers.filter((w) => w.logs.some((l) => l.msg === LogEvent.TurnDone));
    expect(busy).toHaveLength(3);
  }, 150_000); // above the waits inside, so a slow machine fails with their message, not a bare jest timeout
});
