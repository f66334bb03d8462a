import {
  LogEvent,
  closeHttpServer,
  connectRedis,
  HandoffStore,
  QueueName,
  queueTelemetry,
  SessionInbox,
  TurnScheduler,
  type Logger,
  type RedisClient,
  type SessionTurnJob,
} from '@medcita/shared';
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { createServer, type Server } from 'node:http';
import { createAdminApp } from './admin/admin-app.js';
import { createInbox } from './inbox/inbox-wiring.js';
import { createIngressApp } from './app.js';
import { IngressMetrics } from './metrics.js';
import type { IngressConfig } from './config.js';
import { InFlightBudget } from './http/inflight-budget.js';
import { routeRequests, webhookListener } from './http/webhook-server.js';
import { AckGate } from './services/ack-durability.js';
import { createWebhookHandler, type WebhookOutcome } from './services/webhook-handler.js';
import { StatusRecorder } from './services/status-recorder.js';
import { WebhookAcceptor } from './services/webhook-acceptor.js';

export interface RunningIngress {
  server: Server;
  port: number;
  /** The admin pages' own server (ADMIN_PORT). */
  adminServer: Server;
  adminPort: number;
  redis: RedisClient;
  queue: Queue<SessionTurnJob>;
  metrics: IngressMetrics;
  /** Webhook body bytes reserved by requests being read. */
  webhookBytesInFlight(): number;
  /** Safe to call more than once; runs every step even if one fails. */
  close(): Promise<void>;
}

/** Wires config → Redis → services → Express and starts listening. */
export async function startIngress(
  config: IngressConfig,
  logger: Logger,
  onOutcome?: (o: WebhookOutcome) => void,
): Promise<RunningIngress> {
  const redis = connectRedis(config, { role: 'request', connectionName: 'ingress', coalesceWrites: 'loop' });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, LogEvent.RedisConnectionError));
  const ready = await waitForRedis(redis, 10_000, logger);
  const ackGate = new AckGate(redis, config.REDIS_ACK_DURABILITY, config.REDIS_ACK_REPLICAS, config.REDIS_ACK_TIMEOUT_MS);
  if (ready) {
    await ackGate.checkSupported().catch(async (err: unknown) => {
      redis.disconnect();
      throw err;
    });
  } else {
    // Checked once Redis shows up; meanwhile webhooks get 503 anyway.
    redis.once('ready', () => {
      ackGate.checkSupported().catch((err: unknown) => logger.error({ err }, 'webhooks will be answered 503'));
    });
  }
  // With tracing on, each job carries its webhook's trace context to the worker.
  const queue = new Queue<SessionTurnJob>(QueueName.Turns, { connection: redis, prefix: config.QUEUE_PREFIX, ...queueTelemetry() });
  queue.on('error', (err) => logger.warn({ err: err.message }, LogEvent.QueueError));
  // Shown in Bull Board and metrics only; the workers own the reminder jobs.
  const reminders = new Queue(QueueName.Reminders, { connection: redis, prefix: config.QUEUE_PREFIX });
  reminders.on('error', (err) => logger.warn({ err: err.message }, LogEvent.QueueError));
  const identityAlerts = new Queue(QueueName.IdentityAlerts, { connection: redis, prefix: config.QUEUE_PREFIX });
  identityAlerts.on('error', (err) => logger.warn({ err: err.message }, LogEvent.QueueError));
  const owedCancels = new Queue(QueueName.OwedCancels, { connection: redis, prefix: config.QUEUE_PREFIX });
  owedCancels.on('error', (err) => logger.warn({ err: err.message }, LogEvent.QueueError));

  const handoff = new HandoffStore(redis, {
    keyPrefix: config.KEY_PREFIX,
    timeoutSeconds: config.HANDOFF_TIMEOUT_SECONDS,
  });
  const inbox = createInbox({ config, redis, handoff, logger });
  const metrics = new IngressMetrics([queue, reminders, identityAlerts, owedCancels, inbox.replies], handoff);
  const adminApp = createAdminApp(config, {
    redis,
    queues: [queue, reminders, identityAlerts, owedCancels, inbox.replies],
    logger,
    mount: (auth) => inbox.mounts(auth),
  });
  const acceptor = new WebhookAcceptor(
    new SessionInbox(redis, { keyPrefix: config.KEY_PREFIX, seenTtlSeconds: config.DEDUPE_TTL_SECONDS }),
    new TurnScheduler(queue, config.TURN_JOB_ATTEMPTS),
    new StatusRecorder(redis, { keyPrefix: config.KEY_PREFIX, maxFailures: 10_000 }, { transcripts: inbox.transcripts, handoff }),
    Date.now,
    // One connection carries the inbox and the queue, so a job add can ride in the push's round trip.
    !(redis instanceof Cluster),
  );
  const outcomes = (o: WebhookOutcome) => {
    metrics.onOutcome(o);
    onOutcome?.(o);
  };
  const handleWebhook = createWebhookHandler({
    appSecret: config.WHATSAPP_APP_SECRET,
    previousAppSecret: config.WHATSAPP_APP_SECRET_PREVIOUS,
    acceptor,
    logger,
    onOutcome: outcomes,
    onParsed: metrics.onParsed,
    durable: () => ackGate.confirm(),
  });
  const app = createIngressApp({ config, redis, logger, registry: metrics.registry });
  const budget = new InFlightBudget(config.WEBHOOK_INFLIGHT_LIMIT_BYTES);
  metrics.watchInFlight(() => budget.inFlight);
  metrics.watchRedisMemory(() => redis.info('memory'));
  const fast = webhookListener(handleWebhook, {
    limitBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    inFlightBudget: budget,
    onOutcome: outcomes,
    onDone: metrics.onWebhookDone,
  });
  const listener = routeRequests(fast, app);

  const server = createServer(
    {
      headersTimeout: config.WEBHOOK_HEADERS_TIMEOUT_MS,
      requestTimeout: config.WEBHOOK_REQUEST_TIMEOUT_MS,
      // Node checks those timeouts every 30 s by default, which would let a slow upload live twice as long.
      connectionsCheckingInterval: 1_000,
    },
    listener,
  );
  await new Promise<void>((resolve) => server.listen(config.PORT, resolve));
  // Meta keeps connections alive; outlive its idle timeout so we don't race it.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as { port: number }).port;
  const adminServer = createServer(adminApp);
  await new Promise<void>((resolve, reject) => {
    adminServer.once('error', reject);
    adminServer.listen(config.ADMIN_PORT, resolve);
  }).catch(async (err: unknown) => {
    await closeHttpServer(server);
    throw err;
  });
  const adminPort = (adminServer.address() as { port: number }).port;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await inbox.close().catch((err) => logger.warn({ err }, 'inbox close failed'));
      await Promise.all([closeHttpServer(server), closeHttpServer(adminServer)]);
      await Promise.all([queue.close(), reminders.close(), identityAlerts.close(), owedCancels.close()]).catch((err) =>
        logger.warn({ err }, 'queue close failed'),
      );
      await redis.quit().catch(() => redis.disconnect());
    })());
  return { server, port, adminServer, adminPort, redis, queue, metrics, webhookBytesInFlight: () => budget.inFlight, close };
}

/**
 * Listening before Redis is connected would answer the first deliveries 503.
 * Wait a little for it; if it stays away, start anyway: /readyz says not
 * ready and webhooks get 503 until it comes back, so Meta redelivers.
 */
async function waitForRedis(redis: RedisClient, timeoutMs: number, logger: Logger): Promise<boolean> {
  if (redis.status === 'ready') return true;
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ready) logger.warn({ timeoutMs }, 'Redis not reachable at start; serving 503 until it is');
  return ready;
}
