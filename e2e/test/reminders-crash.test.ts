/**
 * docs/reminders.md, exactly once: a worker killed (SIGKILL) while a reminder is in
 * flight to the Graph API, which never got it. After recovery (another
 * worker retries the stalled job) every patient has exactly one reminder:
 * no status webhook settled the dead worker's send, so after the grace the
 * retry resends it once, and further ticks add nothing.
 */
import { JobName, QueueName } from '@medcita/shared';
import { DEFAULT_BUSINESS, simUser, type SentRecord } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import { seededClinic, seedWithPatients } from '../support/conversation.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const HOUR = 3_600_000;
const users = Array.from({ length: 4 }, (_, i) => simUser(7300 + i));
const seed = seedWithPatients(users.map((u) => u.waId!));
const isReminder = (s: SentRecord) => s.type === 'template' || JSON.stringify(s.payload).includes('reminder:confirm:');

describe('reminders when a worker dies mid-send', () => {
  let stack: TestStack;
  let ticks: Queue;

  beforeAll(async () => {
    stack = await TestStack.start({
      workers: 1,
      workerEnv: {
        TURN_HANDLER: 'echo',
        CLINIC_SEED_FILE: seed.file,
        REMINDERS_ENABLED: 'true',
        REMINDER_PHONE_NUMBER_ID: DEFAULT_BUSINESS.phoneNumberId,
        REMINDER_INTERVAL_SECONDS: String(3 * 86_400),
        GRAPH_TIMEOUT_MS: '4000',
        GRAPH_STATUS_WAIT_MS: '1000',
        SESSION_LOCK_TTL_MS: '2000',
        JOB_STALLED_INTERVAL_MS: '1000',
      },
    });
    ticks = new Queue(QueueName.Reminders, { connection: stack.redis, prefix: '{medcita}' });
    // BullMQ runs the schedule's first tick as the worker starts; let it pass before booking, so only forced ticks see the bookings.
    await waitUntil(async () => (await ticks.getCompletedCount()) >= 1, 15_000, "the schedule's first tick");
    const clinic = seededClinic(stack, seed.file);
    const page = await clinic.listFreeSlots({
      specialty: 'pediatria',
      from: new Date(Date.now() + 24 * HOUR + 10 * 60_000).toISOString(),
      page: 1,
      pageSize: 10,
    });
    for (let i = 0; i < users.length; i++) {
      const r = await clinic.book({
        slotId: page.slots[i]!.id,
        patientId: seed.patients[i]!.id,
        holderId: `crash-${i}`,
        idempotencyKey: `crash-${i}`,
      });
      if (!r.ok) throw new Error(`booking failed: ${r.reason}`);
    }
  });
  afterAll(async () => {
    await ticks?.close();
    await stack?.stop();
  });

  it('no duplicate reminder after recovery', async () => {
    // The first Graph request hangs for 2.5 s; the worker dies while it is in flight.
    stack.graph.setLatency(2_500, { requests: 1 });
    await ticks.add(JobName.ReminderTick, {});
    await waitUntil(() => stack.graph.sent.filter(isReminder).length >= users.length - 1, 15_000, 'the other reminders');
    // Kill at once: the hung request is accepted if its client is still there when the 2.5 s are up.
    await stack.workers[0]!.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.graph.sent.filter(isReminder)).toHaveLength(users.length - 1);

    const [a, b] = await Promise.all([stack.addWorker(), stack.addWorker()]);
    await Promise.all(Array.from({ length: 4 }, () => ticks.add(JobName.ReminderTick, {})));
    // The stalled send job is retried by a survivor: no status came for the dead worker's request, so it resends.
    await waitUntil(() => stack.graph.sent.filter(isReminder).length >= users.length, 30_000, 'the lost reminder to be resent');
    await new Promise((r) => setTimeout(r, 1_500));

    const reminders = stack.graph.sent.filter(isReminder);
    expect(users.map((u) => reminders.filter((s) => s.to === u.waId).length)).toEqual(users.map(() => 1));
    const metrics = (await a.metrics()) + (await b.metrics());
    expect(metrics).toMatch(/^medcita_graph_unknown_outcome_resends_total 1$/m);
  });
});
