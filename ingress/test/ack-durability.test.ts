/**
 * REDIS_ACK_DURABILITY (docs/operations.md, "Durable acknowledgements"):
 * with `replica`, Meta gets 200 only once a replica has the delivery's
 * writes (concurrent deliveries sharing one WAIT), and 503 when no replica
 * acknowledges in time; `aof` on a Redis without WAITAOF refuses to start,
 * naming the variable.
 */
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { startRedisServer, type RedisServerHandle } from '@medcita/testkit';
import { Redis } from 'ioredis';
import type { RunningIngress } from '../src/ingress.js';
import { AckGate } from '../src/services/ack-durability.js';
import { startQuietIngress, testIngressConfig } from './test-ingress.js';

const SECRET = 'ack-test-secret';

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}

describe('durable acknowledgements', () => {
  let primary: RedisServerHandle;
  let replica: RedisServerHandle;
  let ingress: RunningIngress | undefined;
  let primaryClient: Redis;
  let replicaClient: Redis;
  const outcomes: string[] = [];

  beforeAll(async () => {
    primary = await startRedisServer();
    replica = await startRedisServer(['--replicaof', '127.0.0.1', String(primary.port)]);
    primaryClient = new Redis(primary.url);
    replicaClient = new Redis(replica.url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    await replicaClient.connect();
    await until(async () => /master_link_status:up/.test(await replicaClient.info('replication')), 'replica in sync');
  });
  afterAll(async () => {
    await ingress?.close();
    primaryClient.disconnect();
    replicaClient.disconnect();
    await replica.stop();
    await primary.stop();
  });

  const config = (env: Record<string, string>) => testIngressConfig(primary.url, SECRET, env);

  it('answers 200 only with the writes on the replica, and 503 when no replica acknowledges', async () => {
    ingress = await startQuietIngress(config({ REDIS_ACK_DURABILITY: 'replica', REDIS_ACK_TIMEOUT_MS: '300' }), (o) => outcomes.push(o));
    const sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
    const user = simUser(21);
    expect((await sender.post(webhookBody([inbound(user, content.text('hola'))]))).status).toBe(200);
    // Read from the replica right after the 200: WAIT made sure it is there.
    expect(await replicaClient.llen(`mc:{106540352242922:${user.waId}}:inbox`)).toBe(1);

    // Concurrent deliveries share their WAIT: one sent after all their writes covers them all.
    const waitCalls = async () => Number(/cmdstat_wait:calls=(\d+)/.exec(await primaryClient.info('commandstats'))?.[1] ?? 0);
    const waitsBefore = await waitCalls();
    const burst = Array.from({ length: 20 }, (_, i) => simUser(100 + i));
    const answers = await Promise.all(burst.map((u) => sender.post(webhookBody([inbound(u, content.text('hola'))]))));
    expect(answers.map((a) => a.status)).toEqual(burst.map(() => 200));
    for (const u of burst) expect(await replicaClient.llen(`mc:{106540352242922:${u.waId}}:inbox`)).toBe(1);
    expect((await waitCalls()) - waitsBefore).toBeLessThanOrEqual(burst.length);
    // Deliveries that ask in the same turn of the event loop share one WAIT. Over HTTP, which
    // deliveries finish in one turn is up to the OS (20 concurrent POSTs once made 20 WAITs on
    // a quiet machine), so the gate is asked directly: 20 asks in one turn, then one more later.
    const gate = new AckGate(primaryClient, 'replica', 1, 1_000);
    const gateBefore = await waitCalls();
    await Promise.all(Array.from({ length: 20 }, () => gate.confirm()));
    expect((await waitCalls()) - gateBefore).toBe(1);
    await gate.confirm();
    expect((await waitCalls()) - gateBefore).toBe(2);

    replicaClient.disconnect();
    await replica.kill();
    await until(async () => /connected_slaves:0/.test(await primaryClient.info('replication')), 'primary sees the replica gone');
    outcomes.length = 0;
    expect((await sender.post(webhookBody([inbound(user, content.text('¿sigues ahí?'))]))).status).toBe(503);
    expect(outcomes).toEqual(['unavailable']);
  });

  it('refuses to start with aof on a Redis without WAITAOF, naming the variable', async () => {
    const [major, minor] = (/redis_version:(\d+)\.(\d+)/.exec(await primaryClient.info('server')) ?? []).slice(1).map(Number);
    if (major! > 7 || (major === 7 && minor! >= 2)) return; // this Redis has WAITAOF: nothing to refuse
    await expect(startQuietIngress(config({ REDIS_ACK_DURABILITY: 'aof', REDIS_ACK_REPLICAS: '0' }))).rejects.toThrow(
      /REDIS_ACK_DURABILITY=aof needs WAITAOF/,
    );
  });

  it('refuses replica mode without a replica to wait for', () => {
    expect(() => config({ REDIS_ACK_DURABILITY: 'replica', REDIS_ACK_REPLICAS: '0' })).toThrow(/REDIS_ACK_REPLICAS/);
  });
});
