/**
 * A patient who fires a dozen quick messages: the ones over the per-session
 * limit wait for the window and are then handled, in order, through the whole
 * pipeline (simulator → ingress → worker → fake Graph API). The notice says
 * they will be answered, and they are: nothing promised is left out.
 */
import { content, inbound, simUser, webhookBody } from '@medcita/testkit/simulator';
import { randomUUID } from 'node:crypto';
import { dialogWorkerEnv, seedWithPatients, seen, textOf } from '../support/conversation.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const user = simUser(4650);
const seed = seedWithPatients([user.waId!]);

describe('a burst over the rate limit', () => {
  let stack: TestStack;
  afterAll(async () => {
    await stack?.stop();
  });

  it('handles all 12 quick messages in order and keeps the promise of its notice', async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { ...dialogWorkerEnv(seed.file), SESSION_RATE_LIMIT_PER_MINUTE: '10' } });
    const p = seed.patients[0]!;
    const texts = [
      'hola',
      'buenas',
      'buen dia',
      'necesito una ficha',
      'holaaa',
      'holi',
      'buenas tardes',
      'quiero sacar turno',
      'disculpa',
      'hola hola',
      p.documentNumber,
      'cardiologia nomas',
    ];
    const wamids: string[] = [];
    for (const text of texts) {
      const msg = inbound(user, content.text(text), { id: `wamid.burst-${randomUUID()}` });
      wamids.push(msg.message.id);
      expect((await stack.webhook.post(webhookBody([msg]))).status).toBe(200);
    }
    const received = () => stack.repliesTo(user.waId!).map(seen);
    await waitUntil(() => textOf(received()).includes('los respondo en orden'), 20_000, 'the notice');

    // Every message ends up in a committed turn, in the order it was sent.
    const handledInOrder = async (): Promise<string[]> => {
      const audit = await stack.redis.xrange('mc:audit', '-', '+');
      return audit.flatMap(([, f]) => (f[f.indexOf('wamids') + 1] ?? '').split(',').filter(Boolean));
    };
    await waitUntil(async () => (await handledInOrder()).length >= wamids.length, 100_000, 'all 12 handled');
    expect(await handledInOrder()).toEqual(wamids);

    // What the deferred messages asked for was done: identified, then cardiology slots.
    const all = received();
    const notice = all.findIndex((r) => r.body.includes('los respondo en orden'));
    const after = all.slice(notice + 1);
    expect(textOf(after)).toContain(`Gracias, ${p.firstName}`);
    const list = after.find((r) => r.kind === 'list');
    expect(list?.body).toMatch(/Cardiología/);
    expect(textOf(all)).not.toMatch(/no los alcancé a leer/);
    expect(all.filter((r) => r.body.includes('los respondo en orden'))).toHaveLength(1);
  }, 150_000);
});
