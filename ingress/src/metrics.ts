import type { ParsedWebhook } from '@medcita/shared';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { WebhookOutcome } from './services/webhook-handler.js';

const KNOWN_STATUSES = new Set(['sent', 'delivered', 'read', 'failed', 'deleted', 'warning']);
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/** The ingress's Prometheus series; labels are bounded sets, never ids or phones. */
export class IngressMetrics {
  readonly registry = new Registry();
  private readonly webhooks = new Counter({
    name: 'medcita_webhooks_total',
    help: 'Webhook deliveries by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly messages = new Counter({
    name: 'medcita_inbound_messages_total',
    help: 'Inbound WhatsApp messages by type (duplicates included)',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly statuses = new Counter({
    name: 'medcita_status_events_total',
    help: 'Delivery status events by status',
    labelNames: ['status'],
    registers: [this.registry],
  });

  constructor(queues: Queue[]) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'medcita_queue_jobs',
      help: 'Jobs per queue and state, read from Redis at scrape time',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const q of queues) {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    for (const outcome of ['accepted', 'duplicate', 'bad_signature', 'bad_request', 'too_large', 'unavailable']) {
      this.webhooks.inc({ outcome }, 0);
    }
  }

  onOutcome = (outcome: WebhookOutcome): void => {
    this.webhooks.inc({ outcome });
  };

  onParsed = (parsed: ParsedWebhook): void => {
    for (const e of parsed.events) {
      if (e.type === 'message') this.messages.inc({ type: e.message.kind });
      else this.statuses.inc({ status: KNOWN_STATUSES.has(e.status) ? e.status : 'other' });
    }
  };
}
