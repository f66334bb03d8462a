import { confirmSendsFromStatuses, type RedisClient, type StatusEvent } from '@medcita/shared';

export interface StatusRecorderOptions {
  keyPrefix: string;
  /** Failed statuses kept for operators (stream length cap). */
  maxFailures: number;
}

/**
 * Delivery statuses: counted per status, failed ones kept in a capped stream
 * with their Graph error codes so they stay visible after the fact. A status
 * echoing one of our idempotency keys also settles that send's marker, so a
 * reply whose worker died before reading Graph's answer is not sent again.
 */
export class StatusRecorder {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: StatusRecorderOptions,
  ) {}

  get countsKey(): string {
    return `${this.options.keyPrefix}:statuses:counts`;
  }

  get failuresKey(): string {
    return `${this.options.keyPrefix}:statuses:failed`;
  }

  async record(statuses: StatusEvent[]): Promise<void> {
    if (statuses.length === 0) return;
    const tally = new Map<string, number>();
    for (const s of statuses) tally.set(s.status, (tally.get(s.status) ?? 0) + 1);
    const writes: Promise<unknown>[] = [...tally].map(([status, n]) => this.redis.hincrby(this.countsKey, status, n));
    for (const s of statuses.filter((st) => st.status === 'failed')) {
      writes.push(
        this.redis.xadd(
          this.failuresKey, 'MAXLEN', '~', String(this.options.maxFailures), '*',
          'messageId', s.messageId,
          'phoneNumberId', s.phoneNumberId,
          'recipient', s.recipient ?? '',
          'codes', s.errors.map((e) => e.code).join(','),
          'titles', s.errors.map((e) => e.title).join(' | '),
          'timestamp', String(s.timestamp),
        ),
      );
    }
    writes.push(confirmSendsFromStatuses(this.redis, this.options.keyPrefix, statuses));
    await Promise.all(writes);
  }
}
