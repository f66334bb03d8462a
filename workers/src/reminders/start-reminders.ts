import { randomUUID } from 'node:crypto';
import { JobName, QueueName, type Logger, type RedisClient } from '@medcita/shared';
import { Queue, UnrecoverableError as BullUnrecoverable, Worker, type Job } from 'bullmq';
import type { ClinicPort } from '../clinic/index.js';
import type { DialogTexts } from '../dialog/locale/es.js';
import type { ReplySender } from '../pipeline/ports.js';
import { ReminderService, type ReminderMetricsHooks, type SendReminderJob } from './reminder-service.js';
import { ReminderStore } from './reminder-store.js';

/** One schedule for the whole fleet: every worker upserts the same id, BullMQ keeps one. */
export const REMINDER_SCHEDULER_ID = 'reminder-tick';
/** Consumer group of the workers on the ingress's failed-status stream. */
export const STATUS_GROUP = 'reminders';

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
            attempts: 6,
            backoff: { type: 'exponential', delay: 5_000 },
            removeOnComplete: { age: 7 * 86_400 },
            removeOnFail: { age: 30 * 86_400 },
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
    { name: JobName.ReminderTick, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 100, removeOnFail: 100 } },
  );

  const worker = new Worker(
    QueueName.Reminders,
    async (job: Job) => {
      if (job.name === JobName.ReminderTick) return service.tick(clock());
      if (job.name === JobName.SendReminder) return service.send(job.data as SendReminderJob, clock());
      throw new BullUnrecoverable(`unknown reminders job ${job.name}`);
    },
    {
      connection: o.redis,
      prefix: o.queuePrefix,
      concurrency: o.concurrency ?? 4,
      stalledInterval: o.stalledIntervalMs,
      lockDuration: o.lockDurationMs ?? 30_000,
      maxStalledCount: 3,
    },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'reminders worker error'));
  worker.on('failed', (job, err) => {
    const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn({ jobId: job?.id, name: job?.name, attempts: job?.attemptsMade, final, err: err.message }, 'reminders job failed');
    if (final && job?.name === JobName.SendReminder) {
      // The Graph error code when Meta gave one (GraphSendError.graphCode), else the error's own code.
      const e = err as { graphCode?: unknown; code?: unknown };
      o.metrics?.failed((job.data as SendReminderJob).kind, String(e.graphCode ?? e.code ?? 'error'));
    }
  });

  const watcher = new FailedStatusWatcher(o.redis, `${o.keyPrefix}:statuses:failed`, service, log, o.statusClaimIdleMs ?? 60_000);
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

type StreamEntry = [id: string, fields: string[]];

/** Reads the failed-status stream through a consumer group on its own (blocking) connection. */
class FailedStatusWatcher {
  private readonly consumer = `w-${randomUUID()}`;
  private conn: RedisClient | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly stream: string,
    private readonly service: ReminderService,
    private readonly log: Logger,
    private readonly claimIdleMs: number,
  ) {}

  async start(): Promise<void> {
    try {
      // '$': statuses from now on; earlier failures are already in the operators' view.
      await this.redis.xgroup('CREATE', this.stream, STATUS_GROUP, '$', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.conn = this.redis.duplicate() as RedisClient;
    this.conn.on('error', (err: Error) => this.log.warn({ err: err.message }, 'status watcher redis error'));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.conn?.disconnect();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (!this.stopping) {
      try {
        if (Date.now() - lastClaim > this.claimIdleMs / 2) {
          lastClaim = Date.now();
          const claimed = (await this.redis.xautoclaim(this.stream, STATUS_GROUP, this.consumer, this.claimIdleMs, '0-0', 'COUNT', 50)) as [string, StreamEntry[]];
          await this.handle(claimed[1] ?? []);
        }
        const res = (await this.conn!.xreadgroup('GROUP', STATUS_GROUP, this.consumer, 'COUNT', 50, 'BLOCK', 2_000, 'STREAMS', this.stream, '>')) as
          | [string, StreamEntry[]][]
          | null;
        for (const [, entries] of res ?? []) await this.handle(entries);
      } catch (err) {
        if (this.stopping) return;
        this.log.warn({ err: (err as Error).message }, 'status watcher failed; retrying');
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  private readonly failures = new Map<string, number>();

  /** Acks each entry once handled; one that keeps failing is left pending (claimed again later), then dropped after 5 tries. */
  private async handle(entries: StreamEntry[]): Promise<void> {
    for (const [id, fields] of entries) {
      if (fields) {
        const get = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
        const messageId = get('messageId');
        try {
          if (messageId) await this.service.onFailedStatus(messageId, get('codes').split(',').filter(Boolean));
        } catch (err) {
          const tries = (this.failures.get(id) ?? 0) + 1;
          this.failures.set(id, tries);
          this.log.warn({ entry: id, tries, err: (err as Error).message }, 'failed-status handling failed');
          if (tries < 5) continue;
        }
      } // no fields: trimmed by MAXLEN while pending
      this.failures.delete(id);
      await this.redis.xack(this.stream, STATUS_GROUP, id);
    }
  }
}
