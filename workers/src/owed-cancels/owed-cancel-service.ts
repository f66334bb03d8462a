import type { Logger } from '@medcita/shared';
import type { ClinicPort } from '../clinic/index.js';
import type { OwedCancelJob } from './owed-cancel-job.js';

/** `cancelled`: done now; `gone`: nothing left to cancel (a turn or an operator did it, or it is too late to). */
export type OwedCancelOutcome = 'cancelled' | 'gone';

export interface OwedCancelHooks {
  settled(outcome: OwedCancelOutcome): void;
  /** The last try failed: the old appointment stays booked until someone cancels it by hand. */
  gaveUp(): void;
}

/**
 * Cancels one appointment a reschedule replaced. A clinic that still does not
 * answer throws, and BullMQ tries again later (jobOptions: 12 tries, waits
 * doubling). Runs outside the session lock: the session's own turns retry the
 * same cancel, and whichever comes second finds it gone, which both take as
 * settled (a cancel is idempotent in its effect).
 */
export class OwedCancelService {
  constructor(private readonly deps: { clinic: ClinicPort; logger: Logger; hooks?: OwedCancelHooks }) {}

  async settle(job: OwedCancelJob): Promise<OwedCancelOutcome> {
    const result = await this.deps.clinic.cancelAppointment({ appointmentId: job.appointmentId, patientId: job.patientId });
    const outcome: OwedCancelOutcome = result.ok ? 'cancelled' : 'gone';
    this.deps.hooks?.settled(outcome);
    this.deps.logger.info({ outcome, ...(result.ok ? {} : { reason: result.reason }) }, 'owed cancel settled');
    return outcome;
  }
}
