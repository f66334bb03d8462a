import {
  fleetWorkerOptions,
  LogEvent,
  closeHttpServer,
  connectRedis,
  QueueName,
  queueTelemetry,
  SessionRateLimit,
  SessionTurns,
  TurnScheduler,
  type Logger,
  type RedisClient,
  type SessionTurnJob,
} from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { createClinicBackend, type ClinicPort } from './clinic/index.js';
import { buildTurnHandler } from './compose-turn-handler.js';
import type { WorkerConfig } from './config.js';
import { es } from './dialog/index.js';
import type { ReminderPort } from './dialog/reminder-port.js';
import type { TurnTranscript } from './handoff/index.js';
import { instrumentClinic } from './ops/instrument.js';
import { startOpsServer } from './ops/ops-server.js';
import { WorkerMetrics } from './ops/worker-metrics.js';
import { pipelineTextsEs } from './pipeline/pipeline-texts.js';
import type { ReplySender, TurnHandler } from './pipeline/ports.js';
import { TurnJournal } from './pipeline/turn-journal.js';
import { TurnRunner } from './pipeline/turn-runner.js';
import { sessionTurnProcessor } from './processors/session-turn.processor.js';
import { ReminderStore, startReminders, type RunningReminders } from './reminders/index.js';
import { GraphClient } from './whatsapp/graph-client.js';
import { WORKER_CONNECTION } from './worker-connection.js';

export interface RunningWorker {
  worker: Worker<SessionTurnJob>;
  redis: RedisClient;
  ops: Server;
  opsPort: number;
  registry: Registry;
  metrics: WorkerMetrics;
  /** The one clinic port of this process (dialog and reminders share it, and its circuit breaker), when either needs one. */
  clinic: ClinicPort | undefined;
  /** Stops taking jobs, lets running turns finish, closes connections; idempotent. */
  close(): Promise<void>;
}

/**
 * The composition root of a worker process: every part is built here, once,
 * in dependency order, and closed in the reverse order. Nothing below this
 * file constructs its own collaborators (docs/architecture.md).
 */
export async function composeWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const redis = connectRedis(config, WORKER_CONNECTION);
  redis.on('error', (err) => logger.warn({ err }, LogEvent.RedisConnectionError));
  const metrics = new WorkerMetrics();

  const sender = new GraphClient({
    baseUrl: config.GRAPH_API_URL,
    version: config.GRAPH_API_VERSION,
    accessToken: config.WHATSAPP_ACCESS_TOKEN,
    timeoutMs: config.GRAPH_TIMEOUT_MS,
    statusWaitMs: config.GRAPH_STATUS_WAIT_MS,
    maxAttempts: config.GRAPH_MAX_ATTEMPTS,
    redis,
    keyPrefix: config.KEY_PREFIX,
    limiter: { perSecond: config.SEND_RATE_PER_SECOND },
    logger,
    onRequest: metrics.onGraphRequest,
    onUnknownOutcomeResend: metrics.onUnknownOutcomeResend,
    onSentNotRecorded: metrics.onSentNotRecorded,
  });

  const clinic = config.TURN_HANDLER === 'dialog' || config.REMINDERS_ENABLED ? buildClinic(config, logger, redis, metrics) : undefined;
  // The builtin store seeds its slot window here and at each midnight, not in the first turn of the day.
  await clinic?.start?.().catch((err: Error) => logger.warn({ err: err.message }, 'clinic start failed; its first call will retry'));

  // Reminders (docs/reminders.md): the dialog's view of what was reminded. Every
  // worker reads reminder replies, whatever its REMINDERS_ENABLED: a tap may land
  // on any worker of the fleet, not only on one that sends reminders.
  const reminderPort: ReminderPort = Object.assign(new ReminderStore(redis, config.KEY_PREFIX), { onReply: metrics.onReminderReply });

  const conversation = await buildTurnHandler(config, logger, redis, metrics, clinic, reminderPort, sender);

  // The fleet-wide reminder tick, the sends and the failed-status watcher.
  let reminders: RunningReminders | undefined;
  if (config.REMINDERS_ENABLED) {
    reminders = await startReminders({
      redis,
      queuePrefix: config.QUEUE_PREFIX,
      keyPrefix: config.KEY_PREFIX,
      clinic: clinic!,
      sender,
      texts: es,
      logger,
      metrics: metrics.reminderHooks,
      phoneNumberId: config.REMINDER_PHONE_NUMBER_ID!,
      intervalSeconds: config.REMINDER_INTERVAL_SECONDS,
      leadHours: config.REMINDER_LEAD_HOURS,
      minNoticeMinutes: config.REMINDER_MIN_NOTICE_MINUTES,
      templateName: config.REMINDER_TEMPLATE_NAME,
      templateLanguage: config.REMINDER_TEMPLATE_LANGUAGE,
      timeZone: config.CLINIC_TIMEZONE,
      stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
      lockDurationMs: config.SESSION_LOCK_TTL_MS,
    });
    logger.info({ intervalSeconds: config.REMINDER_INTERVAL_SECONDS, leadHours: config.REMINDER_LEAD_HOURS }, 'reminders running');
  }

  const turns = buildTurnWorker(config, logger, redis, metrics, conversation.handler, sender, conversation.transcript);

  const registry = metrics.registry;
  const ops = await startOpsServer({
    port: config.METRICS_PORT,
    registry,
    ready: async () => (conversation.ready?.() ?? true) && (await redisAnswers(redis)),
  });
  const opsPort = (ops.address() as { port: number }).port;
  logger.info({ opsPort }, 'ops server listening (/metrics, /healthz, /readyz)');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Stop taking work first, then what the work used; each step runs even if one before it failed.
      const step = (what: string, fn: () => Promise<unknown> | undefined) =>
        Promise.resolve(fn()).catch((err: unknown) => logger.warn({ err }, `${what} close failed`));
      await step('worker', () => turns.worker.close());
      await step('queue', () => turns.queue.close());
      await step('reminders', () => reminders?.close());
      await step('conversation', () => conversation.close?.());
      await step('clinic', () => clinic?.stop?.());
      await closeHttpServer(ops);
      await redis.quit().catch(() => redis.disconnect());
    })());
  return { worker: turns.worker, redis, ops, opsPort, registry, metrics, clinic, close };
}

/** The clinic port selected by CLINIC_BACKEND, instrumented, its breaker state on /metrics. */
function buildClinic(config: WorkerConfig, logger: Logger, redis: RedisClient, metrics: WorkerMetrics): ClinicPort {
  const clinic = createClinicBackend(config, { redis, logger, onBreakerStateChange: metrics.onClinicBreakerState });
  if (config.CLINIC_BACKEND === 'http') metrics.onClinicBreakerState('closed');
  return instrumentClinic(clinic, metrics);
}

/** The turn runner behind the BullMQ worker of the session-turns queue. */
function buildTurnWorker(
  config: WorkerConfig,
  logger: Logger,
  redis: RedisClient,
  metrics: WorkerMetrics,
  handler: TurnHandler,
  sender: ReplySender,
  transcript: TurnTranscript | undefined,
): { queue: Queue<SessionTurnJob>; worker: Worker<SessionTurnJob> } {
  const turns = new SessionTurns(redis, {
    keyPrefix: config.KEY_PREFIX,
    lockTtlMs: config.SESSION_LOCK_TTL_MS,
    maxBatch: config.TURN_MAX_BATCH,
    // Kept a day past the idle timeout so the dialog can tell "expired" from "new".
    stateTtlSeconds: config.SESSION_TTL_SECONDS + 86_400,
    historyCap: config.HISTORY_CAP,
  });
  const journal = new TurnJournal(redis, {
    keyPrefix: config.KEY_PREFIX,
    maxLength: 100_000,
    maxAgeMs: config.AUDIT_MAX_AGE_DAYS * 86_400_000,
  });
  const runner = new TurnRunner(
    {
      turns,
      handler,
      sender,
      journal,
      logger,
      texts: pipelineTextsEs,
      ...(transcript ? { transcript } : {}),
      rateLimit: new SessionRateLimit({
        limit: config.SESSION_RATE_LIMIT_PER_MINUTE,
        windowMs: 60_000,
        // One window's worth can wait: every deferred message is then handled
        // within about a minute (docs/operations.md, "Rate limits").
        backlogMax: config.SESSION_RATE_LIMIT_PER_MINUTE,
      }),
      onTurn: metrics.onTurn,
      onRateLimited: (n) => metrics.rateLimited.inc(n),
      onRateDiscarded: (n) => metrics.rateDiscarded.inc(n),
    },
    { lockTtlMs: config.SESSION_LOCK_TTL_MS, maxBatchAttempts: config.TURN_MAX_ATTEMPTS, maxBatchesPerJob: 10 },
  );

  const queue = new Queue<SessionTurnJob>(QueueName.Turns, { connection: redis, prefix: config.QUEUE_PREFIX, ...queueTelemetry() });
  // Without a listener BullMQ prints each connection error as a bare stack on stderr.
  queue.on('error', (err) => logger.warn({ err }, LogEvent.QueueError));
  const followUps = new TurnScheduler(queue, config.TURN_JOB_ATTEMPTS);
  const worker = new Worker<SessionTurnJob>(
    QueueName.Turns,
    sessionTurnProcessor(runner, Math.max(200, Math.floor(config.SESSION_LOCK_TTL_MS / 4)), {
      onBusy: () => metrics.lockBusy.inc(),
      onLockLost: () => metrics.lockLost.inc(),
      followUp: (sessionKey, delayMs = 5_000) => followUps.schedule(sessionKey, delayMs),
    }),
    {
      connection: redis,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.SESSION_LOCK_TTL_MS,
      stalledInterval: config.JOB_STALLED_INTERVAL_MS,
      // A stall only means a worker died or blocked; the session lock keeps the
      // turn exclusive and the batch counter ends a crash-looping batch, so a
      // stalled job is moved back many times rather than failed (a failed job
      // would leave its session without one).
      maxStalledCount: 20,
      ...fleetWorkerOptions(),
      // With tracing on, a job's processing continues the trace of the webhook that queued it.
      ...queueTelemetry(),
    },
  );
  worker.on('error', (err) => logger.warn({ err }, 'worker error'));
  worker.on('failed', (job, err) => {
    logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'turn job failed');
    if (!job) return;
    // Last line of defence for failures outside the processor (e.g. the stall
    // limit): once a job is failed for good, its session gets a fresh one.
    void job
      .isFailed()
      .then((final) => (final ? followUps.schedule(job.data.sessionKey, 5_000) : undefined))
      .catch((e: Error) => logger.warn({ err: e.message }, 'follow-up after a failed job not scheduled'));
  });
  worker.on('ready', () => logger.debug('worker connected to Redis'));
  return { queue, worker };
}

/** Commands queue while a worker's Redis is away; readiness must not wait with them. */
async function redisAnswers(redis: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const ping = redis.ping().then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}
