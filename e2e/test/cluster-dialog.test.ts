/**
 * The appointment dialog on Redis Cluster (docs/deploy.md). One patient goes through
 * the paths that run the workers' other Lua scripts — identity failure count,
 * slot hold and booking, cancellation, handoff flag and operator release —
 * with the ingress and a worker on a private 3-master cluster. A script whose
 * keys spanned two slots would fail its turn with CROSSSLOT.
 */
import { HandoffStore } from '@medcita/shared';
import { simUser } from '@medcita/testkit/simulator';
import type { Cluster } from 'ioredis';
import { Conversation, lastButtons, lastList, seedWithPatients, textOf } from '../support/conversation.js';
import { redisClusterUnavailable } from '@medcita/testkit';
import { TestStack } from '../support/test-stack.js';

const unavailable = redisClusterUnavailable();
if (unavailable) {
  process.stderr.write(`cluster-dialog.test: SKIPPED, cannot start a Redis Cluster: ${unavailable}\n`);
}
const describeIfCluster = unavailable ? describe.skip : describe;

const user = simUser(4600);
const seed = seedWithPatients([user.waId!]);

describeIfCluster(`appointment dialog on a 3-master Redis Cluster${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let stack: TestStack<Cluster>;

  beforeAll(async () => {
    stack = await TestStack.startOnCluster({
      masters: 3,
      workers: 1,
      workerEnv: { TURN_HANDLER: 'dialog', CLINIC_SEED_FILE: seed.file, SESSION_RATE_LIMIT_PER_MINUTE: '0' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('identifies, books, cancels and hands off with every script on the cluster', async () => {
    // Conversation only uses the webhook sender, the fake Graph API and XRANGE of the audit stream.
    const chat = new Conversation(stack as unknown as TestStack, user);
    const patient = seed.patients[0]!;

    // A failed identification (identity failure counter script).
    expect(textOf(await chat.say('5550001'))).toMatch(/fecha de nacimiento/);
    expect(textOf(await chat.say('01/01/1990'))).toMatch(/No pude verificar/);
    expect(textOf(await chat.say(patient.documentNumber))).toContain(`Gracias, ${patient.firstName}`);

    // Hold and book a slot (clinic store scripts under the {clinic} tag).
    const slots = lastList(await chat.say('cardiología'));
    const row = slots.rows[0]!;
    const confirm = lastButtons(await chat.tap(row, 'list'));
    expect(textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó agendada/);
    expect(await stack.redis.hlen('medcita:{clinic}:booked')).toBeGreaterThan(0);

    // Cancel it (the only appointment, so the bot asks straight away).
    const sure = lastButtons(await chat.tap({ id: 'cancel_appointment', title: 'Cancelar cita' }));
    expect(sure.body).toMatch(/Cardiología/);
    expect(textOf(await chat.tap(sure.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó cancelada/);

    // Handoff (flag script), silence, operator release (release script) through the cluster client.
    expect(textOf(await chat.tap({ id: 'human_handoff', title: 'Hablar con persona' }))).toMatch(/Te comunico con una persona/);
    expect(await chat.say('¿hola?')).toEqual([]);
    const store = new HandoffStore(stack.redis, { keyPrefix: 'mc', timeoutSeconds: 3600 });
    expect(await store.isFlagged(chat.sessionKey)).toBe(true);
    await store.release(chat.sessionKey);
    expect(textOf(await chat.say('hola'))).toMatch(/Hola de nuevo/);

    const logs = stack.workers.flatMap((w) => w.logs);
    expect(logs.filter((l) => JSON.stringify(l).includes('CROSSSLOT'))).toEqual([]);
    expect(logs.filter((l) => l.level === 50 || l.level === 60)).toEqual([]);
  });
});
