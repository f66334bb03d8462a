/**
 * Reminders (docs/reminders.md): the dialog's replies to a reminder
 * (confirm, cancel with its confirmation, someone else's).
 */
import { HandoffStore, type OutboundMessage } from '@medcita/shared';
import type { Appointment } from '../../src/clinic/index.js';
import { DialogTurnHandler, es, IdentityGuard } from '../../src/dialog/index.js';
import { scriptedNlu, Session, texts, type Harness } from '../dialog/dialog-kit.js';
import { HOUR, logger, patient, useReminderFixture } from './reminder-fixture.js';

describe('reminders', () => {
  const fx = useReminderFixture();

  describe('replies to a reminder', () => {
    let harness: Harness;
    let a: Appointment;
    beforeEach(async () => {
      [a] = (await fx.book(1, fx.now + 24 * HOUR)) as [Appointment];
      const handler = new DialogTurnHandler({
        nlu: scriptedNlu(),
        clinic: fx.clinic,
        handoff: new HandoffStore(fx.redis, { keyPrefix: fx.prefix, timeoutSeconds: 3600 }),
        identity: new IdentityGuard(fx.redis, {
          keyPrefix: fx.prefix,
          maxFailures: 3,
          windowSeconds: 3600,
          digestKey: 'reminders-test-digest-key',
        }),
        texts: es,
        logger,
        options: { sessionTtlSeconds: 1800, holdSeconds: 300, timeZone: 'America/La_Paz' },
        reminders: fx.store,
      });
      harness = { handler } as Harness;
      expect(await fx.service.send({ kind: '24h', appointmentId: a.id, startsAt: a.slot.startsAt }, fx.now)).toBe('sent');
    });

    it('"Confirmar" confirms the appointment in the clinic', async () => {
      const chat = new Session(harness, patient(0).phone);
      const out = texts(await chat.send({ replyId: `reminder:confirm:${a.id}`, title: 'Confirmar' }));
      expect(out).toMatch(/quedó confirmada/);
      const [mine] = await fx.clinic.listAppointments(a.patientId);
      expect(mine!.status).toBe('confirmed');
    });

    it('"Cancelar" asks first, then cancels and frees the slot, even after the session expired', async () => {
      const chat = new Session(harness, patient(0).phone);
      await chat.send('hola');
      chat.now += 3 * HOUR; // long past the 30-minute session
      const ask = await chat.send({ replyId: `reminder:cancel:${a.id}`, title: 'Cancelar' });
      expect(texts(ask)).not.toMatch(/expiró/);
      const buttons = ask.find((r): r is Extract<OutboundMessage, { kind: 'buttons' }> => r.kind === 'buttons')!;
      expect(buttons.body).toMatch(/¿Cancelo tu cita de Cardiología/);
      expect(texts(await chat.send({ replyId: 'affirm', title: 'Sí, cancelar' }))).toMatch(/quedó cancelada/);
      expect(await fx.clinic.listAppointments(a.patientId)).toEqual([]);
      const free = await fx.clinic.listFreeSlots({ specialty: 'cardiologia', from: a.slot.startsAt, page: 1, pageSize: 10 });
      expect(free.slots.map((s) => s.id)).toContain(a.slot.id);
    });

    it('a typed "confirmo" right after a reminder confirms it', async () => {
      const chat = new Session(harness, patient(0).phone);
      expect(texts(await chat.send('confirmo'))).toMatch(/quedó confirmada/);
    });

    it("someone else's appointment is refused politely and left alone", async () => {
      const other = new Session(harness, patient(1).phone);
      const out = texts(await other.send({ replyId: `reminder:cancel:${a.id}`, title: 'Cancelar' }));
      expect(out).toMatch(/No encontré esa cita entre las tuyas/);
      expect(out).not.toMatch(/Cardiología|Cancelo/);
      expect(texts(await other.send({ replyId: `reminder:confirm:${a.id}`, title: 'Confirmar' }))).toMatch(/No encontré esa cita/);
      const [still] = await fx.clinic.listAppointments(a.patientId);
      expect(still!.status).toBe('booked');
    });
  });
});
