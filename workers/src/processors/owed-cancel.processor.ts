import { JobName } from '@medcita/shared';
import { UnrecoverableError, type Job } from 'bullmq';
import type { OwedCancelJob } from '../owed-cancels/owed-cancel-job.js';
import type { OwedCancelService } from '../owed-cancels/owed-cancel-service.js';

/** BullMQ processor for the `owed-cancels` queue: each job cancels one replaced appointment (docs/dialog.md, "Booking outcome"). */
export function owedCancelProcessor(service: OwedCancelService) {
  return async (job: Job<OwedCancelJob>): Promise<unknown> => {
    if (job.name === JobName.OwedCancel) return service.settle(job.data);
    throw new UnrecoverableError(`unknown owed-cancels job ${job.name}`);
  };
}
