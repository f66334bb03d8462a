import { JobName } from '@medcita/shared';
import { UnrecoverableError, type Job } from 'bullmq';
import type { OwnerAlertJob, OwnerAlertService } from '../identity-alert/owner-alerts.js';

/** BullMQ processor for the `identity-alerts` queue: each job tells one registered phone (docs/dialog.md, "Identity"). */
export function ownerAlertProcessor(service: OwnerAlertService) {
  return async (job: Job<OwnerAlertJob>): Promise<unknown> => {
    if (job.name === JobName.OwnerAlert) return service.send(job.data);
    throw new UnrecoverableError(`unknown identity-alerts job ${job.name}`);
  };
}
