/**
 * How the ingress's Redis connection writes (#14): a delivery's inbox push
 * and job add leave in one socket write, and a write never waits for the
 * replies to earlier ones. ioredis auto-pipelining, used before, held each
 * batch until the previous batch was answered and built a Pipeline per batch;
 * a per-tick flush would send the add (issued a few promise hops after the
 * push) in a second write.
 */
import { QueueName } from '@medcita/shared';
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { startRedisServer, type RedisServerHandle } from '@medcita/testkit';
import { Redis } from 'ioredis';
import type { Socket } from 'node:net';
import type { RunningIngress } from '../src/ingress.js';
import { startQuietIngress, testIngressConfig } from './test-ingress.js';

const SECRET = 'writes-test-secret';
const QUEUE_PREFIX = '{writes-test}';
const nextLoopTurn = () => new Promise((r) => setImmediate(r));

/** What the socket hands to the OS, one string per `_write` / `_writev`. */
function recordWrites(stream: Socket): string[] {
  const writes: string[] = [];
  const s = stream as Socket & {
    _write: (chunk: Buffer | string, ...rest: unknown[]) => void;
    _writev: (chunks: { chunk: Buffer | string }[], ...rest: unknown[]) => void;
  };
  const write = s._write.bind(s);
  const writev = s._writev.bind(s);
  s._write = (chunk, ...rest) => {
    writes.push(String(chunk));
    write(chunk, ...rest);
  };
  s._writev = (chunks, ...rest) => {
    writes.push(chunks.map((c) => String(c.chunk)).join(''));
    writev(chunks, ...rest);
  };
  return writes;
}

describe('the ingress Redis connection', () => {
  let server: RedisServerHandle;
  let ingress: RunningIngress;
  let admin: Redis;
  let sender: WebhookSender;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
    ingress = await startQuietIngress(testIngressConfig(server.url, SECRET, { QUEUE_PREFIX }));
    sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
    // Scripts loaded, so the deliveries below run EVALSHA only.
    expect((await sender.post(webhookBody([inbound(simUser(1), content.text('hola'))]))).status).toBe(200);
  });
  afterAll(async () => {
    await ingress?.close();
    admin?.disconnect();
    await server?.stop();
  });

  it("sends a delivery's push and add in one write", async () => {
    const writes = recordWrites((ingress.redis as Redis).stream);
    expect((await sender.post(webhookBody([inbound(simUser(2), content.text('hola'))]))).status).toBe(200);
    const idKey = `${QUEUE_PREFIX}:${QueueName.Turns}:id`;
    const push = writes.filter((w) => w.includes(':inbox'));
    expect(push).toHaveLength(1);
    expect(push[0]).toContain(idKey);
  });

  it('writes while earlier commands are still unanswered', async () => {
    const writes = recordWrites((ingress.redis as Redis).stream);
    // Redis holds write commands until unpaused: no reply to them can arrive meanwhile.
    await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE');
    try {
      const first = ingress.redis.incr('writes-test:a');
      await nextLoopTurn();
      await nextLoopTurn();
      expect(writes).toHaveLength(1);
      const second = ingress.redis.incr('writes-test:b');
      await nextLoopTurn();
      await nextLoopTurn();
      expect(writes).toHaveLength(2);
      await admin.call('CLIENT', 'UNPAUSE');
      expect(await Promise.all([first, second])).toEqual([1, 1]);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
    }
  });
});
