/**
 * docs/reminders.md end to end: appointment reminders through the whole pipeline with
 * real worker processes. Appointments booked 24 h ahead in the builtin
 * backend, ticks forced in quick succession on three workers: one reminder
 * per active appointment, none for a cancelled one; the template (exact
 * Graph JSON) outside the 24-hour window, an interactive message inside; a
 * 131047 failure of the free-form one leads to one template retry; button
 * replies confirm, cancel (with its confirmation, freeing the slot) and
 * refuse someone else's appointment.
 */
import { JobName, QueueName } from '@medcita/shared';
import { content, DEFAULT_BUSINESS, simUser, statusUpdate, webhookBody, type SentRecord } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import type { Appointment, BuiltinClinic } from '../../workers/src/clinic/index.js';
import { ClinicDateFormatter } from '../../workers/src/dialog/index.js';
import { Conversation, lastButtons, seededClinic, seedWithPatients, textOf } from '../support/conversation.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const HOUR = 3_600_000;
const users = Array.from({ length: 6 }, (_, i) => simUser(7100 + i));
const seed = seedWithPatients(users.map((u) => u.waId!));
const TEMPLATE = 'recordatorio_cita_test';

export function reminderEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    TURN_HANDLER: 'dialog',
    CLINIC_SEED_FILE: seed.file,
    SESSION_RATE_LIMIT_PER_MINUTE: '0',
    REMINDERS_ENABLED: 'true',
    REMINDER_PHONE_NUMBER_ID: DEFAULT_BUSINESS.phoneNumberId,
    REMINDER_TEMPLATE_NAME: TEMPLATE,
    REMINDER_TEMPLATE_LANGUAGE: 'es',
    // A wide window (lead 24 h, then 3 days) so the slots booked below are inside whatever the hour;
    // the schedule's own ticks are then days apart and the test forces its ticks.
    REMINDER_INTERVAL_SECONDS: String(3 * 86_400),
    ...extra,
  };
}

const isReminder = (s: SentRecord) => s.type === 'template' || JSON.stringify(s.payload).includes('reminder:confirm:');

describe('appointment reminders', () => {
  let stack: TestStack;
  let clinic: BuiltinClinic;
  let ticks: Queue;
  const booked: Appointment[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ workers: 3, workerEnv: reminderEnv() });
    clinic = seededClinic(stack, seed.file);
    ticks = new Queue(QueueName.Reminders, { connection: stack.redis, prefix: '{medcita}' });
    // BullMQ runs the schedule's first tick as the workers start; let it pass before booking, so only forced ticks see the bookings.
    await waitUntil(async () => (await ticks.getCompletedCount()) >= 1, 15_000, "the schedule's first tick");
    // Five patients with an appointment a little over 24 h ahead; the fifth cancels before any tick.
    const page = await clinic.listFreeSlots({
      specialty: 'cardiologia',
      from: new Date(Date.now() + 24 * HOUR + 10 * 60_000).toISOString(),
      page: 1,
      pageSize: 10,
    });
    for (let i = 0; i < 5; i++) {
      const r = await clinic.book({
        slotId: page.slots[i]!.id,
        patientId: seed.patients[i]!.id,
        holderId: `e2e-${i}`,
        idempotencyKey: `e2e-rem-${i}`,
      });
      if (!r.ok) throw new Error(`booking failed: ${r.reason}`);
      booked.push(r.appointment);
    }
    await clinic.cancelAppointment({ appointmentId: booked[4]!.id, patientId: booked[4]!.patientId });
    // Patient 0 wrote today: inside the 24-hour window, so an interactive reminder is allowed.
    await new Conversation(stack, users[0]!).say('hola');
  });
  afterAll(async () => {
    await ticks?.close();
    await stack?.stop();
  });

  it('every active appointment gets exactly one reminder, the cancelled one none, however many ticks', async () => {
    await Promise.all(Array.from({ length: 6 }, () => ticks.add(JobName.ReminderTick, {})));
    await waitUntil(() => stack.graph.sent.filter(isReminder).length >= 4, 20_000, 'four reminders');
    await Promise.all(Array.from({ length: 3 }, () => ticks.add(JobName.ReminderTick, {})));
    await new Promise((r) => setTimeout(r, 1_500)); // a duplicate would arrive now

    const reminders = stack.graph.sent.filter(isReminder);
    expect(reminders.map((s) => s.to).sort()).toEqual(
      users
        .slice(0, 4)
        .map((u) => u.waId)
        .sort(),
    );
    expect(stack.repliesTo(users[4]!.waId!).filter(isReminder)).toEqual([]);

    // Inside the window: interactive buttons whose ids name the appointment.
    const inside = stack.repliesTo(users[0]!.waId!).filter(isReminder);
    expect(inside).toHaveLength(1);
    expect(inside[0]!.payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        action: {
          buttons: [
            { type: 'reply', reply: { id: `reminder:confirm:${booked[0]!.id}`, title: 'Confirmar' } },
            { type: 'reply', reply: { id: `reminder:cancel:${booked[0]!.id}`, title: 'Cancelar' } },
          ],
        },
      },
    });

    // Outside: the approved template, exactly as WhatsApp wants it.
    const dates = new ClinicDateFormatter('America/La_Paz');
    for (const i of [1, 2, 3]) {
      const [sent] = stack.repliesTo(users[i]!.waId!).filter(isReminder);
      const a = booked[i]!;
      const when = dates.spoken(a.slot.startsAt, sent!.receivedAt);
      expect(when.full).toMatch(/^(mañana|el) \S+ \d{1,2} de \S+ a las \d\d:\d\d$/);
      expect(sent!.payload).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: users[i]!.waId,
        biz_opaque_callback_data: expect.stringMatching(/^reminder:24h:/),
        type: 'template',
        template: {
          name: TEMPLATE,
          language: { code: 'es' },
          components: [
            {
              type: 'body',
              parameters: [seed.patients[i]!.firstName, when.date, when.time, a.slot.doctorName, a.slot.clinicName].map((text) => ({
                type: 'text',
                text,
              })),
            },
            { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `reminder:confirm:${a.id}` }] },
            { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: `reminder:cancel:${a.id}` }] },
          ],
        },
      });
    }
    const metrics = await stack.workers[0]!.metrics();
    expect(metrics).toMatch(/medcita_reminders_sent_total/);
  });

  it('a 131047 failure of the free-form reminder leads to one template retry', async () => {
    const [interactive] = stack.repliesTo(users[0]!.waId!).filter(isReminder);
    const failed = webhookBody([statusUpdate(users[0]!, interactive!.messageId, 'failed', { errorCode: 131047 })]);
    expect((await stack.webhook.post(failed)).status).toBe(200);
    expect((await stack.webhook.post(failed)).status).toBe(200); // Meta redelivers statuses too
    await waitUntil(() => stack.repliesTo(users[0]!.waId!).filter((s) => s.type === 'template').length >= 1, 15_000, 'template retry');
    await new Promise((r) => setTimeout(r, 1_500));
    const templates = stack.repliesTo(users[0]!.waId!).filter((s) => s.type === 'template');
    expect(templates).toHaveLength(1);
    expect(templates[0]!.payload).toMatchObject({ template: { name: TEMPLATE, language: { code: 'es' } } });
  });

  it('"Cancelar" on the template asks, then cancels and frees the slot', async () => {
    const chat = new Conversation(stack, users[1]!);
    const a = booked[1]!;
    const ask = lastButtons(await chat.send(content.templateButton(`reminder:cancel:${a.id}`, 'Cancelar')));
    expect(ask.body).toMatch(/¿Cancelo tu cita de Cardiología/);
    expect(textOf(await chat.tap(ask.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó cancelada/);
    expect(await clinic.listAppointments(a.patientId)).toEqual([]);
    const free = await clinic.listFreeSlots({ specialty: 'cardiologia', from: a.slot.startsAt, page: 1, pageSize: 10 });
    expect(free.slots.map((s) => s.id)).toContain(a.slot.id);
  });

  it('"Confirmar" confirms the appointment in the clinic', async () => {
    const chat = new Conversation(stack, users[2]!);
    expect(textOf(await chat.send(content.templateButton(`reminder:confirm:${booked[2]!.id}`, 'Confirmar')))).toMatch(/quedó confirmada/);
    const [mine] = await clinic.listAppointments(booked[2]!.patientId);
    expect(mine!.status).toBe('confirmed');
  });

  it("a payload naming someone else's appointment is refused politely", async () => {
    const chat = new Conversation(stack, users[3]!);
    const out = textOf(await chat.send(content.templateButton(`reminder:cancel:${booked[0]!.id}`, 'Cancelar')));
    expect(out).toMatch(/No encontré esa cita entre las tuyas/);
    const [still] = await clinic.listAppointments(booked[0]!.patientId);
    expect(still!.status).toBe('booked');
  });
});
