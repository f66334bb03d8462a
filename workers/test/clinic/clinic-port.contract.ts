import type { ClinicPort } from '../../src/clinic/clinic-port.js';
import { describeAppointmentsContract } from './appointments.contract.js';
import { describeClinicInformationContract } from './clinic-information.contract.js';
import type { ContractSubject, OpenSubject } from './clinic-contract-kit.js';
import { describePatientRecordsContract } from './patient-records.contract.js';
import { describeSlotBookingContract } from './slot-booking.contract.js';
import { describeSlotListingContract } from './slot-listing.contract.js';

export type { ContractOptions, ContractSubject } from './clinic-contract-kit.js';

/**
 * What every ClinicPort adapter must do, written once and run against each
 * adapter. `open` builds a fresh, seeded store whose clock reads FIXED_NOW
 * (demo data + 50 extra patients pac-t000..pac-t049).
 */
export function describeClinicPortContract(name: string, open: OpenSubject): void {
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

    describeClinicInformationContract(() => port);
    describeSlotListingContract(() => port);
    describeSlotBookingContract(() => port, open);
    describeAppointmentsContract(() => port);

    describePatientRecordsContract(() => port);

    it('reports healthy', async () => {
      expect(await port.health()).toEqual(expect.objectContaining({ ok: true }));
    });
  });
}
