import {
  content,
  inbound,
  makeWamid,
  webhookBody,
  WebhookSender,
  type InboundContent,
  type InboundItem,
  type Rng,
} from '@medcita/testkit/simulator';
import type { Ledger } from './ledger.js';

export interface DeliveryCounts {
  posts: number;
  /** POSTs carrying more than one message. */
  multiMessagePosts: number;
  /** Extra deliveries of a message: in the same POST as the original, or in another one. */
  duplicatesSamePost: number;
  duplicatesOtherPost: number;
  /** Answers other than 200, by status (0: no answer: connection refused, reset or timed out), each retried. */
  retriedByStatus: Record<string, number>;
}

/** A user of the soak: session `s`, a Bolivian-looking number. */
export function soakUser(s: number): { waId: string; name: string } {
  return { waId: `5917${String(s).padStart(8, '0')}`, name: `Soak ${s}` };
}

export function sessionOfWaId(waId: string): number | undefined {
  return /^5917\d{8}$/.test(waId) ? Number(waId.slice(4)) : undefined;
}

/**
 * Delivers webhooks the way Meta does: signed POSTs, several messages per
 * POST, some messages delivered again (in the same POST or another), and any
 * answer other than 200 retried with backoff until it is 200. A message is
 * acknowledged in the ledger only when a POST carrying it got 200.
 */
export class MetaSender {
  readonly counts: DeliveryCounts = {
    posts: 0,
    multiMessagePosts: 0,
    duplicatesSamePost: 0,
    duplicatesOtherPost: 0,
    retriedByStatus: {},
  };
  private readonly sender: WebhookSender;
  private readonly timestamp = Math.floor(Date.now() / 1000);
  /** Contents of messages delivered so far, so a duplicate carries the same bytes (dialog replies are not reproducible). */
  private readonly contents = new Map<number, InboundContent>();

  constructor(
    url: string,
    appSecret: string,
    private readonly ledger: Ledger,
    private readonly rng: Rng,
  ) {
    this.sender = new WebhookSender({ url, appSecret });
  }

  /** The delivery of message `g` (session `s`, index `m`); its wamid is made once, from the seeded rng. */
  item(g: number, s: number, m: number, body?: InboundContent): InboundItem {
    const user = soakUser(s);
    let id = this.ledger.wamidOf(g);
    if (id === undefined) {
      id = makeWamid({ user: user.waId, rng: this.rng });
      this.ledger.register(g, id);
    }
    if (body) this.contents.set(g, body);
    const text = body ?? this.contents.get(g) ?? content.text(`s${s}m${m}`);
    return inbound(user, text, { id, timestamp: this.timestamp + (g % 600) });
  }

  /** Forgets the stored content of a message whose duplicates were all sent. */
  forget(g: number): void {
    this.contents.delete(g);
  }

  /**
   * POSTs `items` until the ingress answers 200, then acknowledges every
   * message in them. `duplicates` says how many items are copies, and where
   * their originals went, for the counts.
   */
  async deliver(items: { g: number; item: InboundItem }[], duplicates: { samePost: number; otherPost: number }): Promise<void> {
    const body = JSON.stringify(
      webhookBody(
        items.map((i) => i.item),
        { group: this.rng() < 0.5 ? 'value' : 'entry' },
      ),
    );
    this.counts.posts += 1;
    if (items.length > 1) this.counts.multiMessagePosts += 1;
    this.counts.duplicatesSamePost += duplicates.samePost;
    this.counts.duplicatesOtherPost += duplicates.otherPost;
    for (let attempt = 0; ; attempt++) {
      const status = await this.sender.post(body, { timeoutMs: 15_000 }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      this.counts.retriedByStatus[status] = (this.counts.retriedByStatus[status] ?? 0) + 1;
      // Meta backs off over minutes; the soak compresses that to at most 3 s.
      await new Promise((r) => setTimeout(r, Math.min(3_000, 100 * 2 ** attempt) * (0.5 + this.rng())));
    }
    for (const { g } of items) this.ledger.ack(g);
  }
}
