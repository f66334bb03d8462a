/**
 * Reminders (docs/reminders.md): the send's re-checks and its
 * interactive/template choice (exact Graph JSON), and the 131047 template retry.
 */
import { sessionKeys } from '@medcita/shared';
import { ClinicDateFormatter } from '../../src/dialog/index.js';
import type { SendReminderJob } from '../../src/reminders/index.js';
import { HOUR, PN, patient, useReminderFixture } from './reminder-fixture.js';

describe('reminders', () => {
  const fx = useReminderFixture();

  it('outside the 24-hour window sends the template with the exact Graph JSON, once', async () => {
    const [a] = await fx.book(1, fx.now + 24 * HOUR + 60_000);
    const job: SendReminderJob = { kind: '24h', appointmentId: a!.id, startsAt: a!.slot.startsAt };
    expect(await fx.service.send(job, fx.now)).toBe('sent');
    expect(await fx.service.send(job, fx.now)).toBe('already_sent');
    expect(fx.graph.sent).toHaveLength(1);
    const when = new ClinicDateFormatter('America/La_Paz').spoken(a!.slot.startsAt, fx.now);
    expect(when.date).toMatch(/^mañana martes 5 de marzo$/);
    expect(fx.graph.sent[0]!.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: patient(0).phone,
      biz_opaque_callback_data: expect.stringMatching(/^reminder:24h:/),
      type: 'template',
      template: {
        name: 'recordatorio_cita',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: patient(0).firstName.split(' ')[0] },
              { type: 'text', text: when.date },
              { type: 'text', text: when.time },
              { type: 'text', text: a!.slot.doctorName },
              { type: 'text', text: a!.slot.clinicName },
            ],
          },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `reminder:confirm:${a!.id}` }] },
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: `reminder:cancel:${a!.id}` }] },
        ],
      },
    });
  });

  it('inside the window sends an interactive message; a 131047 failure leads to one template retry', async () => {
    const [a] = await fx.book(1, fx.now + 24 * HOUR);
    const sessionKey = `${PN}:${patient(0).phone}`;
    await fx.redis.hset(sessionKeys(fx.prefix, sessionKey).state, 'updatedAt', String(fx.now - 3 * HOUR));
    const job: SendReminderJob = { kind: '24h', appointmentId: a!.id, startsAt: a!.slot.startsAt };
    expect(await fx.service.send(job, fx.now)).toBe('sent');
    const first = fx.graph.sent[0]!;
    expect(first.payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        action: {
          buttons: [
            { type: 'reply', reply: { id: `reminder:confirm:${a!.id}`, title: 'Confirmar' } },
            { type: 'reply', reply: { id: `reminder:cancel:${a!.id}`, title: 'Cancelar' } },
          ],
        },
      },
    });
    expect((first.payload as any).interactive.body.text).toMatch(/Cardiología mañana martes 5 de marzo a las \d\d:\d\d/);

    // Meta reports the free-form message failed: the window had closed after all.
    expect(await fx.service.onFailedStatus(first.messageId, ['131047'])).toBe('retry');
    expect(await fx.service.onFailedStatus(first.messageId, ['131047'])).toBe('retry');
    const retries = [...fx.queued.entries()].filter(([id]) => id.startsWith('reminder-24h-retry-'));
    expect(retries).toHaveLength(1);
    expect(await fx.service.send(retries[0]![1], fx.now + 5_000)).toBe('sent');
    expect(await fx.service.send(retries[0]![1], fx.now + 6_000)).toBe('already_sent');
    expect(fx.graph.sent.map((s) => (s.payload as any).type)).toEqual(['interactive', 'template']);
    // A failure of the template itself is counted, never retried again.
    expect(await fx.service.onFailedStatus(fx.graph.sent[1]!.messageId, ['131026'])).toBe('counted');
    expect(await fx.service.onFailedStatus('wamid.not-a-reminder', ['131047'])).toBe('not_a_reminder');
  });

  it('never reminds a cancelled or already started appointment', async () => {
    const [a, b] = await fx.book(2, fx.now + 24 * HOUR);
    await fx.clinic.cancelAppointment({ appointmentId: a!.id, patientId: a!.patientId });
    expect(await fx.service.send({ kind: '24h', appointmentId: a!.id, startsAt: a!.slot.startsAt }, fx.now)).toBe('inactive');
    expect(await fx.service.send({ kind: '24h', appointmentId: b!.id, startsAt: b!.slot.startsAt }, Date.parse(b!.slot.startsAt) + 1)).toBe(
      'past',
    );
    expect(fx.graph.sent).toHaveLength(0);
  });
});
