import { createHash } from 'node:crypto';

/** Payload of an OwedCancel job: the appointment a reschedule replaced, and who may cancel it. */
export interface OwedCancelJob {
  appointmentId: string;
  patientId: string;
}

/** BullMQ job id of an owed cancel: one per appointment (BullMQ refuses ':' in custom ids, and the id is the clinic's, so a digest). */
export function owedCancelJobId(appointmentId: string): string {
  return `owed-cancel-${createHash('sha256').update(appointmentId).digest('hex').slice(0, 32)}`;
}
