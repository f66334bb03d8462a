import type { PendingCancel } from './dialog-state.js';

/**
 * What the dialog needs so that a reschedule's old appointment is cancelled
 * even when the patient never writes again (docs/dialog.md, "Booking
 * outcome"): the turns still retry it first, this keeps trying in between.
 */
export interface OwedCancelPort {
  /** Queues background retries of the cancel; idempotent per appointment, so a retried turn queues one. */
  owe(pending: PendingCancel): Promise<void>;
}
