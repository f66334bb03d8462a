import { JobName } from '@medcita/shared';
import { UnrecoverableError, type Job } from 'bullmq';
import type { SendReminderJob } from '../reminders/reminder-job.js';
import type { ReminderService } from '../reminders/reminder-service.js';

/**
 * BullMQ processor for the `reminders` queue: the fleet-wide tick looks for
 * appointments to remind, each send reminds one (docs/reminders.md).
 */
export function remindersProcessor(service: ReminderService, clock: () => number) {
  return async (job: Job): Promise<unknown> => {
    if (job.name === JobName.ReminderTick) return service.tick(clock());
    if (job.name === JobName.SendReminder) return service.send(job.data as SendReminderJob, clock());
    throw new UnrecoverableError(`unknown reminders job ${job.name}`);
  };
}
