import { fleetWorkerOptions, jobOptions, JobName, QueueName, type Logger, type RedisClient } from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import type { OwnerAlertPort } from '../dialog/owner-alert-port.js';
import type { ReplySender } from '../pipeline/ports.js';
import { ownerAlertProcessor } from '../processors/owner-alert.processor.js';
import { OwnerAlertService, ownerAlertJobId, type OwnerAlertHooks, type OwnerAlertJob } from './owner-alerts.js';

export interface OwnerAlertsOptions {
  redis: RedisClient;
  queuePrefix: string;
  sender: ReplySender;
  logger: Logger;
  templateName: string;
  templateLanguage: string;
  hooks?: OwnerAlertHooks;
  stalledIntervalMs: number;
  lockDurationMs: number;
}

export interface RunningOwnerAlerts {
  /** What the dialog is given. */
  port: OwnerAlertPort;
  queue: Queue<OwnerAlertJob>;
  close(): Promise<void>;
}

/**
 * The owner alerts of one worker process: the dialog adds a job, any worker
 * sends it. A queue rather than a send inside the turn, so the stranger's
 * reply neither waits for nor fails with the owner's message.
 */
export function startOwnerAlerts(o: OwnerAlertsOptions): RunningOwnerAlerts {
  const log = o.logger.child({ component: 'owner-alerts' });
  const queue = new Queue<OwnerAlertJob>(QueueName.IdentityAlerts, { connection: o.redis, prefix: o.queuePrefix });
  queue.on('error', (err) => log.warn({ err: err.message }, 'identity-alerts queue error'));
  const service = new OwnerAlertService(
    { sender: o.sender, logger: log, ...(o.hooks ? { hooks: o.hooks } : {}) },
    { name: o.templateName, language: o.templateLanguage },
  );
  const worker = new Worker<OwnerAlertJob>(QueueName.IdentityAlerts, ownerAlertProcessor(service), {
    connection: o.redis,
    prefix: o.queuePrefix,
    concurrency: 2,
    stalledInterval: o.stalledIntervalMs,
    lockDuration: o.lockDurationMs,
    ...fleetWorkerOptions(),
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'identity-alerts worker error'));
  worker.on('failed', (job, err) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn({ attempts: job?.attemptsMade, final, err: err.message }, 'owner alert job failed');
    if (final) o.hooks?.failed(String((err as { graphCode?: string | number }).graphCode ?? 'error'));
  });
  const port: OwnerAlertPort = {
    alert: async (owner, attemptId) => {
      await queue.add(JobName.OwnerAlert, { owner, attemptId }, { ...jobOptions[JobName.OwnerAlert], jobId: ownerAlertJobId(attemptId) });
    },
    suppressed: () => o.hooks?.suppressed(),
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await worker.close().catch((err) => log.warn({ err }, 'identity-alerts worker close failed'));
      await queue.close().catch(() => undefined);
    })());
  return { port, queue, close };
}
