/**
 * docs/dialog.md, "Identity": a document tried from another number tells the
 * registered phone, through the whole pipeline (simulator → ingress → worker
 * processes → fake Graph API), once per document per period.
 */
import { QueueName } from '@medcita/shared';
import { simUser } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import { Conversation, dialogWorkerEnv, seedWithPatients, textOf } from '../support/conversation.js';
import { metricValue } from '../support/prom.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const owner = simUser(4600);
const seed = seedWithPatients([owner.waId!]);
const patient = seed.patients[0]!;

describe('owner alert', () => {
  let stack: TestStack;
  let queue: Queue;
  beforeAll(async () => {
    stack = await TestStack.start({ workers: 2, workerEnv: dialogWorkerEnv(seed.file) });
    queue = new Queue(QueueName.IdentityAlerts, { connection: stack.redis, prefix: '{medcita}' });
  });
  afterAll(async () => {
    await queue?.close();
    await stack?.stop();
  });

  const templatesToOwner = () => stack.graph.sent.filter((s) => s.to === owner.waId && s.type === 'template');
  // A turn adds its alert job before it commits: once the queue is idle after a turn, no alert of that turn is still coming.
  const alertsSettled = () =>
    waitUntil(
      async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((n) => n === 0),
      20_000,
      'identity-alerts queue idle',
    );
  const counted = async (outcome: string) =>
    (await Promise.all(stack.workers.map((w) => w.metrics()))).reduce(
      (n, text) => n + metricValue(text, `medcita_identity_owner_alerts_total{outcome="${outcome}"}`),
      0,
    );

  it('another number tries the document: the registered phone gets one template, saying nothing of the number or the document', async () => {
    const stranger = new Conversation(stack, simUser(4601));
    expect(textOf(await stranger.say(patient.documentNumber))).toMatch(/fecha de nacimiento/);
    await waitUntil(async () => templatesToOwner().length >= 1, 20_000, 'the owner alert');
    await alertsSettled();
    const [alert] = templatesToOwner();
    expect(alert!.payload.template).toEqual({ name: 'aviso_intento_documento', language: { code: 'es' } });
    const wire = JSON.stringify(alert!.payload);
    expect(wire).not.toContain(stranger.user.waId!);
    expect(wire).not.toContain(patient.documentNumber);
    // The stranger is not told anything was sent.
    expect(stranger.all().every((r) => r.kind !== 'other')).toBe(true);
    expect(templatesToOwner()).toHaveLength(1);
  });

  it('more numbers within the period: no further alert', async () => {
    for (const n of [4602, 4603, 4604]) {
      expect(textOf(await new Conversation(stack, simUser(n)).say(patient.documentNumber))).toMatch(/fecha de nacimiento/);
    }
    await alertsSettled();
    expect(templatesToOwner()).toHaveLength(1);
    expect(await counted('sent')).toBe(1);
    expect(await counted('suppressed')).toBe(3);
  });

  it('the registered phone itself gives the document: identified, nobody alerted', async () => {
    const own = new Conversation(stack, owner);
    expect(textOf(await own.say(patient.documentNumber))).toContain(`Gracias, ${patient.firstName}`);
    await alertsSettled();
    expect(templatesToOwner()).toHaveLength(1);
    expect(await counted('suppressed')).toBe(3);
  });
});
