import { JobName, sessionKeys, UnrecoverableError, type Logger, type OutboundMessage, type RedisClient } from '@medcita/shared';
import type { ClinicPort, UpcomingAppointment } from '../clinic/index.js';
import type { ReminderRecord } from '../dialog/reminder-port.js';
import { replyId } from '../dialog/reply-ids.js';
import type { DialogTexts } from '../dialog/locale/es.js';
import type { ReplySender } from '../pipeline/ports.js';
import { ClinicDateFormatter } from '../dialog/locale/dates.js';
import { reminderJobId, reminderSendKey, type ReminderQueue, type SendReminderJob } from './reminder-job.js';
import type { ReminderKind, ReminderMode, ReminderStore } from './reminder-store.js';

export interface ReminderMetricsHooks {
  scheduled(kind: ReminderKind): void;
  sent(kind: ReminderKind, mode: ReminderMode): void;
  failed(kind: ReminderKind, code: string): void;
  skipped(kind: ReminderKind, reason: 'already_sent' | 'inactive' | 'past' | 'too_soon' | 'taken_over'): void;
}

export interface ReminderServiceOptions {
  phoneNumberId: string;
  leadMs: number;
  intervalMs: number;
  /**
   * An appointment starting sooner than this gets no reminder (too late to
   * help); one found later than its lead time (booked inside it, or reminders
   * just switched on) gets it at the next tick. docs/reminders.md, "Which
   * appointments get one".
   */
  minNoticeMs: number;
  templateName: string;
  templateLanguage: string;
  timeZone: string;
  /** KEY_PREFIX: the session state hash tells when the patient last wrote. */
  keyPrefix: string;
}

export interface ReminderServiceDeps {
  clinic: ClinicPort;
  sender: ReplySender;
  store: ReminderStore;
  queue: ReminderQueue;
  redis: RedisClient;
  texts: DialogTexts;
  logger: Logger;
  metrics?: ReminderMetricsHooks;
}

/** WhatsApp's customer-service window, and how close to its end we stop trusting it (the send may take a while). */
const SERVICE_WINDOW_MS = 24 * 3_600_000;
const WINDOW_MARGIN_MS = 15 * 60_000;
const KIND: ReminderKind = '24h';

/**
 * Appointment reminders (docs/reminders.md). Exactly-once invariant, per (kind, appointment):
 *  - at least once: a tick enqueues one SendReminder job with the deterministic
 *    jobId `reminder-<kind>-<appointmentId>` before it records its window as
 *    covered, ticks overlap, and jobs retry;
 *  - at most once: every send goes through the Graph client with idempotency
 *    key `reminder:<kind>:<appointmentId>` (its send ledger survives a worker
 *    dying mid-request: WhatsApp's status webhook settles a send that got
 *    through, and only one that no status settled within the grace is
 *    resent), and the `done` marker written after
 *    the send (TTL = until the appointment + 30 days, so it outlives it) stops
 *    any later job, even one enqueued after BullMQ dropped the completed job.
 * A cancelled or started appointment is dropped at send time (re-checked
 * against the clinic), not only at tick time.
 */
export class ReminderService {
  private readonly dates: ClinicDateFormatter;
  private readonly log: Logger;

  constructor(
    private readonly deps: ReminderServiceDeps,
    private readonly opts: ReminderServiceOptions,
  ) {
    this.dates = new ClinicDateFormatter(opts.timeZone);
    this.log = deps.logger.child({ component: 'reminders' });
  }

  /**
   * The window a tick at `now` looks at: everything from the minimum notice
   * to lead + interval + overlap. Every tick sees the whole band, so an
   * appointment booked inside the lead time, the appointments already inside
   * it when reminders are switched on, and those a stopped fleet missed are
   * all picked up by the next tick; the `scheduled` marker keeps that cheap.
   */
  window(now: number): { from: number; to: number } {
    const overlap = Math.max(30_000, Math.floor(this.opts.intervalMs / 10));
    return { from: now + this.opts.minNoticeMs, to: now + this.opts.leadMs + this.opts.intervalMs + overlap };
  }

  async tick(now: number): Promise<{ found: number; scheduled: number }> {
    const { from, to } = this.window(now);
    const upcoming = await this.deps.clinic.upcomingAppointments({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    let scheduled = 0;
    for (const u of upcoming) {
      const { appointment } = u;
      if (appointment.status === 'cancelled' || Date.parse(appointment.slot.startsAt) < from) continue;
      // The marker is written only after the job was added, so a marked appointment has its job.
      if (await this.deps.store.isScheduled(KIND, appointment.id)) continue;
      const job: SendReminderJob = { kind: KIND, appointmentId: appointment.id, startsAt: appointment.slot.startsAt };
      await this.deps.queue.add(JobName.SendReminder, job, { jobId: reminderJobId(KIND, appointment.id) });
      if (await this.deps.store.markScheduled(KIND, appointment.id, appointment.slot.startsAt, now)) {
        scheduled++;
        this.deps.metrics?.scheduled(KIND);
      }
    }
    this.log.debug(
      { from: new Date(from).toISOString(), to: new Date(to).toISOString(), found: upcoming.length, scheduled },
      'reminder tick',
    );
    return { found: upcoming.length, scheduled };
  }

  /** Sends one reminder; resolves with what happened. Throws only what a job retry may fix. */
  async send(
    job: SendReminderJob,
    now: number,
  ): Promise<'sent' | 'already_sent' | 'inactive' | 'past' | 'too_soon' | 'taken_over' | 'failed'> {
    const { kind, appointmentId } = job;
    const retry = job.retry === true;
    if (await this.deps.store.sentMessageId(kind, appointmentId, retry)) return this.skip(kind, 'already_sent');
    const late = this.tooLate(job.startsAt, now);
    if (late) return this.skip(kind, late);
    const current = await this.stillActive(job);
    if (!current) return this.skip(kind, 'inactive');
    const lateNow = this.tooLate(current.appointment.slot.startsAt, now);
    if (lateNow) return this.skip(kind, lateNow);

    const record = toRecord(current);
    const sessionKey = `${this.opts.phoneNumberId}:${record.phone}`;
    const mode: ReminderMode = retry || !(await this.insideServiceWindow(sessionKey, now)) ? 'template' : 'interactive';
    const message = this.message(record, mode, now);
    // Saved before sending so a reply that overtakes our bookkeeping still finds its appointment.
    await this.deps.store.saveRecord(record, now);
    let result: { messageId: string | null; skipped: boolean };
    try {
      result = await this.deps.sender.send({ phoneNumberId: this.opts.phoneNumberId, waId: record.phone }, message, {
        idempotencyKey: reminderSendKey(kind, appointmentId, retry),
      });
    } catch (err) {
      if (err instanceof UnrecoverableError) {
        // e.g. 131026 (not on WhatsApp), 132001 (template missing): retrying cannot help.
        this.deps.metrics?.failed(kind, err.code);
        this.log.warn({ appointmentId, mode, code: err.code, err: err.message }, 'reminder rejected; not retrying');
        return 'failed';
      }
      throw err;
    }
    await this.deps.store.recordSent(
      { kind, appointmentId, mode, phoneNumberId: this.opts.phoneNumberId, phone: record.phone, messageId: result.messageId, retry },
      record,
      sessionKey,
      now,
    );
    if (result.messageId === null) return this.skip(kind, 'taken_over');
    if (!result.skipped) this.deps.metrics?.sent(kind, mode);
    this.log.info({ appointmentId, mode, retry, skipped: result.skipped }, 'reminder sent');
    return result.skipped ? 'already_sent' : 'sent';
  }

  /**
   * A `failed` status of one of our messages. A free-form reminder refused
   * because the 24-hour window closed (131047) gets one template retry
   * (deterministic jobId + its own idempotency key); any other failure is
   * counted and logged with its code, never retried.
   */
  async onFailedStatus(messageId: string, codes: string[]): Promise<'retry' | 'counted' | 'not_a_reminder'> {
    const sent = await this.deps.store.sentByMessageId(messageId);
    if (!sent) return 'not_a_reminder';
    const code = codes[0] || 'unknown';
    this.deps.metrics?.failed(sent.kind, code);
    if (codes.includes('131047') && sent.mode === 'interactive') {
      const record = await this.deps.store.find(sent.appointmentId);
      if (record) {
        const job: SendReminderJob = { kind: sent.kind, appointmentId: sent.appointmentId, startsAt: record.startsAt, retry: true };
        await this.deps.queue.add(JobName.SendReminder, job, { jobId: reminderJobId(sent.kind, sent.appointmentId, true) });
        this.log.info({ appointmentId: sent.appointmentId, code }, 'free-form reminder outside the 24-hour window; retrying as a template');
        return 'retry';
      }
    }
    this.log.warn({ appointmentId: sent.appointmentId, mode: sent.mode, codes: codes.join(',') }, 'reminder delivery failed; not retrying');
    return 'counted';
  }

  /** The interactive reminder or the template, with the same facts. */
  message(record: ReminderRecord, mode: ReminderMode, now: number): OutboundMessage {
    const t = this.deps.texts;
    const when = this.dates.spoken(record.startsAt, now);
    const name = record.firstName.split(' ')[0] || record.firstName;
    const payloads = [replyId.reminder('confirm', record.appointmentId), replyId.reminder('cancel', record.appointmentId)];
    if (mode === 'template') {
      return {
        kind: 'template',
        name: this.opts.templateName,
        language: this.opts.templateLanguage,
        bodyParams: [
          name,
          when.date,
          when.time,
          record.dependent ? t.reminder.doctorFor(record.doctorName, record.dependent.firstName) : record.doctorName,
          record.clinicName,
        ],
        quickReplyPayloads: payloads,
      };
    }
    return {
      kind: 'buttons',
      body: t.reminder.body(
        name,
        t.specialties[record.specialty],
        when.full,
        record.doctorName,
        record.clinicName,
        record.dependent?.firstName,
      ),
      buttons: [
        { id: payloads[0]!, title: t.reminder.confirmButton },
        { id: payloads[1]!, title: t.reminder.cancelButton },
      ],
    };
  }

  /** Inside WhatsApp's 24-hour window: the patient's last message (the session's last turn) is recent enough. */
  async insideServiceWindow(sessionKey: string, now: number): Promise<boolean> {
    const raw = await this.deps.redis.hget(sessionKeys(this.opts.keyPrefix, sessionKey).state, 'updatedAt');
    const last = Number(raw);
    return raw !== null && Number.isFinite(last) && now - last < SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
  }

  private async stillActive(job: SendReminderJob): Promise<UpcomingAppointment | undefined> {
    const at = Date.parse(job.startsAt);
    const found = await this.deps.clinic.upcomingAppointments({ from: new Date(at).toISOString(), to: new Date(at + 1).toISOString() });
    return found.find((u) => u.appointment.id === job.appointmentId && u.appointment.status !== 'cancelled');
  }

  /**
   * A send job that runs late (a backlog after downtime, retries) is dropped
   * once the appointment has started, or when less than half the minimum
   * notice is left: the tick only enqueues appointments beyond the full
   * notice, so a job that runs on time is never caught by the half.
   */
  private tooLate(startsAt: string, now: number): 'past' | 'too_soon' | undefined {
    const left = Date.parse(startsAt) - now;
    if (left <= 0) return 'past';
    if (left < this.opts.minNoticeMs / 2) return 'too_soon';
    return undefined;
  }

  private skip<R extends 'already_sent' | 'inactive' | 'past' | 'too_soon' | 'taken_over'>(kind: ReminderKind, reason: R): R {
    this.deps.metrics?.skipped(kind, reason);
    return reason;
  }
}

function toRecord(u: UpcomingAppointment): ReminderRecord {
  const s = u.appointment.slot;
  return {
    appointmentId: u.appointment.id,
    patientId: u.patient.id,
    phone: u.patient.phone,
    firstName: u.patient.firstName,
    startsAt: s.startsAt,
    doctorName: s.doctorName,
    clinicName: s.clinicName,
    specialty: s.specialty,
    ...(u.dependent && { dependent: { id: u.dependent.id, firstName: u.dependent.firstName } }),
  };
}
