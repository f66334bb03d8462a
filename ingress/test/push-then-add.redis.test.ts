/**
 * On a single Redis the ingress sends a session's job add right behind its
 * inbox push, in the same round trip, instead of waiting for the push's
 * reply. It stays safe only if Redis still runs the add after the push (a
 * job run before the push would find the inbox empty and leave the message
 * without a job); these tests watch Redis's own order with MONITOR, also
 * after the script cache was flushed (the push then runs as a late EVAL).
 */
import { ParsedWebhook, QueueName, SessionInbox, type InboxPush, type TurnScheduler } from '@medcita/shared';
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { startRedisServer, type RedisServerHandle } from '@medcita/testkit';
import { Redis } from 'ioredis';
import type { RunningIngress } from '../src/ingress.js';
import { WebhookAcceptor } from '../src/services/webhook-acceptor.js';
import type { StatusRecorder } from '../src/services/status-recorder.js';
import { startQuietIngress, testIngressConfig } from './test-ingress.js';

const SECRET = 'order-test-secret';
const QUEUE_PREFIX = '{order-test}';

describe('job add behind the inbox push', () => {
  let server: RedisServerHandle;
  let ingress: RunningIngress;
  let client: Redis;
  let monitor: Redis;
  let sender: WebhookSender;
  /** What Redis ran, in its order: 'push' (acceptMessage) or 'add' (BullMQ's job add), with the command name. */
  const ran: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url);
    monitor = await new Redis(server.url).monitor();
    const idKey = `${QUEUE_PREFIX}:${QueueName.Turns}:id`;
    monitor.on('monitor', (_time: string, args: string[]) => {
      const name = String(args[0]).toLowerCase();
      if (name !== 'evalsha' && name !== 'eval') return;
      if (args.some((a) => a.endsWith(':inbox'))) ran.push(`push ${name}`);
      else if (args.includes(idKey)) ran.push(`add ${name}`);
    });
    ingress = await startQuietIngress(testIngressConfig(server.url, SECRET, { QUEUE_PREFIX }));
    sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
  });
  afterAll(async () => {
    await ingress?.close();
    monitor?.disconnect();
    client?.disconnect();
    await server?.stop();
  });

  const deliver = async (n: number) => {
    ran.length = 0;
    expect((await sender.post(webhookBody([inbound(simUser(n), content.text('hola'))]))).status).toBe(200);
    await client.ping(); // MONITOR lines reach the monitor before this reply reaches us
    await new Promise((r) => setTimeout(r, 50));
    return [...ran];
  };

  it('Redis runs the add after the push', async () => {
    await deliver(1); // both scripts cached
    const order = await deliver(2);
    expect(order.filter((c) => c.startsWith('push'))).toEqual(['push evalsha']);
    expect(order.at(-1)).toMatch(/^add /);
    expect(order.findIndex((c) => c.startsWith('add'))).toBeGreaterThan(order.indexOf('push evalsha'));
  });

  it('after the script cache is flushed, the push runs late (EVAL) and the job is added again after it', async () => {
    await client.script('FLUSH');
    const order = await deliver(3);
    const pushed = order.indexOf('push eval');
    expect(pushed).toBeGreaterThanOrEqual(0);
    expect(order.slice(pushed + 1).some((c) => c.startsWith('add'))).toBe(true);
  });
});

describe(WebhookAcceptor.name, () => {
  const parsed = {
    events: [
      {
        type: 'message',
        sessionKey: 's1',
        address: { phoneNumberId: '1', waId: '2' },
        message: { kind: 'text', wamid: 'wamid.1', timestamp: 0, text: 'hola' },
      },
    ],
  } as unknown as ParsedWebhook;

  function sut(oneConnection: boolean) {
    let release: (p: InboxPush) => void = () => undefined;
    const push = new Promise<InboxPush>((resolve) => (release = resolve));
    const inbox = { push: () => push, acceptAll: () => push.then((p) => p.added) } as unknown as SessionInbox;
    const scheduled: string[] = [];
    const scheduler = { schedule: async (s: string) => void scheduled.push(s) } as unknown as TurnScheduler;
    const statuses = { record: async () => undefined } as unknown as StatusRecorder;
    const acceptor = new WebhookAcceptor(inbox, scheduler, statuses, Date.now, oneConnection);
    return { acceptor, scheduled, release };
  }

  it('on one connection, sends the add without waiting for the push reply', async () => {
    const { acceptor, scheduled, release } = sut(true);
    const done = acceptor.accept(parsed, 'r1');
    await new Promise((r) => setImmediate(r));
    expect(scheduled).toEqual(['s1']);
    release({ added: [true], late: false });
    expect(await done).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(scheduled).toEqual(['s1']);
  });

  it('on a cluster (inbox and queue on different nodes), waits for the push before the add', async () => {
    const { acceptor, scheduled, release } = sut(false);
    const done = acceptor.accept(parsed, 'r1');
    await new Promise((r) => setImmediate(r));
    expect(scheduled).toEqual([]);
    release({ added: [false], late: false });
    expect(await done).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(scheduled).toEqual(['s1']);
  });
});
