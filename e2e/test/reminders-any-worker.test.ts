/**
 * A reminder's Confirmar tap is understood by whichever worker takes it, even
 * one started with REMINDERS_ENABLED=false (in a fleet only some workers need
 * to send reminders, but every worker answers patients). Real worker
 * processes: one sends the reminder and goes away, another one with
 * reminders off gets the tap.
 */
import { JobName, QueueName } from '@medcita/shared';
import { content, DEFAULT_BUSINESS, simUser, type SentRecord } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import { Conversation, seededClinic, seedWithPatients, textOf } from '../support/conversation.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const HOUR = 3_600_000;
const user = simUser(7300);
const seed = seedWithPatients([user.waId!]);
const isReminder = (s: SentRecord) => s.type === 'template' || JSON.stringify(s.payload).includes('reminder:confirm:');

describe('reminder replies on any worker', () => {
  let stack: TestStack;
  let ticks: Queue | undefined;
  afterAll(async () => {
    await ticks?.close();
    await stack?.stop();
  });

  it('a worker with reminders off confirms the appointment a reminder named', async () => {
    stack = await TestStack.start({
      workers: 1,
      workerEnv: {
        TURN_HANDLER: 'dialog',
        CLINIC_SEED_FILE: seed.file,
        SESSION_RATE_LIMIT_PER_MINUTE: '0',
        REMINDERS_ENABLED: 'true',
        REMINDER_PHONE_NUMBER_ID: DEFAULT_BUSINESS.phoneNumberId,
        REMINDER_INTERVAL_SECONDS: String(3 * 86_400),
      },
    });
    const clinic = seededClinic(stack, seed.file);
    const page = await clinic.listFreeSlots({
      specialty: 'cardiologia',
      from: new Date(Date.now() + 24 * HOUR).toISOString(),
      page: 1,
      pageSize: 1,
    });
    const booked = await clinic.book({
      slotId: page.slots[0]!.id,
      patientId: seed.patients[0]!.id,
      holderId: 'e2e-any',
      idempotencyKey: 'e2e-any-worker',
    });
    if (!booked.ok) throw new Error(booked.reason);
    ticks = new Queue(QueueName.Reminders, { connection: stack.redis, prefix: '{medcita}' });
    await ticks.add(JobName.ReminderTick, {});
    await waitUntil(() => stack.repliesTo(user.waId!).some(isReminder), 20_000, 'the reminder');

    // The reminder sender leaves; the only worker left has reminders off.
    await stack.workers[0]!.stop();
    await stack.addWorker({ REMINDERS_ENABLED: 'false' });
    const chat = new Conversation(stack, user);
    const out = textOf(await chat.send(content.templateButton(`reminder:confirm:${booked.appointment.id}`, 'Confirmar')));
    expect(out).toMatch(/quedó confirmada/);
    expect(out).not.toMatch(/No encontré esa cita/);
    const [mine] = await clinic.listAppointments(seed.patients[0]!.id);
    expect(mine!.status).toBe('confirmed');
  });
});
