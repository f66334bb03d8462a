import type { ClinicPort } from '../../src/clinic/clinic-port.js';
import { HOUR, iso, laPaz, slotHelpers, type OpenSubject } from './clinic-contract-kit.js';
import { FIXED_NOW, eventually } from './clinic-test-kit.js';

/**
 * Holding and booking a slot: once, by one patient, however many sessions
 * race, never too soon. Part of the ClinicPort contract (run inside
 * describeClinicPortContract, against every adapter).
 */
export function describeSlotBookingContract(portOf: () => ClinicPort, open: OpenSubject): void {
  // The store is opened per test (describeClinicPortContract's beforeEach, which runs first).
  let port: ClinicPort;
  beforeEach(() => {
    port = portOf();
  });
  const { firstFreeSlot, book } = slotHelpers(portOf);

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
}
