import type { FakeGraphCounts, SentRecord } from './fake-graph-records.js';
import { DEFAULT_BUSINESS, statusUpdate, webhookBody } from './webhook-builders.js';
import { WebhookSender } from './webhook-sender.js';

export interface StatusSinkOptions {
  url: string;
  appSecret: string;
  /** Report `delivered` and `read` after `sent`, as a phone that opens the chat would. */
  progress?: boolean;
  /** How long to hold each message's statuses back (ms), like Meta's sometimes-late webhooks; default none. */
  delayMs?: () => number;
  /** Retry a status post the business did not answer 200, like Meta (backoff up to 2 s), until it is or the fake closes. */
  retry?: boolean;
}

/**
 * The fake Graph API's status webhooks: what Meta posts to the business for
 * each accepted message, signed, late and retried as StatusSinkOptions say.
 * Counts what it posts in the fake's `counts`.
 */
export class GraphStatusReporter {
  private sink: WebhookSender | undefined;
  private options: StatusSinkOptions | undefined;
  private closed = false;
  private readonly pauses = new Set<() => void>();
  private readonly posts = new Set<Promise<unknown>>();

  constructor(private readonly counts: FakeGraphCounts) {}

  /** Where to post from now on; `null` stops posting. */
  target(target: StatusSinkOptions | null): void {
    this.sink = target ? new WebhookSender(target) : undefined;
    this.options = target ?? undefined;
  }

  report(record: SentRecord): void {
    const sink = this.sink;
    const options = this.options;
    if (!sink || !options) return;
    const user = typeof record.payload.to === 'string' ? { waId: record.to } : { userId: record.to };
    const callbackData = record.payload.biz_opaque_callback_data;
    const business = { ...DEFAULT_BUSINESS, phoneNumberId: record.phoneNumberId };
    const statuses = options.progress ? (['sent', 'delivered', 'read'] as const) : (['sent'] as const);
    const delay = options.delayMs?.() ?? 0;
    // Without `retry`, best effort, as the simulator's own bookkeeping: a failed post is not retried.
    const post = (async () => {
      if (delay > 0) {
        this.counts.statusesDelayed += 1;
        await this.pause(delay);
      }
      for (const status of statuses) {
        const item = statusUpdate(user, record.messageId, status, {
          business,
          ...(typeof callbackData === 'string' ? { callbackData } : {}),
        });
        const body = webhookBody([item]);
        for (let attempt = 0; !this.closed; attempt++) {
          const answer = await sink.post(body).catch(() => ({ status: 0 }));
          if (answer.status === 200 || !options.retry) break;
          this.counts.statusRetries += 1;
          await this.pause(Math.min(2_000, 100 * 2 ** attempt));
        }
        this.counts.statusesPosted += 1;
      }
    })();
    this.posts.add(post);
    void post.finally(() => this.posts.delete(post));
  }

  /** Stops posting, cuts every pause short and resolves once the posts under way gave up. */
  close(): Promise<unknown> {
    this.closed = true;
    this.sink = undefined;
    for (const done of [...this.pauses]) done();
    return Promise.all(this.posts);
  }

  /** Resolves after `ms`, or at once when the fake closes (a status post then gives up). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.pauses.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pauses.add(done);
    });
  }
}
