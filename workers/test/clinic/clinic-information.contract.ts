import { SPECIALTY_CODES, type ClinicPort } from '../../src/clinic/clinic-port.js';

/**
 * Patients by document, the specialties, and what the clinic tells about
 * itself: part of the ClinicPort contract (run inside
 * describeClinicPortContract, against every adapter).
 */
export function describeClinicInformationContract(portOf: () => ClinicPort): void {
  // The store is opened per test (describeClinicPortContract's beforeEach, which runs first).
  let port: ClinicPort;
  beforeEach(() => {
    port = portOf();
  });

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
}
