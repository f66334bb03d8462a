import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The worker's Prometheus series. Label values are bounded (outcomes,
 * endpoints, status codes): never a phone number or session id.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly turnDuration = new Histogram({
    name: 'medcita_turn_duration_seconds',
    help: 'Time from taking a batch to committing its turn',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly ackToReply = new Histogram({
    name: 'medcita_ack_to_reply_seconds',
    help: 'Time from the ingress accepting a message to its turn being committed (replies sent)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly nluDuration = new Histogram({
    name: 'medcita_nlu_duration_seconds',
    help: 'Time to understand one message (classifier, extractors and encoder if on)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly inferenceDuration = new Histogram({
    name: 'medcita_inference_duration_seconds',
    help: 'Duration of one encoder inference call (a micro-batch)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly inferenceBatchSize = new Histogram({
    name: 'medcita_inference_batch_size',
    help: 'Messages per encoder inference call',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  readonly graphRequests = new Counter({
    name: 'medcita_graph_requests_total',
    help: 'Graph API requests by endpoint, HTTP status and Graph error code',
    labelNames: ['endpoint', 'status', 'code'],
    registers: [this.registry],
  });
  readonly graphRetries = new Counter({
    name: 'medcita_graph_retries_total',
    help: 'Graph API requests that were retries of an earlier attempt',
    labelNames: ['endpoint'],
    registers: [this.registry],
  });
  readonly graphUnknownOutcomeResends = new Counter({
    name: 'medcita_graph_unknown_outcome_resends_total',
    help: 'Messages resent because their first sender died mid-request and no status webhook settled them in time (each may be a duplicate)',
    registers: [this.registry],
  });
  readonly graphSentNotRecorded = new Counter({
    name: 'medcita_graph_sent_not_recorded_total',
    help: 'Messages WhatsApp accepted whose send marker could not be marked done (their status webhook settles it)',
    registers: [this.registry],
  });
  readonly lockBusy = new Counter({
    name: 'medcita_session_lock_busy_total',
    help: 'Turn jobs that found their session locked by another worker and stepped aside',
    registers: [this.registry],
  });
  readonly lockLost = new Counter({
    name: 'medcita_session_lock_lost_total',
    help: 'Turns that lost their session lock (expired while running) and were discarded',
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'medcita_rate_limited_messages_total',
    help: 'Messages deferred by the per-session rate limit (a message deferred again counts again)',
    registers: [this.registry],
  });

  readonly rateDiscarded = new Counter({
    name: 'medcita_rate_discarded_messages_total',
    help: 'Messages beyond the per-session rate-limit backlog, discarded after telling the user',
    registers: [this.registry],
  });
  readonly bookings = new Counter({ name: 'medcita_bookings_total', help: 'Appointments booked', registers: [this.registry] });
  readonly cancellations = new Counter({
    name: 'medcita_cancellations_total',
    help: 'Appointments cancelled',
    registers: [this.registry],
  });
  readonly handoffs = new Counter({
    name: 'medcita_handoffs_total',
    help: 'Sessions handed to a human, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly remindersScheduled = new Counter({
    name: 'medcita_reminders_scheduled_total',
    help: 'Reminders enqueued for the first time, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly remindersSent = new Counter({
    name: 'medcita_reminders_sent_total',
    help: 'Reminders accepted by the Graph API, by kind and mode (interactive inside the 24-hour window, template outside)',
    labelNames: ['kind', 'mode'],
    registers: [this.registry],
  });
  readonly remindersFailed = new Counter({
    name: 'medcita_reminders_failed_total',
    help: 'Reminders rejected at send time or reported failed by a delivery status, by kind and Graph error code',
    labelNames: ['kind', 'code'],
    registers: [this.registry],
  });
  readonly remindersSkipped = new Counter({
    name: 'medcita_reminders_skipped_total',
    help: 'Reminder jobs that sent nothing: already sent, appointment cancelled/gone, already started, or taken over by another worker',
    labelNames: ['kind', 'reason'],
    registers: [this.registry],
  });
  readonly reminderReplies = new Counter({
    name: 'medcita_reminder_replies_total',
    help: 'Replies to reminders: confirmations and cancellations (cancel counts when the patient confirms it), by outcome',
    labelNames: ['action', 'outcome'],
    registers: [this.registry],
  });

  readonly ownerAlerts = new Counter({
    name: 'medcita_identity_owner_alerts_total',
    help: 'Alerts to a registered phone whose document was tried from another number: sent, suppressed (already alerted this period) or failed',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly clinicBreaker = new Gauge({
    name: 'medcita_clinic_breaker_state',
    help: 'The clinic API circuit breaker of this worker (CLINIC_BACKEND=http): 1 for its current state, 0 for the others',
    labelNames: ['state'],
    registers: [this.registry],
  });

  /** The reminder service's hooks (workers/src/reminders). */
  readonly reminderHooks = {
    scheduled: (kind: string): void => void this.remindersScheduled.inc({ kind }),
    sent: (kind: string, mode: string): void => void this.remindersSent.inc({ kind, mode }),
    failed: (kind: string, code: string): void =>
      void this.remindersFailed.inc({ kind, code: /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : 'other' }),
    skipped: (kind: string, reason: string): void => void this.remindersSkipped.inc({ kind, reason }),
  };

  /** The owner alerts' hooks (workers/src/identity-alert); the Graph error code goes to the log, not a label. */
  readonly ownerAlertHooks = {
    sent: (): void => void this.ownerAlerts.inc({ outcome: 'sent' }),
    suppressed: (): void => void this.ownerAlerts.inc({ outcome: 'suppressed' }),
    failed: (_code: string): void => void this.ownerAlerts.inc({ outcome: 'failed' }),
  };

  readonly owedCancels = new Counter({
    name: 'medcita_owed_cancels_total',
    help: "Background retries of a reschedule's cancel that ended: cancelled, gone (done by a turn or an operator, or too late) or gave_up (every try failed; cancel it by hand)",
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly owedCancelHooks = {
    settled: (outcome: 'cancelled' | 'gone'): void => void this.owedCancels.inc({ outcome }),
    gaveUp: (): void => void this.owedCancels.inc({ outcome: 'gave_up' }),
  };

  onClinicBreakerState = (state: 'closed' | 'open' | 'half_open'): void => {
    for (const s of ['closed', 'open', 'half_open'] as const) this.clinicBreaker.set({ state: s }, s === state ? 1 : 0);
  };

  onReminderReply = (action: string, outcome: string): void => {
    this.reminderReplies.inc({ action, outcome });
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  onUnknownOutcomeResend = (): void => {
    this.graphUnknownOutcomeResends.inc();
  };

  onSentNotRecorded = (): void => {
    this.graphSentNotRecorded.inc();
  };

  onGraphRequest = (e: { endpoint: string; status: number; attempt: number; errorCode?: number }): void => {
    this.graphRequests.inc({ endpoint: e.endpoint, status: String(e.status), code: String(e.errorCode ?? '') });
    if (e.attempt > 1) this.graphRetries.inc({ endpoint: e.endpoint });
  };

  onInferenceBatch = (size: number, seconds: number): void => {
    this.inferenceBatchSize.observe(size);
    this.inferenceDuration.observe(seconds);
  };

  onTurn = (t: { seconds: number; ackToReplySeconds: number; outcome: string }): void => {
    this.turnDuration.observe({ outcome: t.outcome }, t.seconds);
    this.ackToReply.observe(t.ackToReplySeconds);
  };
}
