import { fleetWorkerOptions, fleetKeys, JobName, jobOptions, QueueName, type Logger, type RedisClient } from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import type { ClinicPort } from '../clinic/index.js';
import type { DialogTexts } from '../dialog/locale/es.js';
import type { ReplySender } from '../pipeline/ports.js';
import { remindersProcessor } from '../processors/reminders.processor.js';
import { FailedStatusWatcher } from './failed-status-watcher.js';
import type { SendReminderJob } from './reminder-job.js';
import { ReminderService, type ReminderMetricsHooks } from './reminder-service.js';
import { ReminderStore } from './reminder-store.js';

/** One schedule for the whole fleet: every worker upserts the same id, BullMQ keeps one. */
export const REMINDER_SCHEDULER_ID = 'reminder-tick';

export interface RemindersOptions {
  redis: RedisClient;
  queuePrefix: string;
  keyPrefix: string;
  clinic: ClinicPort;
  sender: ReplySender;
  texts: DialogTexts;
  logger: Logger;
  metrics?: ReminderMetricsHooks;
  phoneNumberId: string;
  intervalSeconds: number;
  leadHours: number;
  minNoticeMinutes: number;
  templateName: string;
  templateLanguage: string;
  timeZone: string;
  stalledIntervalMs: number;
  /** BullMQ lock of a running reminder job (a dead worker's job is retried after about this). */
  lockDurationMs?: number;
  concurrency?: number;
  /** Failed-status entries left pending this long by a dead worker are taken over. */
  statusClaimIdleMs?: number;
  clock?: () => number;
}

export interface RunningReminders {
  queue: Queue;
  worker: Worker;
  service: ReminderService;
  store: ReminderStore;
  close(): Promise<void>;
}

/**
 * Starts the reminder parts of one worker process: upserts the fleet-wide
 * tick schedule, processes the `reminders` queue (ticks and sends), and
 * follows the ingress's failed-status stream (`<prefix>:statuses:failed`,
 * written by StatusRecorder) through a consumer group, so each failed status
 * is handled by one worker and one left pending by a dead worker is claimed
 * by another.
 */
export async function startReminders(o: RemindersOptions): Promise<RunningReminders> {
  const log = o.logger.child({ component: 'reminders' });
  const clock = o.clock ?? Date.now;
  const queue = new Queue(QueueName.Reminders, { connection: o.redis, prefix: o.queuePrefix });
  queue.on('error', (err) => log.warn({ err: err.message }, 'reminders queue error'));
  const store = new ReminderStore(o.redis, o.keyPrefix);
  const service = new ReminderService(
    {
      clinic: o.clinic,
      sender: o.sender,
      store,
      redis: o.redis,
      texts: o.texts,
      logger: o.logger,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      queue: {
        add: (name, data, opts) =>
          queue.add(name, data, {
            jobId: opts.jobId,
            ...jobOptions[JobName.SendReminder],
          }),
      },
    },
    {
      phoneNumberId: o.phoneNumberId,
      leadMs: o.leadHours * 3_600_000,
      minNoticeMs: o.minNoticeMinutes * 60_000,
      intervalMs: o.intervalSeconds * 1000,
      templateName: o.templateName,
      templateLanguage: o.templateLanguage,
      timeZone: o.timeZone,
      keyPrefix: o.keyPrefix,
    },
  );

  await queue.upsertJobScheduler(
    REMINDER_SCHEDULER_ID,
    { every: o.intervalSeconds * 1000 },
    {
      name: JobName.ReminderTick,
      data: {},
      opts: jobOptions[JobName.ReminderTick],
    },
  );

  const worker = new Worker(QueueName.Reminders, remindersProcessor(service, clock), {
    connection: o.redis,
    prefix: o.queuePrefix,
    concurrency: o.concurrency ?? 4,
    stalledInterval: o.stalledIntervalMs,
    lockDuration: o.lockDurationMs ?? 30_000,
    maxStalledCount: 3,
    ...fleetWorkerOptions(),
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'reminders worker error'));
  worker.on('failed', (job, err) => {
    const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn({ jobId: job?.id, name: job?.name, attempts: job?.attemptsMade, final, err: err.message }, 'reminders job failed');
    if (final && job?.name === JobName.SendReminder) {
      // The Graph error code when Meta gave one (GraphSendError.graphCode), else the error's own code.
      const e = err as { graphCode?: string | number; code?: string | number };
      o.metrics?.failed((job.data as SendReminderJob).kind, String(e.graphCode ?? e.code ?? 'error'));
    }
  });

  const watcher = new FailedStatusWatcher(o.redis, fleetKeys(o.keyPrefix).failedStatuses, service, log, o.statusClaimIdleMs ?? 60_000);
  await watcher.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await watcher.stop();
      await worker.close().catch((err) => log.warn({ err }, 'reminders worker close failed'));
      await queue.close().catch((err) => log.warn({ err }, 'reminders queue close failed'));
    })());
  return { queue, worker, service, store, close };
}
