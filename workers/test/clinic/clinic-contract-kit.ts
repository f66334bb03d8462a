import type { ClinicPort, Slot, SPECIALTY_CODES } from '../../src/clinic/clinic-port.js';

export interface ContractSubject {
  port: ClinicPort;
  close(): Promise<void>;
}

export interface ContractOptions {
  /** The adapter's minimum lead time (SLOT_MIN_LEAD_MINUTES); default 0. */
  minLeadMinutes?: number;
}

/** Opens a fresh, seeded store whose clock reads FIXED_NOW (demo data + 50 extra patients pac-t000..pac-t049). */
export type OpenSubject = (opts?: ContractOptions) => Promise<ContractSubject>;

export const HOUR = 3600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

/** La Paz has no daylight saving: clinic-local time is UTC-4 all year. */
export const laPaz = (isoInstant: string) => {
  const d = new Date(Date.parse(isoInstant) - 4 * HOUR);
  return { day: d.toISOString().slice(0, 10), minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
};

/** The n-th free slot of a specialty, and a booking with per-patient defaults, on the test's port. */
export function slotHelpers(portOf: () => ClinicPort) {
  async function firstFreeSlot(specialty: (typeof SPECIALTY_CODES)[number] = 'cardiologia', skip = 0): Promise<Slot> {
    const { slots } = await portOf().listFreeSlots({ specialty, page: 1, pageSize: 10 });
    const slot = slots[skip];
    if (!slot) throw new Error('seed produced no free slot');
    return slot;
  }

  const book = (slot: Slot, patientId: string, holderId = `session-${patientId}`, idempotencyKey = `turn-${patientId}-${slot.id}`) =>
    portOf().book({ slotId: slot.id, patientId, holderId, idempotencyKey });

  return { firstFreeSlot, book };
}
