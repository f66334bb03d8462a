import { randomUUID } from 'node:crypto';
import type { Logger, RedisClient } from '@medcita/shared';
import type { ReminderService } from './reminder-service.js';

/** Consumer group of the workers on the ingress's failed-status stream. */
export const STATUS_GROUP = 'reminders';

type StreamEntry = [id: string, fields: string[]];

/**
 * Reads the ingress's failed-status stream (`<prefix>:statuses:failed`,
 * written by StatusRecorder) through a consumer group on its own (blocking)
 * connection, so each failed status is handled by one worker and one left
 * pending by a dead worker is claimed by another.
 */
export class FailedStatusWatcher {
  private readonly consumer = `w-${randomUUID()}`;
  private conn: RedisClient | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly stream: string,
    private readonly service: ReminderService,
    private readonly log: Logger,
    private readonly claimIdleMs: number,
  ) {}

  async start(): Promise<void> {
    try {
      // '$': statuses from now on; earlier failures are already in the operators' view.
      await this.redis.xgroup('CREATE', this.stream, STATUS_GROUP, '$', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.conn = this.redis.duplicate();
    this.conn.on('error', (err: Error) => this.log.warn({ err: err.message }, 'status watcher redis error'));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.conn?.disconnect();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (!this.stopping) {
      try {
        if (Date.now() - lastClaim > this.claimIdleMs / 2) {
          lastClaim = Date.now();
          const claimed = (await this.redis.xautoclaim(this.stream, STATUS_GROUP, this.consumer, this.claimIdleMs, '0-0', 'COUNT', 50)) as [
            string,
            StreamEntry[],
          ];
          await this.handle(claimed[1] ?? []);
        }
        const res = (await this.conn!.xreadgroup(
          'GROUP',
          STATUS_GROUP,
          this.consumer,
          'COUNT',
          50,
          'BLOCK',
          2_000,
          'STREAMS',
          this.stream,
          '>',
        )) as [string, StreamEntry[]][] | null;
        for (const [, entries] of res ?? []) await this.handle(entries);
      } catch (err) {
        if (this.stopping) return;
        this.log.warn({ err: (err as Error).message }, 'status watcher failed; retrying');
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  private readonly failures = new Map<string, number>();

  /** Acks each entry once handled; one that keeps failing is left pending (claimed again later), then dropped after 5 tries. */
  private async handle(entries: StreamEntry[]): Promise<void> {
    for (const [id, fields] of entries) {
      if (fields) {
        const get = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
        const messageId = get('messageId');
        try {
          if (messageId) await this.service.onFailedStatus(messageId, get('codes').split(',').filter(Boolean));
        } catch (err) {
          const tries = (this.failures.get(id) ?? 0) + 1;
          this.failures.set(id, tries);
          this.log.warn({ entry: id, tries, err: (err as Error).message }, 'failed-status handling failed');
          if (tries < 5) continue;
        }
      } // no fields: trimmed by MAXLEN while pending
      this.failures.delete(id);
      await this.redis.xack(this.stream, STATUS_GROUP, id);
    }
  }
}
