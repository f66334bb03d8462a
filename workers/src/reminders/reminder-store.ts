import { fleetKeys, sessionKeys, type RedisClient, type ReminderKind } from '@medcita/shared';
import type { ReminderPort, ReminderRecord } from '../dialog/reminder-port.js';

export type { ReminderKind };
export type ReminderMode = 'interactive' | 'template';

/** messageId → reminder, so a later `failed` status finds what it was about. */
export interface SentReminder {
  kind: ReminderKind;
  appointmentId: string;
  mode: ReminderMode;
  phoneNumberId: string;
  phone: string;
}

const DAY_S = 86_400;

/**
 * Redis keys of the reminders (prefix = KEY_PREFIX):
 *   <p>:reminders:done:<kind>[-retry]:<appt> messageId once sent      TTL: start + 30 days
 *   <p>:reminders:scheduled:<kind>:<appt>  first enqueue (metric)     TTL: start + 30 days
 *   <p>:reminders:appt:<appt>              ReminderRecord JSON        TTL: start + 1 day
 *   <p>:reminders:msg:<messageId>          SentReminder JSON          TTL: 3 days
 *   <p>:{<session>}:reminder               last reminded appointment  TTL: until it starts
 * Every operation is on one key, so this works unchanged on a Redis Cluster.
 */
export class ReminderStore implements ReminderPort {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Next to the session's own keys (same hash tag). */
  private sessionPointer(sessionKey: string): string {
    return sessionKeys(this.prefix, sessionKey).reminder;
  }

  private get keys() {
    return fleetKeys(this.prefix);
  }

  /** Seconds until `startsAt` plus `extraS`; at least one minute. */
  private ttlUntil(startsAt: string, extraS: number, now: number): number {
    return Math.max(60, Math.ceil((Date.parse(startsAt) - now) / 1000) + extraS);
  }

  /** Whether (kind, appointment) was sent already; `retry` is the one template retry after a 131047. */
  doneKey(kind: ReminderKind, appointmentId: string, retry = false): string {
    return this.keys.reminderDone(kind, appointmentId, retry);
  }

  /** True the first time (kind, appointment) is scheduled (written after its send job was added). */
  async markScheduled(kind: ReminderKind, appointmentId: string, startsAt: string, now: number): Promise<boolean> {
    const ok = await this.redis.set(
      this.keys.reminderScheduled(kind, appointmentId),
      String(now),
      'EX',
      this.ttlUntil(startsAt, 30 * DAY_S, now),
      'NX',
    );
    return ok === 'OK';
  }

  async isScheduled(kind: ReminderKind, appointmentId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.reminderScheduled(kind, appointmentId))) === 1;
  }

  async sentMessageId(kind: ReminderKind, appointmentId: string, retry = false): Promise<string | null> {
    return this.redis.get(this.doneKey(kind, appointmentId, retry));
  }

  /** After a send: the done marker (outlives the appointment), the record the dialog reads, the status lookup and the session pointer. */
  async recordSent(
    sent: SentReminder & { messageId: string | null; retry: boolean },
    record: ReminderRecord,
    sessionKey: string,
    now: number,
  ): Promise<void> {
    const writes: Promise<unknown>[] = [
      this.redis.set(
        this.doneKey(sent.kind, sent.appointmentId, sent.retry),
        sent.messageId ?? 'unknown',
        'EX',
        this.ttlUntil(record.startsAt, 30 * DAY_S, now),
      ),
      this.saveRecord(record, now),
      this.redis.set(this.sessionPointer(sessionKey), record.appointmentId, 'EX', this.ttlUntil(record.startsAt, 0, now)),
    ];
    if (sent.messageId && sent.messageId !== 'unknown') {
      const { messageId, retry: _retry, ...rest } = sent;
      writes.push(this.redis.set(this.keys.reminderMessage(messageId), JSON.stringify(rest), 'EX', 3 * DAY_S));
    }
    await Promise.all(writes);
  }

  async saveRecord(record: ReminderRecord, now: number): Promise<void> {
    await this.redis.set(
      this.keys.reminderRecord(record.appointmentId),
      JSON.stringify(record),
      'EX',
      this.ttlUntil(record.startsAt, DAY_S, now),
    );
  }

  async sentByMessageId(messageId: string): Promise<SentReminder | null> {
    const raw = await this.redis.get(this.keys.reminderMessage(messageId));
    return raw ? (JSON.parse(raw) as SentReminder) : null;
  }

  async find(appointmentId: string): Promise<ReminderRecord | null> {
    const raw = await this.redis.get(this.keys.reminderRecord(appointmentId));
    return raw ? (JSON.parse(raw) as ReminderRecord) : null;
  }

  async pendingFor(sessionKey: string): Promise<string | null> {
    return this.redis.get(this.sessionPointer(sessionKey));
  }
}
