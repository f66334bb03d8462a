/**
 * The pipeline on Redis Cluster (docs/deploy.md). A private 3-master
 * cluster on loopback, the ingress and 2 worker processes connected through
 * REDIS_CLUSTER_NODES; 50 sessions × 5 messages with ~10% redeliveries. Every
 * message handled exactly once, in order per session, no overlapping turns —
 * so every Lua script and BullMQ command kept its keys in one slot (a CROSSSLOT
 * error would fail a turn or a webhook).
 */
import { LogEvent } from '@medcita/shared';
import { content, inbound, planDeliveries, simUser, type InboundItem } from '@medcita/testkit/simulator';
import { Redis, type Cluster } from 'ioredis';
import { turnsPerWamid, type AuditRecord, overlappingTurns } from '../support/audit.js';
import { echoedTexts } from '../support/echo-replies.js';
import { postAll } from '../support/post-all.js';
import { redisClusterUnavailable } from '@medcita/testkit';
import { TestStack, waitUntil } from '../support/test-stack.js';

const SESSIONS = 50;
// Under the default per-session rate limit (10/min), which stays on so its script runs on the cluster too.
const PER_SESSION = 5;

const unavailable = redisClusterUnavailable();
if (unavailable) {
  process.stderr.write(`cluster-pipeline.test: SKIPPED, cannot start a Redis Cluster: ${unavailable}\n`);
}
const describeIfCluster = unavailable ? describe.skip : describe;

/** The audit stream through the cluster client (one key, so one node answers). */
async function readAuditOnCluster(redis: Cluster, key = 'mc:audit'): Promise<AuditRecord[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([, fields]) => {
    const rec: AuditRecord = {};
    for (let i = 0; i < fields.length; i += 2) rec[fields[i]!] = fields[i + 1]!;
    return rec;
  });
}

describeIfCluster(`message pipeline on a 3-master Redis Cluster${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let stack: TestStack<Cluster>;

  beforeAll(async () => {
    stack = await TestStack.startOnCluster({ masters: 3, workers: 2, workerEnv: { TURN_HANDLER: 'echo' } });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('handles every message exactly once, in order per session, with no overlapping turns', async () => {
    const users = Array.from({ length: SESSIONS }, (_, i) => simUser(i + 1));
    const sessions: InboundItem[][] = users.map((u, s) =>
      Array.from({ length: PER_SESSION }, (_, m) => inbound(u, content.text(`c-${s}-${m}`))),
    );
    const deliveries = planDeliveries(sessions, { seed: 7, duplicateRate: 0.1, batchSize: { min: 1, max: 4 } });
    const total = deliveries.reduce((n, b) => n + b.length, 0);
    expect(total).toBeGreaterThan(SESSIONS * PER_SESSION);

    // postAll only uses the stack's webhook sender, which does not depend on the Redis flavour.
    const statuses = await postAll(stack as unknown as TestStack, deliveries, 16);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const allEchoed = () => stack.graph.sent.flatMap(echoedTexts).length;
    await waitUntil(() => allEchoed() >= SESSIONS * PER_SESSION, 60_000, 'all messages answered');
    // A turn's audit record is published after its reply, so wait for those too.
    await waitUntil(
      async () => turnsPerWamid(await readAuditOnCluster(stack.redis)).size >= SESSIONS * PER_SESSION,
      20_000,
      'every audit record',
    );
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive now

    for (const [s, user] of users.entries()) {
      const echoed = stack.repliesTo(user.waId!).flatMap(echoedTexts);
      expect(echoed).toEqual(Array.from({ length: PER_SESSION }, (_, m) => `c-${s}-${m}`));
    }
    expect(allEchoed()).toBe(SESSIONS * PER_SESSION);

    const audit = await readAuditOnCluster(stack.redis);
    const perWamid = turnsPerWamid(audit);
    expect(perWamid.size).toBe(SESSIONS * PER_SESSION);
    expect([...perWamid.values()].every((n) => n === 1)).toBe(true);

    expect(overlappingTurns(audit)).toEqual({ sessions: SESSIONS, overlapping: [] });

    // Both workers took turns, and none logged a cross-slot error.
    const busy = stack.workers.filter((w) => w.logs.some((l) => l.msg === LogEvent.TurnDone));
    expect(busy).toHaveLength(2);
    const crossSlot = stack.workers.flatMap((w) => w.logs).filter((l) => JSON.stringify(l).includes('CROSSSLOT'));
    expect(crossSlot).toEqual([]);

    // The data really is spread: session keys live on every master, not all in one slot.
    const keysPerNode = await Promise.all(
      stack.cluster!.nodes.map(async ({ host, port }) => {
        const node = new Redis({ host, port, maxRetriesPerRequest: 1 });
        try {
          return (await node.keys('mc:{*')).length;
        } finally {
          node.disconnect();
        }
      }),
    );
    expect(keysPerNode.every((n) => n > 0)).toBe(true);
  }, 150_000); // above the waits inside, so a slow machine fails with their message, not a bare jest timeout
});
