import type { ClinicPort, Slot } from '../../src/clinic/clinic-port.js';
import { iso, slotHelpers } from './clinic-contract-kit.js';
import { FIXED_NOW } from './clinic-test-kit.js';

/**
 * A patient's appointments (listing, cancelling, confirming) and the upcoming
 * ones reminders read: part of the ClinicPort contract (run inside
 * describeClinicPortContract, against every adapter).
 */
export function describeAppointmentsContract(portOf: () => ClinicPort): void {
  // The store is opened per test (describeClinicPortContract's beforeEach, which runs first).
  let port: ClinicPort;
  beforeEach(() => {
    port = portOf();
  });
  const { firstFreeSlot, book } = slotHelpers(portOf);

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
}
