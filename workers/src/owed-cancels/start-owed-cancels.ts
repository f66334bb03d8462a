import { jobOptions, JobName, QueueName, type Logger, type RedisClient } from '@medcita/shared';
import type { Queue } from 'bullmq';
import type { ClinicPort } from '../clinic/index.js';
import type { OwedCancelPort } from '../dialog/owed-cancel-port.js';
import { owedCancelProcessor } from '../processors/owed-cancel.processor.js';
import { startQueueWorker } from '../processors/start-queue-worker.js';
import { owedCancelJobId, type OwedCancelJob } from './owed-cancel-job.js';
import { OwedCancelService, type OwedCancelHooks } from './owed-cancel-service.js';

export interface OwedCancelsOptions {
  redis: RedisClient;
  queuePrefix: string;
  clinic: ClinicPort;
  logger: Logger;
  /** OWED_CANCEL_RETRY_SECONDS, in ms: the first try's delay, and the base of the doubling waits. */
  firstRetryMs: number;
  hooks?: OwedCancelHooks;
  stalledIntervalMs: number;
  lockDurationMs: number;
}

export interface RunningOwedCancels {
  /** What the dialog is given. */
  port: OwedCancelPort;
  queue: Queue<OwedCancelJob>;
  close(): Promise<void>;
}

/**
 * The owed cancels of one worker process: the dialog adds a delayed job when
 * a reschedule's cancel got no answer, any worker retries it. Without it a
 * patient who never wrote again kept both appointments.
 */
export function startOwedCancels(o: OwedCancelsOptions): RunningOwedCancels {
  const log = o.logger.child({ component: 'owed-cancels' });
  const service = new OwedCancelService({ clinic: o.clinic, logger: log, ...(o.hooks ? { hooks: o.hooks } : {}) });
  const { queue, close } = startQueueWorker<OwedCancelJob>({
    name: QueueName.OwedCancels,
    redis: o.redis,
    queuePrefix: o.queuePrefix,
    logger: log,
    processor: owedCancelProcessor(service),
    concurrency: 2,
    stalledIntervalMs: o.stalledIntervalMs,
    lockDurationMs: o.lockDurationMs,
    onFinalFailure: () => o.hooks?.gaveUp(),
  });
  const options = jobOptions[JobName.OwedCancel](o.firstRetryMs);
  const port: OwedCancelPort = {
    owe: async ({ appointmentId, patientId }) => {
      await queue.add(JobName.OwedCancel, { appointmentId, patientId }, { ...options, jobId: owedCancelJobId(appointmentId) });
    },
  };
  return { port, queue, close };
}
