import type { ClinicPort } from '../../src/clinic/clinic-port.js';
import { HOUR, iso, laPaz, slotHelpers } from './clinic-contract-kit.js';
import { FIXED_NOW } from './clinic-test-kit.js';

/**
 * Free slots page by page, and filtered by the patient's preferences: part
 * of the ClinicPort contract (run inside describeClinicPortContract, against
 * every adapter).
 */
export function describeSlotListingContract(portOf: () => ClinicPort): void {
  // The store is opened per test (describeClinicPortContract's beforeEach, which runs first).
  let port: ClinicPort;
  beforeEach(() => {
    port = portOf();
  });
  const { firstFreeSlot, book } = slotHelpers(portOf);

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
}
