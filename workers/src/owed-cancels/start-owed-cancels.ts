import { fleetWorkerOptions, jobOptions, JobName, QueueName, type Logger, type RedisClient } from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import type { ClinicPort } from '../clinic/index.js';
import type { OwedCancelPort } from '../dialog/owed-cancel-port.js';
import { owedCancelProcessor } from '../processors/owed-cancel.processor.js';
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
  const queue = new Queue<OwedCancelJob>(QueueName.OwedCancels, { connection: o.redis, prefix: o.queuePrefix });
  queue.on('error', (err) => log.warn({ err: err.message }, 'owed-cancels queue error'));
  const service = new OwedCancelService({ clinic: o.clinic, logger: log, ...(o.hooks ? { hooks: o.hooks } : {}) });
  const worker = new Worker<OwedCancelJob>(QueueName.OwedCancels, owedCancelProcessor(service), {
    connection: o.redis,
    prefix: o.queuePrefix,
    concurrency: 2,
    stalledInterval: o.stalledIntervalMs,
    lockDuration: o.lockDurationMs,
    ...fleetWorkerOptions(),
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'owed-cancels worker error'));
  worker.on('failed', (job, err) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn({ attempts: job?.attemptsMade, final, err: err.message }, 'owed cancel try failed');
    if (final) o.hooks?.gaveUp();
  });
  const options = jobOptions[JobName.OwedCancel](o.firstRetryMs);
  const port: OwedCancelPort = {
    owe: async ({ appointmentId, patientId }) => {
      await queue.add(JobName.OwedCancel, { appointmentId, patientId }, { ...options, jobId: owedCancelJobId(appointmentId) });
    },
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await worker.close().catch((err) => log.warn({ err }, 'owed-cancels worker close failed'));
      await queue.close().catch(() => undefined);
    })());
  return { port, queue, close };
}
