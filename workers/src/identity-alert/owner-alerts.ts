import {
  jobOptions,
  JobName,
  QueueName,
  UnrecoverableError,
  WORKER_METRICS,
  type Logger,
  type RedisClient,
  type SessionAddress,
} from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import { createHash } from 'node:crypto';
import type { OwnerAlertPort } from '../dialog/owner-alert-port.js';
import type { ReplySender } from '../pipeline/ports.js';
import { ownerAlertProcessor } from '../processors/owner-alert.processor.js';

/** Payload of an OwnerAlert job: who is told, and the attempt that claimed the alert. */
export interface OwnerAlertJob {
  owner: SessionAddress;
  attemptId: string;
}

export interface OwnerAlertHooks {
  sent(): void;
  suppressed(): void;
  failed(code: string): void;
}

/** Graph idempotency key of an alert (the send ledger's key): one message per claiming attempt. */
export function ownerAlertSendKey(attemptId: string): string {
  return `identity-alert:${attemptId}`;
}

/** BullMQ job id of an alert: deterministic per attempt (BullMQ refuses ':' in custom ids, so a digest). */
export function ownerAlertJobId(attemptId: string): string {
  return `owner-alert-${createHash('sha256').update(attemptId).digest('hex').slice(0, 32)}`;
}

/**
 * Sends the owner alert, an approved template without parameters: it says
 * only that the document was tried from another number, never which number
 * or which document. Exactly once per claiming attempt: the job id absorbs a
 * retried turn's second add, and the Graph client's send ledger (idempotency
 * key per attempt) stops a second send even when the job ran twice.
 */
export class OwnerAlertService {
  constructor(
    private readonly deps: { sender: ReplySender; logger: Logger; hooks?: OwnerAlertHooks },
    private readonly template: { name: string; language: string },
  ) {}

  async send(job: OwnerAlertJob): Promise<'sent' | 'already_sent' | 'taken_over' | 'failed'> {
    let result: { messageId: string | null; skipped: boolean };
    try {
      result = await this.deps.sender.send(
        job.owner,
        { kind: 'template', name: this.template.name, language: this.template.language, bodyParams: [] },
        { idempotencyKey: ownerAlertSendKey(job.attemptId) },
      );
    } catch (err) {
      if (!(err instanceof UnrecoverableError)) throw err;
      // e.g. 131026 (the phone is not on WhatsApp), 132001 (template missing): retrying cannot help.
      this.deps.hooks?.failed(err.code);
      this.deps.logger.warn({ code: err.code, err: err.message }, 'owner alert rejected; not retrying');
      return 'failed';
    }
    if (result.messageId === null) return 'taken_over';
    if (result.skipped) return 'already_sent';
    this.deps.hooks?.sent();
    this.deps.logger.info('owner alert sent');
    return 'sent';
  }
}

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
    metrics: WORKER_METRICS,
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
