import { jobOptions, JobName, QueueName, type Logger, type RedisClient } from '@medcita/shared';
import type { Queue } from 'bullmq';
import type { OwnerAlertPort } from '../dialog/owner-alert-port.js';
import type { ReplySender } from '../pipeline/ports.js';
import { ownerAlertProcessor } from '../processors/owner-alert.processor.js';
import { startQueueWorker } from '../processors/start-queue-worker.js';
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
  const service = new OwnerAlertService(
    { sender: o.sender, logger: log, ...(o.hooks ? { hooks: o.hooks } : {}) },
    { name: o.templateName, language: o.templateLanguage },
  );
  const { queue, close } = startQueueWorker<OwnerAlertJob>({
    name: QueueName.IdentityAlerts,
    redis: o.redis,
    queuePrefix: o.queuePrefix,
    logger: log,
    processor: ownerAlertProcessor(service),
    concurrency: 2,
    stalledIntervalMs: o.stalledIntervalMs,
    lockDurationMs: o.lockDurationMs,
    onFinalFailure: (_job, err) => o.hooks?.failed(String((err as { graphCode?: string | number }).graphCode ?? 'error')),
  });
  const port: OwnerAlertPort = {
    alert: async (owner, attemptId) => {
      await queue.add(JobName.OwnerAlert, { owner, attemptId }, { ...jobOptions[JobName.OwnerAlert], jobId: ownerAlertJobId(attemptId) });
    },
    suppressed: () => o.hooks?.suppressed(),
  };
  return { port, queue, close };
}
