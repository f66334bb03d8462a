import {
  closeHttpServer, connectRedis, QueueName, SessionRateLimit, SessionTurns, TurnScheduler, type Logger, type RedisClient, type SessionTurnJob,
} from '@medcita/shared';
import { Queue, Worker } from 'bullmq';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { PipelineConfig } from './config.js';
import { startOpsServer } from './ops/ops-server.js';
import { WorkerMetrics } from './ops/worker-metrics.js';
import { pipelineTextsEs } from './pipeline/pipeline-texts.js';
import type { ReplySender, TurnHandler } from './pipeline/ports.js';
import { TurnJournal } from './pipeline/turn-journal.js';
import { TurnRunner } from './pipeline/turn-runner.js';
import type { TurnTranscript } from './handoff/index.js';
import { sessionTurnProcessor } from './processors/session-turn.processor.js';

export interface WorkerParts {
  handler: TurnHandler;
  sender: ReplySender;
  /** Keeps turn text for the operator inbox (workers/src/handoff). */
  transcript?: TurnTranscript;
  /** Extra readiness (e.g. the model is loaded and warm). */
  ready?: () => boolean;
  onClose?: () => Promise<void>;
}

export interface RunningWorker {
  worker: Worker<SessionTurnJob>;
  redis: RedisClient;
  ops: Server;
  opsPort: number;
  registry: Registry;
  metrics: WorkerMetrics;
  /** Stops taking jobs, lets running turns finish, closes connections; idempotent. */
  close(): Promise<void>;
}

/** Wires one worker process: Redis, the turn runner, the BullMQ worker and the ops port. */
export async function startWorker(
  config: PipelineConfig,
  logger: Logger,
  makeParts: (redis: RedisClient, metrics: WorkerMetrics) => Promise<WorkerParts>,
): Promise<RunningWorker> {
  // Workers wait out Redis outages (queued commands, endless reconnect) instead of failing turns.
  const redis = connectRedis(config, { role: 'blocking', connectionName: 'worker' });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const metrics = new WorkerMetrics();
  const parts = await makeParts(redis, metrics);
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
      handler: parts.handler,
      sender: parts.sender,
      journal,
      logger,
      texts: pipelineTextsEs,
      ...(parts.transcript ? { transcript: parts.transcript } : {}),
      rateLimit: new SessionRateLimit(redis, {
        keyPrefix: config.KEY_PREFIX,
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

  const turnQueue = new Queue<SessionTurnJob>(QueueName.Turns, { connection: redis, prefix: config.QUEUE_PREFIX });
  // Without a listener BullMQ prints each connection error as a bare stack on stderr.
  turnQueue.on('error', (err) => logger.warn({ err }, 'queue error'));
  const followUps = new TurnScheduler(turnQueue, 5);
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

  const registry = metrics.registry;
  worker.on('ready', () => logger.debug('worker connected to Redis'));
  const ops = await startOpsServer({
    port: config.METRICS_PORT,
    registry,
    ready: async () => (parts.ready?.() ?? true) && (await redisAnswers(redis)),
  });

  const opsPort = (ops.address() as { port: number }).port;
  logger.info({ opsPort }, 'ops server listening (/metrics, /healthz, /readyz)');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await worker.close().catch((err) => logger.warn({ err }, 'worker close failed'));
      await turnQueue.close().catch((err) => logger.warn({ err }, 'queue close failed'));
      await parts.onClose?.().catch((err) => logger.warn({ err }, 'parts close failed'));
      await closeHttpServer(ops);
      await redis.quit().catch(() => redis.disconnect());
    })());
  return { worker, redis, ops, opsPort, registry, metrics, close };
}

/** Commands queue while a worker's Redis is away; readiness must not wait with them. */
async function redisAnswers(redis: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const ping = redis.ping().then(() => true, () => false);
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}
