import { fleetWorkerOptions, type Logger, type QueueName, type RedisClient } from '@medcita/shared';
import { Queue, Worker, type Job, type Processor } from 'bullmq';

export interface QueueWorkerOptions<T> {
  name: QueueName;
  redis: RedisClient;
  queuePrefix: string;
  /** The owning component's logger; queue and worker errors are logged as warnings, named after the queue. */
  logger: Logger;
  processor: Processor<T>;
  concurrency: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
  /** A job failed for good: its last attempt, or an UnrecoverableError (BullMQ keeps it in the failed list). */
  onFinalFailure?: (job: Job<T>, err: Error) => void;
}

export interface RunningQueueWorker<T> {
  queue: Queue<T>;
  close: () => Promise<void>;
}

/**
 * A side queue of the worker process and the BullMQ worker that runs its
 * jobs, named as the fleet names its workers, with its errors and failed
 * attempts logged; `close` stops the worker (running jobs finish) and then
 * the queue, once however often it is called.
 */
export function startQueueWorker<T>(o: QueueWorkerOptions<T>): RunningQueueWorker<T> {
  const queue = new Queue<T>(o.name, { connection: o.redis, prefix: o.queuePrefix });
  queue.on('error', (err) => o.logger.warn({ err: err.message }, `${o.name} queue error`));
  const worker = new Worker<T>(o.name, o.processor, {
    connection: o.redis,
    prefix: o.queuePrefix,
    concurrency: o.concurrency,
    stalledInterval: o.stalledIntervalMs,
    lockDuration: o.lockDurationMs,
    ...fleetWorkerOptions(),
  });
  worker.on('error', (err) => o.logger.warn({ err: err.message }, `${o.name} worker error`));
  worker.on('failed', (job, err) => {
    // As BullMQ decides: out of attempts, or an error it never retries.
    const final = job !== undefined && (job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError');
    o.logger.warn({ attempts: job?.attemptsMade, final, err: err.message }, `${o.name} job failed`);
    if (final) o.onFinalFailure?.(job, err);
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await worker.close().catch((err) => o.logger.warn({ err }, `${o.name} worker close failed`));
      await queue.close().catch(() => undefined);
    })());
  return { queue, close };
}
