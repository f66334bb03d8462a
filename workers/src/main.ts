import { closeOnSignals, createLogger, routeStrayOutput, HandoffStore, loadConfigOrExit, runMain, TranscriptStore, type Logger, type RedisClient } from '@medcita/shared';
import { HandoffTranscriptRecorder, OperatorHandoff, operatorNotifier, startOperatorReplies } from './handoff/index.js';
import type { ReplySender } from './pipeline/ports.js';
import { createClinicBackend } from './clinic/index.js';
import { loadWorkerConfig, type WorkerConfig } from './config.js';
import { DialogTurnHandler, es, IdentityGuard } from './dialog/index.js';
import { EchoTurnHandler } from './handlers/echo-turn-handler.js';
import { createNlu, nluOptionsFromConfig } from './nlu/index.js';
import type { WorkerParts } from './worker.js';
import { GraphClient } from './whatsapp/graph-client.js';
import { startWorker } from './worker.js';
import { instrumentClinic, instrumentHandoff, instrumentNlu } from './ops/instrument.js';
import type { WorkerMetrics } from './ops/worker-metrics.js';
import type { ReminderPort } from './dialog/reminder-port.js';
import { ReminderStore, startReminders, type RunningReminders } from './reminders/index.js';


/** The turn handler and what it owns: the NLU (closed on shutdown), the clinic port, the handoff store. */
async function conversationParts(
  config: WorkerConfig,
  logger: Logger,
  redis: RedisClient,
  metrics: WorkerMetrics,
  reminders: ReminderPort | undefined,
  sender: ReplySender,
): Promise<Pick<WorkerParts, 'handler' | 'ready' | 'onClose' | 'transcript'>> {
  if (config.TURN_HANDLER === 'echo') return { handler: new EchoTurnHandler() };
  // The operator inbox's parts (docs/operations.md, "Operator inbox").
  const store = new HandoffStore(redis, { keyPrefix: config.KEY_PREFIX, timeoutSeconds: config.HANDOFF_TIMEOUT_SECONDS });
  const transcripts = new TranscriptStore(redis, {
    keyPrefix: config.KEY_PREFIX,
    contextLines: config.HANDOFF_CONTEXT_MESSAGES,
    contextTtlSeconds: config.SESSION_TTL_SECONDS,
    transcriptTtlSeconds: config.HANDOFF_TRANSCRIPT_TTL_SECONDS,
  });
  const operatorReplies = startOperatorReplies({
    redis, keyPrefix: config.KEY_PREFIX, queuePrefix: config.QUEUE_PREFIX, sender, store, transcripts, logger,
    timeoutText: es.handoffTimeout, stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS, lockDurationMs: config.SESSION_LOCK_TTL_MS,
  });
  const handoff = new OperatorHandoff({
    store, transcripts, queue: operatorReplies.queue, logger,
    ...(config.OPERATOR_WEBHOOK_URL ? { notify: operatorNotifier(config.OPERATOR_WEBHOOK_URL) } : {}),
  });
  const nlu = await createNlu(nluOptionsFromConfig(config, metrics.onInferenceBatch), logger);
  const handler = new DialogTurnHandler({
    nlu: instrumentNlu(nlu, metrics),
    clinic: instrumentClinic(createClinicBackend(config, { redis, logger }), metrics),
    handoff: instrumentHandoff(handoff, metrics),
    identity: new IdentityGuard(redis, {
      keyPrefix: config.KEY_PREFIX,
      maxFailures: config.IDENTITY_MAX_FAILURES,
      windowSeconds: config.IDENTITY_WINDOW_SECONDS,
    }),
    texts: es,
    logger: logger.child({ component: 'dialog' }),
    ...(reminders ? { reminders } : {}),
    options: {
      sessionTtlSeconds: config.SESSION_TTL_SECONDS,
      holdSeconds: config.SLOT_HOLD_SECONDS,
      timeZone: config.CLINIC_TIMEZONE,
      consentText: config.REGISTRATION_CONSENT_TEXT,
    },
  });
  return {
    handler,
    transcript: new HandoffTranscriptRecorder(transcripts, store),
    ready: () => nlu.ready,
    onClose: async () => {
      await operatorReplies.close();
      await nlu.close();
    },
  };
}

runMain('worker', async () => {
  const config = loadConfigOrExit('worker', () => loadWorkerConfig());
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'worker' });
  routeStrayOutput(logger);
  const running = await startWorker(config, logger, async (redis, metrics) => {
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
    });
    // Reminders (docs/reminders.md): the fleet-wide tick, the sends, and the dialog's view of what was reminded.
    let reminders: RunningReminders | undefined;
    // Every worker reads reminder replies, whatever its REMINDERS_ENABLED: a tap
    // may land on any worker of the fleet, not only on one that sends reminders.
    const reminderPort: ReminderPort = Object.assign(new ReminderStore(redis, config.KEY_PREFIX), { onReply: metrics.onReminderReply });
    const conversation = await conversationParts(config, logger, redis, metrics, reminderPort, sender);
    if (config.REMINDERS_ENABLED) {
      reminders = await startReminders({
        redis,
        queuePrefix: config.QUEUE_PREFIX,
        keyPrefix: config.KEY_PREFIX,
        clinic: instrumentClinic(createClinicBackend(config, { redis, logger }), metrics),
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
    return {
      ...conversation,
      sender,
      onClose: async () => {
        await reminders?.close();
        await conversation.onClose?.();
      },
    };
  });
  logger.info({ concurrency: config.WORKER_CONCURRENCY, opsPort: config.METRICS_PORT }, 'worker ready');

  closeOnSignals(logger, () => running.close(), 'finishing running turns');
});
