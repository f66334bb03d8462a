import { SPECIALTY_CODES, type ClinicPort, type Slot } from '../../src/clinic/clinic-port.js';
import { FIXED_NOW, eventually } from './clinic-test-kit.js';
import { describePatientRecordsContract } from './patient-records.contract.js';

export interface ContractSubject {
  port: ClinicPort;
  close(): Promise<void>;
}

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What every ClinicPort adapter must do, written once and run against each
 * adapter. `open` builds a fresh, seeded store whose clock reads FIXED_NOW
 * (demo data + 50 extra patients pac-t000..pac-t049).
 */
export interface ContractOptions {
  /** The adapter's minimum lead time (SLOT_MIN_LEAD_MINUTES); default 0. */
  minLeadMinutes?: number;
}

/** La Paz has no daylight saving: clinic-local time is UTC-4 all year. */
const laPaz = (isoInstant: string) => {
  const d = new Date(Date.parse(isoInstant) - 4 * HOUR);
  return { day: d.toISOString().slice(0, 10), minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
};

export function describeClinicPortContract(name: string, open: (opts?: ContractOptions) => Promise<ContractSubject>): void {
  describe(`${name} (ClinicPort contract)`, () => {
    let subject: ContractSubject;
    let port: ClinicPort;

    beforeEach(async () => {
      subject = await open();
      port = subject.port;
    });
    afterEach(async () => {
      await subject.close();
    });

    async function firstFreeSlot(specialty: (typeof SPECIALTY_CODES)[number] = 'cardiologia', skip = 0): Promise<Slot> {
      const { slots } = await port.listFreeSlots({ specialty, page: 1, pageSize: 10 });
      const slot = slots[skip];
      if (!slot) throw new Error('seed produced no free slot');
      return slot;
    }

    const book = (slot: Slot, patientId: string, holderId = `session-${patientId}`, idempotencyKey = `turn-${patientId}-${slot.id}`) =>
      port.book({ slotId: slot.id, patientId, holderId, idempotencyKey });

    describe('patients and specialties', () => {
      it('finds a patient by document number however the user punctuates it', async () => {
        const patient = await port.findPatientByDocument('1.234-567 ');
        expect(patient).toEqual(expect.objectContaining({ id: 'pac-001', documentNumber: '1234567', phone: '59170000001' }));
        expect(patient?.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      });

      it('returns null for an unknown document', async () => {
        await expect(port.findPatientByDocument('0000001')).resolves.toBeNull();
      });

      it('lists all twelve specialties by code', async () => {
        const codes = (await port.listSpecialties()).map((s) => s.code);
        expect([...codes].sort()).toEqual([...SPECIALTY_CODES].sort());
      });
    });

    describe('listing free slots', () => {
      it('pages at most 10 future slots of the specialty, in start order, without overlap', async () => {
        const one = await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 50 });
        const two = await port.listFreeSlots({ specialty: 'cardiologia', page: 2, pageSize: 10 });
        expect(one.slots).toHaveLength(10);
        expect(one.hasMore).toBe(true);
        expect(two.page).toBe(2);
        const all = [...one.slots, ...two.slots];
        expect(new Set(all.map((s) => s.id)).size).toBe(20);
        for (const s of all) {
          expect(s.specialty).toBe('cardiologia');
          expect(Date.parse(s.startsAt)).toBeGreaterThan(FIXED_NOW);
          expect(Date.parse(s.endsAt)).toBeGreaterThan(Date.parse(s.startsAt));
        }
        const starts = all.map((s) => s.startsAt);
        expect(starts).toEqual([...starts].sort());
      });

      it('is stable: the same query over the same state gives the same page', async () => {
        const q = { specialty: 'pediatria', page: 3, pageSize: 7 } as const;
        expect(await port.listFreeSlots(q)).toEqual(await port.listFreeSlots(q));
      });

      it('ends with an empty page and no more', async () => {
        const last = await port.listFreeSlots({ specialty: 'neumologia', page: 500, pageSize: 10 });
        expect(last).toEqual({ slots: [], page: 500, hasMore: false });
      });

      it('starts from the requested time', async () => {
        const from = iso(FIXED_NOW + 5 * 24 * HOUR);
        const { slots } = await port.listFreeSlots({ specialty: 'cardiologia', from, page: 1, pageSize: 10 });
        expect(slots.length).toBeGreaterThan(0);
        for (const s of slots) expect(s.startsAt >= from).toBe(true);
      });

      it('hides slots held by others or booked, but shows the caller its own hold', async () => {
        const [held, booked] = [await firstFreeSlot('cardiologia', 0), await firstFreeSlot('cardiologia', 1)];
        expect(await port.holdSlot(held.id, 'session-a', 60)).toEqual(expect.objectContaining({ ok: true }));
        expect(await book(booked, 'pac-002')).toEqual(expect.objectContaining({ ok: true }));

        const forOthers = await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 10, holderId: 'session-b' });
        expect(forOthers.slots.map((s) => s.id)).not.toContain(held.id);
        expect(forOthers.slots.map((s) => s.id)).not.toContain(booked.id);
        const forHolder = await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 10, holderId: 'session-a' });
        expect(forHolder.slots[0]?.id).toBe(held.id);
        expect(forHolder.slots.map((s) => s.id)).not.toContain(booked.id);
      });
    });

    describe('filters from the patient’s preferences', () => {
      it('keeps only the asked days and part of the day, in start order', async () => {
        const filters = { days: ['2030-03-07'], fromMinute: 10 * 60, toMinute: 12 * 60 };
        const { slots, hasMore } = await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 10, filters });
        expect(slots.map((s) => laPaz(s.startsAt))).toEqual([600, 630, 660, 690].map((minute) => ({ day: '2030-03-07', minute })));
        expect(hasMore).toBe(false);
      });

      it('keeps only the asked doctor or clinic, across pages', async () => {
        const byDoctor = await port.listFreeSlots({ specialty: 'cardiologia', page: 2, pageSize: 5, filters: { doctorId: 'doc-15' } });
        expect(byDoctor.slots).toHaveLength(5);
        expect(byDoctor.slots.every((s) => s.doctorId === 'doc-15' && s.doctorName.includes('Romero'))).toBe(true);
        const byClinic = await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 10, filters: { clinicId: 'cli-lpz' } });
        expect(byClinic.slots.length).toBeGreaterThan(0);
        expect(byClinic.slots.every((s) => s.clinicId === 'cli-lpz')).toBe(true);
      });

      it('answers an empty page when nothing fits (no cardiology on Sundays)', async () => {
        const page = await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 10, filters: { days: ['2030-03-10'] } });
        expect(page).toEqual({ slots: [], page: 1, hasMore: false });
      });
    });

    describe('clinic information', () => {
      it('has every site’s address, hours, phone, location and insurance, the doctors, and a price per specialty', async () => {
        const info = await port.clinicInfo();
        expect(info.clinics.map((c) => c.id).sort()).toEqual(['cli-cbba', 'cli-lpz', 'cli-scz']);
        for (const c of info.clinics) {
          expect(c).toEqual(
            expect.objectContaining({
              address: expect.any(String),
              phone: expect.stringMatching(/\d/),
              openingHours: expect.stringMatching(/\d{2}:\d{2}/),
            }),
          );
          expect(c.location?.latitude).toEqual(expect.any(Number));
          expect(c.insurance.length).toBeGreaterThan(0);
        }
        expect(info.clinics.find((c) => c.id === 'cli-cbba')?.aliases).toContain('tunari');
        expect(info.doctors).toContainEqual({
          id: 'doc-15',
          name: 'Dra. Natalia Romero Saavedra',
          specialty: 'cardiologia',
          clinicId: 'cli-scz',
        });
        expect(info.specialties.map((s) => s.code).sort()).toEqual([...SPECIALTY_CODES].sort());
        expect(info.specialties.find((s) => s.code === 'gastroenterologia')?.preparation).toMatch(/ayunas/);
        expect(info.whatToBring.length).toBeGreaterThan(0);
      });
    });

    describe('holding a slot', () => {
      it('refuses a second holder and lets the first one extend', async () => {
        const slot = await firstFreeSlot();
        const first = await port.holdSlot(slot.id, 'session-a', 60);
        expect(first).toEqual({ ok: true, expiresAt: iso(FIXED_NOW + 60_000) });
        expect(await port.holdSlot(slot.id, 'session-b', 60)).toEqual({ ok: false, reason: 'held' });
        expect(await port.holdSlot(slot.id, 'session-a', 120)).toEqual({ ok: true, expiresAt: iso(FIXED_NOW + 120_000) });
      });

      it('refuses unknown and booked slots', async () => {
        const slot = await firstFreeSlot();
        expect(await port.holdSlot('doc-99-203001010800', 'session-a', 60)).toEqual({ ok: false, reason: 'not_found' });
        await book(slot, 'pac-002');
        expect(await port.holdSlot(slot.id, 'session-a', 60)).toEqual({ ok: false, reason: 'taken' });
      });

      it('frees the slot when the hold expires', async () => {
        const slot = await firstFreeSlot();
        expect((await port.holdSlot(slot.id, 'session-a', 0.2)).ok).toBe(true);
        await eventually(async () => (await port.holdSlot(slot.id, 'session-b', 60)).ok);
        expect(await port.holdSlot(slot.id, 'session-a', 60)).toEqual({ ok: false, reason: 'held' });
      });

      it('releases only the holder’s own hold', async () => {
        const slot = await firstFreeSlot();
        await port.holdSlot(slot.id, 'session-a', 60);
        await port.releaseHold(slot.id, 'session-b');
        expect(await port.holdSlot(slot.id, 'session-b', 60)).toEqual({ ok: false, reason: 'held' });
        await port.releaseHold(slot.id, 'session-a');
        expect((await port.holdSlot(slot.id, 'session-b', 60)).ok).toBe(true);
      });
    });

    describe('booking', () => {
      it('books a slot the caller holds and then no one else can book it', async () => {
        const slot = await firstFreeSlot();
        await port.holdSlot(slot.id, 'session-a', 60);
        const result = await book(slot, 'pac-001', 'session-a');
        expect(result).toEqual({
          ok: true,
          appointment: expect.objectContaining({ patientId: 'pac-001', status: 'booked', slot, bookedAt: iso(FIXED_NOW) }),
        });
        expect(await book(slot, 'pac-002', 'session-b')).toEqual({ ok: false, reason: 'taken' });
      });

      it('refuses a slot someone else holds', async () => {
        const slot = await firstFreeSlot();
        await port.holdSlot(slot.id, 'session-a', 60);
        expect(await book(slot, 'pac-002', 'session-b')).toEqual({ ok: false, reason: 'held' });
      });

      it('is idempotent on the key: a retried turn gets the same appointment, not a second one', async () => {
        const slot = await firstFreeSlot();
        const first = await book(slot, 'pac-001', 'session-a', 'turn-42');
        const again = await book(slot, 'pac-001', 'session-a', 'turn-42');
        expect(again).toEqual(first);
        expect(await port.listAppointments('pac-001')).toHaveLength(1);
        const other = await firstFreeSlot('cardiologia', 0);
        expect(await book(other, 'pac-001', 'session-a', 'turn-42')).toEqual({ ok: false, reason: 'idempotency_conflict' });
      });

      it('finds a booking by its idempotency key, for its patient only, so a caller whose answer was lost learns the outcome', async () => {
        const slot = await firstFreeSlot();
        expect(await port.findBooking({ idempotencyKey: 'hold-7', patientId: 'pac-001' })).toBeNull();
        const booked = await book(slot, 'pac-001', 'session-a', 'hold-7');
        expect(booked.ok).toBe(true);
        const found = await port.findBooking({ idempotencyKey: 'hold-7', patientId: 'pac-001' });
        expect(found).toEqual(booked.ok && booked.appointment);
        expect(await port.findBooking({ idempotencyKey: 'hold-7', patientId: 'pac-002' })).toBeNull();
        await port.cancelAppointment({ appointmentId: found!.id, patientId: 'pac-001' });
        expect(await port.findBooking({ idempotencyKey: 'hold-7', patientId: 'pac-001' })).toEqual(
          expect.objectContaining({ id: found!.id, status: 'cancelled' }),
        );
      });

      it('refuses unknown patients and unknown slots', async () => {
        const slot = await firstFreeSlot();
        expect(await book(slot, 'pac-nobody')).toEqual({ ok: false, reason: 'unknown_patient' });
        expect(await port.book({ slotId: 'nope', patientId: 'pac-001', holderId: 's', idempotencyKey: 'k' })).toEqual({
          ok: false,
          reason: 'not_found',
        });
      });
    });

    describe('a patient’s appointments', () => {
      it('lists only the patient’s own active appointments, soonest first', async () => {
        const later = await firstFreeSlot('cardiologia', 3);
        const sooner = await firstFreeSlot('cardiologia', 1);
        await book(later, 'pac-001');
        await book(sooner, 'pac-001');
        await book(await firstFreeSlot('cardiologia', 0), 'pac-002');
        const mine = await port.listAppointments('pac-001');
        expect(mine.map((a) => a.slot.id)).toEqual([sooner.id, later.id]);
        expect(mine.every((a) => a.patientId === 'pac-001')).toBe(true);
      });

      it('refuses to cancel another patient’s appointment and leaves it booked', async () => {
        const slot = await firstFreeSlot();
        const booked = await book(slot, 'pac-001');
        if (!booked.ok) throw new Error('booking failed');
        expect(await port.cancelAppointment({ appointmentId: booked.appointment.id, patientId: 'pac-002' })).toEqual({
          ok: false,
          reason: 'not_found',
        });
        expect((await port.listAppointments('pac-001')).map((a) => a.id)).toEqual([booked.appointment.id]);
      });

      it('cancels the patient’s own appointment, frees the slot, and a repeat is harmless', async () => {
        const slot = await firstFreeSlot();
        const booked = await book(slot, 'pac-001');
        if (!booked.ok) throw new Error('booking failed');
        const action = { appointmentId: booked.appointment.id, patientId: 'pac-001' };
        const cancelled = await port.cancelAppointment(action);
        expect(cancelled).toEqual({ ok: true, appointment: expect.objectContaining({ status: 'cancelled' }) });
        expect(await port.cancelAppointment(action)).toEqual(cancelled);
        expect(await port.listAppointments('pac-001')).toEqual([]);
        expect((await firstFreeSlot()).id).toBe(slot.id);
        expect(await book(slot, 'pac-002')).toEqual(expect.objectContaining({ ok: true }));
      });

      it('confirms only the owner’s active appointment', async () => {
        const slot = await firstFreeSlot();
        const booked = await book(slot, 'pac-001');
        if (!booked.ok) throw new Error('booking failed');
        const action = { appointmentId: booked.appointment.id, patientId: 'pac-001' };
        expect(await port.confirmAppointment({ ...action, patientId: 'pac-002' })).toEqual({ ok: false, reason: 'not_found' });
        expect(await port.confirmAppointment(action)).toEqual({
          ok: true,
          appointment: expect.objectContaining({ status: 'confirmed', confirmedAt: iso(FIXED_NOW) }),
        });
        await port.cancelAppointment(action);
        expect(await port.confirmAppointment(action)).toEqual({ ok: false, reason: 'cancelled' });
      });
    });

    describe('upcoming appointments (reminders)', () => {
      it('returns active appointments starting in [from, to) with the patient’s contact', async () => {
        const slots = (await port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 3 })).slots;
        const [first, second, third] = slots as [Slot, Slot, Slot];
        await book(first, 'pac-001');
        const cancelled = await book(second, 'pac-002');
        await book(third, 'pac-003');
        if (!cancelled.ok) throw new Error('booking failed');
        await port.cancelAppointment({ appointmentId: cancelled.appointment.id, patientId: 'pac-002' });

        const upcoming = await port.upcomingAppointments({ from: first.startsAt, to: third.startsAt });
        expect(upcoming).toEqual([
          {
            appointment: expect.objectContaining({ patientId: 'pac-001', slot: first }),
            patient: { id: 'pac-001', firstName: 'María', lastName: 'Demo Apaza', phone: '59170000001' },
            needsConfirmation: true,
          },
        ]);
      });
    });

    describe('when 50 sessions race for the same slot', () => {
      const racers = Array.from({ length: 50 }, (_, i) => ({
        holderId: `race-session-${i}`,
        patientId: `pac-t${String(i).padStart(3, '0')}`,
      }));

      it('exactly one holds it, exactly one books it, and the 49 others are told it is taken or held', async () => {
        const slot = await firstFreeSlot();
        const holds = await Promise.all(racers.map((r) => port.holdSlot(slot.id, r.holderId, 60)));
        expect(holds.filter((h) => h.ok)).toHaveLength(1);
        expect(holds.filter((h) => !h.ok).every((h) => !h.ok && h.reason === 'held')).toBe(true);

        const books = await Promise.all(racers.map((r) => port.book({ slotId: slot.id, ...r, idempotencyKey: `race-${r.patientId}` })));
        const winners = books.flatMap((b) => (b.ok ? [b.appointment] : []));
        expect(winners).toHaveLength(1);
        expect(winners[0]?.patientId).toBe(racers[holds.findIndex((h) => h.ok)]?.patientId);
        expect(books.filter((b) => !b.ok).every((b) => !b.ok && (b.reason === 'held' || b.reason === 'taken'))).toBe(true);
        expect((await firstFreeSlot()).id).not.toBe(slot.id);
      });

      it('exactly one books it when they skip holding', async () => {
        const slot = await firstFreeSlot();
        const books = await Promise.all(racers.map((r) => port.book({ slotId: slot.id, ...r, idempotencyKey: `race-${r.patientId}` })));
        expect(books.filter((b) => b.ok)).toHaveLength(1);
        const booked = await Promise.all(racers.map((r) => port.listAppointments(r.patientId)));
        expect(booked.flat()).toHaveLength(1);
      });
    });

    describe('minimum lead time', () => {
      // FIXED_NOW is Monday 08:00 in La Paz; Dr. Rojas (cardiology) starts at 09:00 every 30 minutes.
      const soon = 'doc-03-203003040900';
      const atCutoff = 'doc-03-203003041000';

      it('never lists, holds or books a slot starting within the lead time', async () => {
        const led = await open({ minLeadMinutes: 120 });
        try {
          const { slots } = await led.port.listFreeSlots({ specialty: 'cardiologia', page: 1, pageSize: 10 });
          expect(Date.parse(slots[0]!.startsAt)).toBeGreaterThan(FIXED_NOW + 2 * HOUR);
          expect(laPaz(slots[0]!.startsAt)).toEqual({ day: '2030-03-04', minute: 10 * 60 + 30 });
          for (const id of [soon, atCutoff]) {
            expect(await led.port.holdSlot(id, 'session-a', 60)).toEqual({ ok: false, reason: 'not_found' });
            expect(await led.port.book({ slotId: id, patientId: 'pac-001', holderId: 'session-a', idempotencyKey: `lead-${id}` })).toEqual({
              ok: false,
              reason: 'not_found',
            });
          }
          expect((await led.port.holdSlot(slots[0]!.id, 'session-a', 60)).ok).toBe(true);
        } finally {
          await led.close();
        }
      });

      it('without a lead time the same slot is fine', async () => {
        expect((await port.holdSlot(soon, 'session-a', 60)).ok).toBe(true);
      });
    });

    describePatientRecordsContract(() => port);

    it('reports healthy', async () => {
      expect(await port.health()).toEqual(expect.objectContaining({ ok: true }));
    });
  });
}
