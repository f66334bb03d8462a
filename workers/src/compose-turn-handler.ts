import { HandoffStore, TranscriptStore, type Logger, type RedisClient } from '@medcita/shared';
import type { ClinicPort } from './clinic/index.js';
import type { WorkerConfig } from './config.js';
import { DialogTurnHandler, es, IdentityGuard } from './dialog/index.js';
import type { ReminderPort } from './dialog/reminder-port.js';
import { EchoTurnHandler } from './handlers/echo-turn-handler.js';
import {
  HandoffSightings,
  HandoffTranscriptRecorder,
  OperatorHandoff,
  operatorNotifier,
  startOperatorReplies,
  type TurnTranscript,
} from './handoff/index.js';
import { startOwnerAlerts } from './identity-alert/index.js';
import { startOwedCancels } from './owed-cancels/index.js';
import { createNlu, nluOptionsFromConfig } from './nlu/index.js';
import { instrumentHandoff, instrumentNlu } from './ops/instrument.js';
import type { WorkerMetrics } from './ops/worker-metrics.js';
import type { ReplySender, TurnHandler } from './pipeline/ports.js';

/** What the composition root gets back: the handler, and what the turn worker and the ops server need of its parts. */
export interface TurnHandlerParts {
  handler: TurnHandler;
  transcript?: TurnTranscript;
  ready?: () => boolean;
  close?: () => Promise<void>;
}

/**
 * The turn handler and what it owns: the NLU (closed on shutdown), the dialog's
 * stores and the operator inbox's parts (docs/operations.md, "Operator inbox").
 */
export async function buildTurnHandler(
  config: WorkerConfig,
  logger: Logger,
  redis: RedisClient,
  metrics: WorkerMetrics,
  clinic: ClinicPort | undefined,
  reminders: ReminderPort | undefined,
  sender: ReplySender,
): Promise<TurnHandlerParts> {
  if (config.TURN_HANDLER === 'echo') return { handler: new EchoTurnHandler() };
  const store = new HandoffStore(redis, { keyPrefix: config.KEY_PREFIX, timeoutSeconds: config.HANDOFF_TIMEOUT_SECONDS });
  const transcripts = new TranscriptStore(redis, {
    keyPrefix: config.KEY_PREFIX,
    contextLines: config.HANDOFF_CONTEXT_MESSAGES,
    contextTtlSeconds: config.SESSION_TTL_SECONDS,
    transcriptTtlSeconds: config.HANDOFF_TRANSCRIPT_TTL_SECONDS,
  });
  const operatorReplies = startOperatorReplies({
    redis,
    keyPrefix: config.KEY_PREFIX,
    queuePrefix: config.QUEUE_PREFIX,
    sender,
    store,
    transcripts,
    logger,
    timeoutText: es.handoffTimeout,
    stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
    lockDurationMs: config.SESSION_LOCK_TTL_MS,
  });
  // The dialog reads the flag at a turn's start; the transcript recorder reuses that reading at its end.
  const sightings = new HandoffSightings();
  const handoff = new OperatorHandoff({
    store,
    transcripts,
    sightings,
    queue: operatorReplies.queue,
    logger,
    ...(config.OPERATOR_WEBHOOK_URL ? { notify: operatorNotifier(config.OPERATOR_WEBHOOK_URL) } : {}),
  });
  const ownerAlerts = startOwnerAlerts({
    redis,
    queuePrefix: config.QUEUE_PREFIX,
    sender,
    logger,
    templateName: config.IDENTITY_ALERT_TEMPLATE_NAME,
    templateLanguage: config.IDENTITY_ALERT_TEMPLATE_LANGUAGE,
    hooks: metrics.ownerAlertHooks,
    stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
    lockDurationMs: config.SESSION_LOCK_TTL_MS,
  });
  const owedCancels = startOwedCancels({
    redis,
    queuePrefix: config.QUEUE_PREFIX,
    clinic: clinic!,
    logger,
    firstRetryMs: config.OWED_CANCEL_RETRY_SECONDS * 1000,
    hooks: metrics.owedCancelHooks,
    stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
    lockDurationMs: config.SESSION_LOCK_TTL_MS,
  });
  const nlu = await createNlu(nluOptionsFromConfig(config, metrics.onInferenceBatch), logger);
  const handler = new DialogTurnHandler({
    nlu: instrumentNlu(nlu, metrics),
    clinic: clinic!,
    handoff: instrumentHandoff(handoff, metrics),
    identity: new IdentityGuard(redis, {
      keyPrefix: config.KEY_PREFIX,
      maxFailures: config.IDENTITY_MAX_FAILURES,
      windowSeconds: config.IDENTITY_WINDOW_SECONDS,
      digestKey: config.SESSION_HASH_KEY,
      documentFreeFailures: config.IDENTITY_DOCUMENT_FREE_FAILURES,
      documentBackoffSeconds: config.IDENTITY_DOCUMENT_BACKOFF_SECONDS,
      documentMaxBackoffSeconds: config.IDENTITY_DOCUMENT_MAX_BACKOFF_SECONDS,
    }),
    ownerAlerts: ownerAlerts.port,
    owedCancels: owedCancels.port,
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
    transcript: new HandoffTranscriptRecorder(transcripts, store, sightings),
    ready: () => nlu.ready,
    close: async () => {
      await operatorReplies.close();
      await ownerAlerts.close();
      await owedCancels.close();
      await nlu.close();
    },
  };
}
