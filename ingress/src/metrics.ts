import type { ParsedWebhook } from '@medcita/shared';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WEBHOOK_OUTCOMES, type WebhookOutcome } from './services/webhook-handler.js';

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

  private readonly webhookSeconds = new Histogram({
    name: 'medcita_webhook_duration_seconds',
    help: 'POST /webhook: request start to response written, by HTTP status',
    labelNames: ['status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(queues: Queue[], handoffs?: { list(): Promise<{ flaggedAt: number }[]> }, now: () => number = Date.now) {
    collectDefaultMetrics({ register: this.registry });
    // One Redis read per scrape, shared by both gauges (prom-client collects them concurrently).
    let reading: Promise<Record<string, number>[] | null> | undefined;
    const readDepths = () =>
      (reading ??= Promise.all(queues.map((q) => q.getJobCounts(...JOB_STATES)))
        .catch(() => null)
        .finally(() => setImmediate(() => (reading = undefined))));
    if (handoffs) {
      // Read together at scrape time: one list serves both gauges. A Redis
      // outage leaves the last values rather than failing the whole scrape.
      let snapshot: Promise<{ open: number; oldest: number }> | undefined;
      const read = () =>
        (snapshot ??= handoffs
          .list()
          .then((list) => ({ open: list.length, oldest: list.length ? (now() - Math.min(...list.map((h) => h.flaggedAt))) / 1000 : 0 }))
          .finally(() => setTimeout(() => (snapshot = undefined), 100)));
      new Gauge({
        name: 'medcita_handoffs_open',
        help: 'Conversations handed to a person and not yet released, read at scrape time',
        registers: [this.registry],
        async collect() {
          this.set((await read().catch(() => null))?.open ?? 0);
        },
      });
      new Gauge({
        name: 'medcita_handoff_longest_wait_seconds',
        help: 'How long the longest-waiting open handoff has waited, read at scrape time',
        registers: [this.registry],
        async collect() {
          this.set((await read().catch(() => null))?.oldest ?? 0);
        },
      });
    }
    new Gauge({
      name: 'medcita_queue_jobs',
      help: 'Jobs per queue and state, read from Redis at scrape time',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      // During a Redis outage /metrics must still answer (that is when it
      // matters): the depths go missing and medcita_queue_jobs_up says why.
      async collect() {
        const all = await readDepths();
        this.reset();
        all?.forEach((counts, i) => {
          for (const state of JOB_STATES) this.set({ queue: queues[i]!.name, state }, counts[state] ?? 0);
        });
      },
    });
    new Gauge({
      name: 'medcita_queue_jobs_up',
      help: '1 when the last scrape read the queue depths from Redis, 0 when Redis did not answer',
      registers: [this.registry],
      async collect() {
        this.set((await readDepths()) ? 1 : 0);
      },
    });
    for (const outcome of WEBHOOK_OUTCOMES) {
      this.webhooks.inc({ outcome }, 0);
    }
  }

  // prom-client's labelled children, looked up once per label value rather than hashing the labels per delivery.
  private readonly byOutcome = childCache((outcome: WebhookOutcome) => this.webhooks.labels({ outcome }));
  private readonly secondsByStatus = childCache((status: number) => this.webhookSeconds.labels({ status: String(status) }));
  private readonly byMessageType = childCache((type: string) => this.messages.labels({ type }));
  private readonly byStatusEvent = childCache((status: string) => this.statuses.labels({ status }));

  onOutcome = (outcome: WebhookOutcome): void => {
    this.byOutcome(outcome).inc();
  };

  /**
   * Redis's used and maximum memory (INFO memory), so the sizing alert in
   * deploy/prometheus/alerts.yml needs no exporter. 0 while Redis is down.
   */
  watchRedisMemory(info: () => Promise<string>): void {
    const read = async (field: string) => {
      const text = await info().catch(() => '');
      const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(text);
      return match ? Number(match[1]) : undefined;
    };
    for (const [name, field, help] of [
      ['medcita_redis_used_memory_bytes', 'used_memory', 'Redis used_memory, read at scrape time'],
      ['medcita_redis_maxmemory_bytes', 'maxmemory', 'Redis maxmemory (0: no limit), read at scrape time'],
    ] as const) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const v = await read(field);
          this.reset();
          if (v !== undefined) this.set(v);
        },
      });
    }
  }

  /** Bytes of webhook bodies being read (see http/inflight-budget.ts), read at scrape time. */
  watchInFlight(read: () => number): void {
    new Gauge({
      name: 'medcita_webhook_bytes_in_flight',
      help: 'Webhook body bytes reserved by requests being read',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  onWebhookDone = (status: number, seconds: number): void => {
    this.secondsByStatus(status).observe(seconds);
  };

  onParsed = (parsed: ParsedWebhook): void => {
    for (const e of parsed.events) {
      if (e.type === 'message') this.byMessageType(e.message.kind).inc();
      else this.byStatusEvent(KNOWN_STATUSES.has(e.status) ? e.status : 'other').inc();
    }
  };
}

/** `labelled(value)` on first use of `value`, the same child after. */
function childCache<K, C>(labelled: (value: K) => C): (value: K) => C {
  const children = new Map<K, C>();
  return (value) => {
    let child = children.get(value);
    if (!child) children.set(value, (child = labelled(value)));
    return child;
  };
}
