import type { ClinicPort, RegisterPatientRequest, Slot } from '../../src/clinic/clinic-port.js';
import { FIXED_NOW } from './clinic-test-kit.js';

const iso = (ms: number) => new Date(ms).toISOString();
const consent = { at: iso(FIXED_NOW), version: 'v-test' };
const newcomer = (over: Partial<RegisterPatientRequest> = {}): RegisterPatientRequest => ({
  documentNumber: '6123456',
  firstName: 'Pedro',
  lastName: 'Nuevo Quispe',
  birthDate: '1992-05-17',
  phone: '59179990001',
  consent,
  ...over,
});

/**
 * Registration from WhatsApp and family members, part of the ClinicPort
 * contract (run inside describeClinicPortContract, against every adapter).
 */
export function describePatientRecordsContract(portOf: () => ClinicPort): void {
  async function freeSlot(skip = 0): Promise<Slot> {
    const { slots } = await portOf().listFreeSlots({ specialty: 'pediatria', page: 1, pageSize: 10 });
    return slots[skip]!;
  }

  describe('registering a first-time patient', () => {
    it('creates a patient found by document and by phone, with the consent recorded', async () => {
      const port = portOf();
      const result = await port.registerPatient(newcomer({ documentNumber: '6.123.456' }));
      expect(result).toEqual({
        ok: true,
        patient: expect.objectContaining({ documentNumber: '6123456', firstName: 'Pedro', phone: '59179990001' }),
      });
      const patient = result.ok ? result.patient : undefined;
      expect(patient?.consent).toEqual(consent);
      expect(patient?.needsReview).toBeUndefined();
      expect(await port.findPatientByDocument('6123456')).toEqual(patient);
      expect(await port.findPatientByPhone('59179990001')).toEqual(patient);
    });

    it('is idempotent: the same document from the same phone returns the same patient', async () => {
      const port = portOf();
      const first = await port.registerPatient(newcomer());
      const again = await port.registerPatient(newcomer({ firstName: 'Pedrito' }));
      expect(first.ok && again.ok && again.patient.id === first.patient.id).toBe(true);
      expect(again.ok && again.patient.firstName).toBe('Pedro');
    });

    it('refuses invalid data: a future or impossible date, an implausible document, an empty name', async () => {
      const port = portOf();
      for (const bad of [
        newcomer({ birthDate: iso(FIXED_NOW + 86_400_000).slice(0, 10) }),
        newcomer({ birthDate: '1990-02-30' }),
        newcomer({ birthDate: '1850-01-01' }),
        newcomer({ documentNumber: '12' }),
        newcomer({ documentNumber: 'ABCDEFG' }),
        newcomer({ firstName: '  ' }),
        newcomer({ lastName: '42' }),
      ]) {
        expect(await port.registerPatient(bad)).toEqual({ ok: false, reason: 'invalid' });
      }
      expect(await port.findPatientByPhone('59179990001')).toBeNull();
    });

    it('never fails on a document on file for another phone: the record is set apart for review', async () => {
      const port = portOf();
      const result = await port.registerPatient(newcomer({ documentNumber: '1234567', phone: '59179990002' }));
      expect(result.ok).toBe(true);
      const patient = result.ok ? result.patient : undefined;
      expect(patient?.needsReview).toBe('document_on_file');
      // The document still finds its original owner; the new record is reachable by its phone only.
      expect((await port.findPatientByDocument('1234567'))?.id).toBe('pac-001');
      expect((await port.findPatientByPhone('59179990002'))?.id).toBe(patient?.id);
      const again = await port.registerPatient(newcomer({ documentNumber: '1234567', phone: '59179990002' }));
      expect(again.ok && again.patient.id).toBe(patient?.id);
    });

    it('refuses a phone that already belongs to a patient with another document', async () => {
      expect(await portOf().registerPatient(newcomer({ phone: '59170000001' }))).toEqual({ ok: false, reason: 'phone_taken' });
    });

    it('a registered patient can book at once', async () => {
      const port = portOf();
      const result = await port.registerPatient(newcomer());
      const slot = await freeSlot();
      const patientId = result.ok ? result.patient.id : '';
      const booked = await port.book({ slotId: slot.id, patientId, holderId: 'h-new', idempotencyKey: 'k-new' });
      expect(booked.ok).toBe(true);
      expect((await port.listAppointments(patientId)).map((a) => a.slot.id)).toEqual([slot.id]);
    });
  });

  describe('family members (dependents)', () => {
    it('adds and lists a holder’s dependents; adding the same person again returns the same record', async () => {
      const port = portOf();
      const added = await port.addDependent({ holderId: 'pac-001', firstName: 'Sofía', lastName: 'Demo', birthDate: '2021-06-01' });
      expect(added).toEqual({
        ok: true,
        dependent: expect.objectContaining({ holderId: 'pac-001', firstName: 'Sofía', birthDate: '2021-06-01' }),
      });
      const again = await port.addDependent({ holderId: 'pac-001', firstName: ' sofia ', lastName: 'demo', birthDate: '2021-06-01' });
      expect(again.ok && added.ok && again.dependent.id === added.dependent.id).toBe(true);
      await port.addDependent({ holderId: 'pac-001', firstName: 'Ana', lastName: 'Demo', birthDate: '1950-01-01' });
      expect((await port.listDependents('pac-001')).map((d) => d.firstName)).toEqual(['Ana', 'Sofía']);
      expect(await port.listDependents('pac-002')).toEqual([]);
    });

    it('refuses an unknown holder, a dependent as holder, and invalid data', async () => {
      const port = portOf();
      expect(await port.addDependent({ holderId: 'pac-nobody', firstName: 'X', lastName: 'Y', birthDate: '2020-01-01' })).toEqual({
        ok: false,
        reason: 'unknown_patient',
      });
      const child = await port.addDependent({ holderId: 'pac-001', firstName: 'Sofía', lastName: 'Demo', birthDate: '2021-06-01' });
      const childId = child.ok ? child.dependent.id : '';
      expect(await port.addDependent({ holderId: childId, firstName: 'Z', lastName: 'Z', birthDate: '2022-01-01' })).toEqual({
        ok: false,
        reason: 'unknown_patient',
      });
      expect(await port.addDependent({ holderId: 'pac-001', firstName: 'Leo', lastName: '', birthDate: '2999-01-01' })).toEqual({
        ok: false,
        reason: 'invalid',
      });
    });

    it('books for a dependent; the holder lists, confirms and cancels it, another patient cannot', async () => {
      const port = portOf();
      const child = await port.addDependent({ holderId: 'pac-001', firstName: 'Sofía', lastName: 'Demo', birthDate: '2021-06-01' });
      const childId = child.ok ? child.dependent.id : '';
      const [mine, hers] = [await freeSlot(0), await freeSlot(1)];
      expect((await port.book({ slotId: mine.id, patientId: 'pac-001', holderId: 'h1', idempotencyKey: 'k1' })).ok).toBe(true);
      const booked = await port.book({ slotId: hers.id, patientId: childId, holderId: 'h1', idempotencyKey: 'k2' });
      expect(booked).toEqual({ ok: true, appointment: expect.objectContaining({ patientId: childId, holderId: 'pac-001' }) });
      const appointmentId = booked.ok ? booked.appointment.id : '';

      const listed = await port.listAppointments('pac-001');
      expect(listed.map((a) => [a.slot.id, a.patientId])).toEqual([
        [mine.id, 'pac-001'],
        [hers.id, childId],
      ]);
      expect((await port.listAppointments(childId)).map((a) => a.id)).toEqual([appointmentId]);

      const upcoming = await port.upcomingAppointments({ from: iso(FIXED_NOW), to: iso(FIXED_NOW + 30 * 86_400_000) });
      const reminder = upcoming.find((u) => u.appointment.id === appointmentId);
      expect(reminder?.patient).toEqual(expect.objectContaining({ id: 'pac-001', phone: '59170000001' }));
      expect(reminder?.dependent).toEqual(expect.objectContaining({ id: childId, firstName: 'Sofía' }));

      expect(await port.cancelAppointment({ appointmentId, patientId: 'pac-002' })).toEqual({ ok: false, reason: 'not_found' });
      expect((await port.confirmAppointment({ appointmentId, patientId: 'pac-001' })).ok).toBe(true);
      const cancelled = await port.cancelAppointment({ appointmentId, patientId: 'pac-001' });
      expect(cancelled.ok && cancelled.appointment.status).toBe('cancelled');
      expect((await port.listAppointments('pac-001')).map((a) => a.slot.id)).toEqual([mine.id]);
      expect(await port.listAppointments(childId)).toEqual([]);
    });
  });
}
