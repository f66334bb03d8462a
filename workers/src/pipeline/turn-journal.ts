import { allAnswered, fleetKeys, sessionHash, type RedisClient } from '@medcita/shared';

export interface TurnRecord {
  /**
   * Unique per commit (turn id + the run's lock token): a record moved from
   * the outbox twice (crash between the two steps) appears twice with the
   * same rid, and readers keep one.
   */
  rid: string;
  sessionKey: string;
  /** The business number (not personal data): lets support find a session from a wa_id. */
  phoneNumberId: string;
  turnId: string;
  /** Message ids the turn consumed (not PII), so support can trace a message to its turn. */
  wamids: string[];
  attempt: number;
  messages: number;
  replies: number;
  startedAt: number;
  endedAt: number;
  /** Earliest ingress acceptance among the turn's messages. */
  acceptedAt: number;
  outcome: 'ok' | 'dropped' | 'rate_limited';
  labels?: Record<string, string>;
}

/** How often a process trims the stream by age (the length cap applies on every append). */
const AGE_TRIM_INTERVAL_MS = 60_000;

export interface TurnJournalOptions {
  keyPrefix: string;
  maxLength: number;
  maxAgeMs: number;
}

/**
 * One compact record per committed turn in a capped Redis stream (by length
 * and age). Sessions appear only as a hash, never a phone number. The commit
 * itself queues the record in the session's outbox (same slot, same atomic
 * step); `publish` moves it to the stream, so a crash between the commit and
 * the stream write delays a record instead of losing it.
 */
export class TurnJournal {
  private nextAgeTrimAt = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: TurnJournalOptions,
  ) {}

  get key(): string {
    return fleetKeys(this.options.keyPrefix).audit;
  }

  /** The record as the commit stores it in the session's outbox (flat field list, JSON). */
  encode(r: TurnRecord): string {
    return JSON.stringify([
      'rid',
      r.rid,
      'session',
      sessionHash(r.sessionKey),
      'business',
      r.phoneNumberId,
      'turn',
      r.turnId,
      'wamids',
      r.wamids.join(','),
      'attempt',
      String(r.attempt),
      'messages',
      String(r.messages),
      'replies',
      String(r.replies),
      'startedAt',
      String(r.startedAt),
      'endedAt',
      String(r.endedAt),
      'acceptedAt',
      String(r.acceptedAt),
      'outcome',
      r.outcome,
      ...Object.entries(r.labels ?? {}).flat(),
    ]);
  }

  /** Appends outbox records to the stream, trimmed by length and age. */
  async publish(encoded: readonly string[]): Promise<void> {
    if (encoded.length === 0) return;
    // Sent together, not MULTI: each XADD stands alone (readers dedupe by rid) and the trim is best effort,
    // so a transaction would only add two commands to every turn.
    const sent: Promise<unknown>[] = encoded.map((e) =>
      this.redis.xadd(this.key, 'MAXLEN', '~', String(this.options.maxLength), '*', ...(JSON.parse(e) as string[])),
    );
    // The age cap is days long: trimming by age once in a while keeps it as well as after every turn.
    const now = Date.now();
    if (now >= this.nextAgeTrimAt) {
      this.nextAgeTrimAt = now + AGE_TRIM_INTERVAL_MS;
      sent.push(this.redis.xtrim(this.key, 'MINID', '~', `${now - this.options.maxAgeMs}-0`));
    }
    await allAnswered(sent);
  }
}
